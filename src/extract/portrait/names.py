"""People as printed: ``[>] [Honorific…] Name - Role`` (or ``Name, Role``).

A name printed with spaced hyphens (``Ji - Ho Park``, ``Park Ji - Ho``)
is joined (``Man-Soo Kim``): a one-word part next to the name joins it unless
it opens a role (``rules/people.yaml`` role words; particles and the marks that
may lead the line are there too). A role printed twice, once
cut off (``Technical Advisor at - Technical Advisor at the Secretariat``), is
kept once."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from extract.read.textutil import squash
from extract.rules import PeopleRules
from extract.types import Person

_SEP = regex.compile(r"\s+[-\u2013\u2014]\s+")
_NAME_TOKEN = regex.compile(r"\p{Lu}[\p{L}'.]*(?:-\p{L}[\p{L}'.]*)*|\p{Ll}+-\p{Ll}+")


@dataclass(frozen=True)
class ParsedPerson:
    person: Person
    name_rejoined: bool
    role_deduplicated: bool


def looks_like_name(s: str, particles: frozenset[str] = frozenset()) -> bool:
    tokens = s.split()
    if not 1 <= len(tokens) <= 6:
        return False
    return all(_NAME_TOKEN.fullmatch(t) or (i and t.lower() in particles) for i, t in enumerate(tokens))


def _honorific(s: str, rules: PeopleRules) -> tuple[str, str]:
    m = rules.honorific_re.match(s)
    if not m:
        return "", s
    first = m.group(0).split()[0].rstrip(".").lower()
    return rules.honorifics.get(first, ""), s[m.end():]


def _opens_role(part: str, rules: PeopleRules) -> bool:
    words = part.split()
    return bool(words) and words[0].strip(",.").lower() in rules.role_words


def parse_person(text: str, rules: PeopleRules) -> ParsedPerson | None:
    """``Mr Ji - Ho Park - Mayor of X`` → Person(Mr, Ji-Ho Park, Mayor of X);
    None when the text does not start with a name."""
    s = squash(rules.line_lead_re.sub("", text))
    honorific, rest = _honorific(s, rules)
    parts = [p.strip() for p in _SEP.split(rest) if p.strip()]
    if parts and "," in parts[0] and not looks_like_name(parts[0], rules.particles):
        head, _, tail = parts[0].partition(",")  # `Mr X, Role`: the name ends at the first comma
        if looks_like_name(head, rules.particles) and tail.strip():
            parts[:1] = [head.strip(), tail.strip()]
    if not parts or not looks_like_name(parts[0], rules.particles):
        return None
    name, used, rejoined = parts[0], 1, False
    while used < len(parts) and not _opens_role(parts[used], rules):
        nxt = parts[used]
        single = len(name.split()) == 1 or len(nxt.split()) == 1
        if not (single and looks_like_name(nxt, rules.particles) and len(name.split()) + len(nxt.split()) <= 4):
            break
        if used + 1 >= len(parts) and len(nxt.split()) != 1:
            break
        name, used, rejoined = f"{name}-{nxt}", used + 1, True
    roles = parts[used:]
    deduped = False
    if len(roles) >= 2 and roles[1].startswith(roles[0]):
        roles, deduped = roles[1:], True
    role = " - ".join(roles).rstrip(" .;,")
    return ParsedPerson(Person(honorific, name, role), rejoined, deduped)
