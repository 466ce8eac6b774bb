"""Stage 6b, contacts: a portrait's contact block → ``Contact`` records.

The block's lines are flattened (a line opening with a bullet is joined with
`` - ``, so ``Ms Name`` / ``- Role`` reads ``Ms Name - Role``), cut after each
email address, and each piece read as ``[Honorific] Name - Role Email: …``.
An email whose local part has a space (``orna m@modiin.muni.il``) lost an
underscore: it is repaired, kept as printed in ``email_raw``, and reported."""
from __future__ import annotations

import re

import regex

from extract.portrait.context import Context
from extract.portrait.names import parse_person
from extract.read.textutil import squash
from extract.rules.derived import derived
from extract.types import Contact, Extracted, Span

_BLANKS = regex.compile(r"[ \t]+")
# The email local part of ``rules/people.yaml``: one or two runs of address
# characters, the second after a single space or tab (a broken address).
_RUNS = r"(?:[\w.+-]+[ \t])?[\w.+-]+"


def _local_back(email_re):
    """A reverse pattern that, matched leftwards from an ``@``, reaches the
    leftmost place a local part ending at that ``@`` can start, when the
    email pattern's local part is ``_RUNS``; else None."""
    if not email_re.pattern.startswith(f"(?P<local>{_RUNS})@"):
        return None
    return regex.compile(f"(?r){_RUNS}", email_re.flags)


def _emails(email_re, flat: str):
    """The matches of ``email_re.finditer(flat)``, found from each ``@``.

    Searching the whole text tries every position of every word before an
    address, each with backtracking. A local part of the shape ``_RUNS``
    holds no ``@``, so a match starting at ``p`` uses the first ``@`` after
    ``p``, and its domain, matched from that ``@``, does not depend on
    ``p``. The first match from ``cursor`` is thus at the first ``@`` (from
    ``cursor``) where one is: it starts at the leftmost ``p >= cursor`` that
    ``text[p:at]`` fits ``_RUNS`` from, where the reverse pattern, greedy
    leftwards and kept from crossing ``cursor``, reaches (the runs before
    the ``@`` are maximal), and it is the match from there if there is one."""
    back = derived(_local_back, email_re)
    if back is None:
        yield from email_re.finditer(flat)
        return
    cursor, at = 0, flat.find("@")
    while at >= 0:
        local = back.match(flat, cursor, at)
        m = email_re.match(flat, local.start()) if local else None
        if m:
            yield m
            cursor = m.end()
        at = flat.find("@", max(at + 1, cursor))


def _flatten(ctx: Context, start: int, end: int) -> str:
    parts = []
    bullet_re = ctx.rules.people.contact_bullet_re
    for line in ctx.text[start:end].split("\n") if start < end else ():
        if not line.strip():
            continue
        bullet = bullet_re.match(line)
        body = line[bullet.end():] if bullet else line
        parts.append((" - " if bullet and parts else " ") + body.strip())
    return squash("".join(parts))


# What ``email_validator`` accepts at once, checked here without it (it
# takes some 70 µs an address, and 40 ms to import): a local part of ASCII
# letters, digits, ``_+-`` and single inner dots; a domain of two or more
# labels of ASCII letters, digits and inner hyphens, up to 63 characters
# each, the last ending with a letter (a top-level domain); no ``--`` (its
# rule on ``xn--`` and R-LDH labels), no special-use name (a test keeps
# ``SPECIAL_USE`` its ``SPECIAL_USE_DOMAIN_NAMES``), 254 characters at most,
# the domain 253. Every other address is asked of ``email_validator``.
_PLAIN_EMAIL = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@"
                          r"(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                          r"(?:[A-Za-z0-9][A-Za-z0-9-]{0,61})?[A-Za-z])")
SPECIAL_USE = frozenset(("arpa", "invalid", "local", "localhost", "onion", "test"))


def _plainly_valid(email: str) -> bool:
    """Whether ``email`` is of the plain shape above: one ``email_validator``
    finds valid (``check_deliverability`` off)."""
    m = _PLAIN_EMAIL.fullmatch(email)
    if m is None or len(email) > 254:
        return False
    domain = m["domain"].lower()
    # a special-use name is one label: the domain (two labels or more) is under one when its last label is one
    return len(domain) <= 253 and "--" not in domain and domain[domain.rfind(".") + 1:] not in SPECIAL_USE


def _email_status(email: str) -> str:
    if _plainly_valid(email):
        return "valid"
    from email_validator import EmailNotValidError, validate_email  # 40 ms to import: only when needed

    try:
        validate_email(email, check_deliverability=False, allow_smtputf8=True)
        return "valid"
    except EmailNotValidError:
        return "invalid"


def _label_ends(label, before: str) -> bool:
    """Whether an email label (``Email:``, ``E-mail address:``) ends ``before``."""
    tail = before[-40:]
    ends = [m.end() for m in label.finditer(tail)]
    return bool(ends) and not tail[ends[-1]:].strip()


def extract_contacts(ctx: Context, start: int, end: int) -> Extracted:
    flat = _flatten(ctx, start, end)
    records, findings = [], []
    pos, cursor = 0, 0
    label = ctx.rules.people.email_label_re
    span = Span(start, end)
    chunks = []
    for m in _emails(ctx.rules.people.email_re, flat):
        raw = m.group(0)
        before = flat[cursor:m.start()]
        if " " in raw and not _label_ends(label, before):
            raw = raw.split()[-1]  # a word before the address, not the first run of a broken local part
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
