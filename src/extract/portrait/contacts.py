"""Stage 6b, contacts: a portrait's contact block → ``Contact`` records.

The block's lines are flattened (a line opening with a bullet is joined with
`` - ``, so ``Ms Name`` / ``- Role`` reads ``Ms Name - Role``), cut after each
email address, and each piece read as ``[Honorific] Name - Role Email: …``.
An email whose local part has a space (``orna m@modiin.muni.il``) lost an
underscore: it is repaired, kept as printed in ``email_raw``, and reported."""
from __future__ import annotations

import regex
from email_validator import EmailNotValidError, validate_email

from extract.portrait.context import Context
from extract.portrait.names import parse_person
from extract.read.textutil import lines_of, squash
from extract.types import Contact, Extracted, Span

_BLANKS = regex.compile(r"[ \t]+")


def _flatten(ctx: Context, start: int, end: int) -> str:
    parts = []
    for line in lines_of(ctx.text, start, end):
        if line.blank:
            continue
        bullet = ctx.rules.people.contact_bullet_re.match(line.text)
        body = line.text[bullet.end():] if bullet else line.text
        parts.append((" - " if bullet and parts else " ") + body.strip())
    return squash("".join(parts))


def _email_status(email: str) -> str:
    try:
        validate_email(email, check_deliverability=False, allow_smtputf8=True)
        return "valid"
    except EmailNotValidError:
        return "invalid"


def extract_contacts(ctx: Context, start: int, end: int) -> Extracted:
    flat = _flatten(ctx, start, end)
    records, findings = [], []
    pos, cursor = 0, 0
    label = ctx.rules.people.email_label_re
    span = Span(start, end)
    chunks = []
    for m in ctx.rules.people.email_re.finditer(flat):
        raw = m.group(0)
        before = flat[cursor:m.start()]
        if " " in raw and not label.search(before[-12:] + " " if before else ""):
            raw = raw.split()[-1]
        chunks.append((flat[cursor:m.end() - len(raw)], raw))
        cursor = m.end()
    if not chunks and flat.strip():
        chunks.append((flat, ""))
    for who, raw in chunks:
        who = label.sub(" ", who).strip(" -:\u2013")
        parsed = parse_person(who, ctx.rules.people)
        if parsed is None:
            findings.append(ctx.finding("contact_unparsed", "contacts", f"contact@{len(findings)}",
                                        "A piece of the contact block could not be read as a person.",
                                        " ".join(filter(None, (who, raw)))[:200], start, end))
            continue
        pos += 1
        email = _BLANKS.sub("_", raw)
        status = "missing" if not raw else _email_status(email)
        field = f"contact:{pos}"
        if raw and email != raw:
            status = "repaired" if status == "valid" else status
            findings.append(ctx.finding("email_repaired", "contacts", field,
                                        f"The email {raw!r} has a space in its local part; read as {email!r}.",
                                        raw, start, end))
        if status == "invalid":
            findings.append(ctx.finding("email_invalid", "contacts", field,
                                        f"{email!r} is not a valid email address.", raw, start, end))
        if status == "missing":
            findings.append(ctx.finding("email_missing", "contacts", field,
                                        f"The contact {parsed.person.name!r} has no email address.", "", start, end))
        if parsed.role_deduplicated:
            findings.append(ctx.finding("role_duplicate_removed", "contacts", field,
                                        f"The role was printed twice; kept {parsed.person.role!r}.", who, start, end))
        if parsed.name_rejoined:
            findings.append(ctx.finding("name_rejoined", "contacts", field,
                                        f"The name was printed with spaced hyphens and read as {parsed.person.name!r}.",
                                        parsed.person.name, start, end))
        p = parsed.person
        records.append(Contact(position=pos, honorific=p.honorific, name=p.name, role=p.role, email=email,
                               email_raw=raw, email_status=status, char_start=span.start, char_end=span.end,
                               rule="contact.block"))
    return Extracted(tuple(records), (span,), tuple(findings))
