"""A city name a lossy conversion damaged → the member-list or gazetteer name
it fits.

A conversion that cannot carry a character leaves a mark in its place: ``?``
(an encoder's replacement, ``Bras?lia``) or U+FFFD (a decoder's). Such a name
is read as a pattern: its other characters as printed (case and runs of white
space aside), and each run of ``n`` marks any 1 to ``2n`` characters outside
ASCII — what the conversion could not carry: one mark may stand for a letter
and its combining accent, two marks for the two bytes of one letter.

``repair_name`` looks for the names that fit, first among the member list's
names of the name's country (the document's own spelling; damaged ones
aside), then among the GeoNames names of that country's cities
(``gazetteer.country_cities``); for a name whose country is not known (no
member list gives it, the text names none), among the member list's and then
the whole gazetteer's names. Exactly one name fitting repairs the name: the
printed characters are kept and the marks take that name's characters.
Several fitting names, or none, leave it as printed. Either way the
``NameRepair`` is kept on the ``Member`` for a finding (``name_repaired``,
``name_unrepaired``); a name without marks is untouched.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace

import regex

from extract.portrait.gazetteer import country_cities
from extract.types import Member, NameRepair, Span

_MARKS = regex.compile(r"[?\ufffd]+")
_LETTER = regex.compile(r"\p{L}")


def _norm(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def is_damaged(name: str) -> bool:
    """Whether ``name`` holds a mark of a lost character (and a letter: ``?`` alone is no name)."""
    return bool(_MARKS.search(name)) and bool(_LETTER.search(name))


def name_to_pattern(printed: str) -> regex.Pattern:
    """The pattern of a damaged name (see the module docstring): one group per run of marks."""
    parts, at = [], 0
    for m in _MARKS.finditer(printed):
        parts += [regex.escape(printed[at:m.start()]), f"([^\\x00-\\x7f]{{1,{2 * len(m.group())}}})"]
        at = m.end()
    return regex.compile("".join(parts) + regex.escape(printed[at:]), regex.IGNORECASE)


def fitting(printed: str, names: Iterable[str]) -> tuple[str, ...]:
    """The names (undamaged, distinct, sorted) that the damaged ``printed`` fits."""
    pattern = name_to_pattern(_norm(printed))
    return tuple(sorted({n for n in map(_norm, names) if not is_damaged(n) and pattern.fullmatch(n)}))


def splice(printed: str, name: str) -> str:
    """``printed`` with each run of marks replaced by the characters of ``name`` it stands for."""
    printed = _norm(printed)
    found = name_to_pattern(printed).fullmatch(_norm(name))
    if found is None:
        raise ValueError(f"{printed!r} does not fit {name!r}")
    out, at = [], 0
    for i, m in enumerate(_MARKS.finditer(printed), start=1):
        out += [printed[at:m.start()], found.group(i)]
        at = m.end()
    return "".join(out) + printed[at:]


def repair_name(printed: str, country_code: str, members: Sequence[Member] = (), span: Span = Span(0, 0)) -> NameRepair:
    """What the damaged name ``printed`` fits in the country ``country_code``:
    the member list's names first, then the gazetteer's (see the module docstring)."""
    listed = [m.city for m in members if not country_code or m.country_code == country_code]
    sources = (("member list", listed), ("gazetteer", country_cities(country_code)))
    for source, names in sources:
        fits = fitting(printed, names)
        if fits:
            return NameRepair(printed, splice(printed, fits[0]) if len(fits) == 1 else "", fits, source,
                              country_code, span)
    return NameRepair(printed, "", (), "", country_code, span)


def repair_member(member: Member, members: Sequence[Member] = (), text: str = "") -> Member:
    """``member`` with its damaged name repaired where one name fits, and the
    ``NameRepair`` kept (``member`` itself when the name is not damaged).
    ``text`` (the document's) narrows the span to the printed name."""
    if not is_damaged(member.city):
        return member
    span = member.span
    at = text.find(member.city, span.start, span.end) if text else -1
    if at >= 0:
        span = Span(at, at + len(member.city))
    fix = repair_name(member.city, member.country_code, members, span)
    return replace(member, city=fix.repaired or member.city, repair=fix)
