"""Indicator-table rows: a printed line → label, value and year.

A row is ``LABEL VALUE (YEAR)`` where the label may be damaged: split by a
tab, a stray glyph or letter, a lost bracket. The label is folded
to lower-case letters and fullmatched against the fuzzy patterns of
``rules/indicators.yaml``."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from .rules import Label, Rules

# Where the value starts: a digit, a stray slash or bar before a digit, a
# missing-value marker, or a group word with a colon (`Men: 12.4`).
_VALUE_START = regex.compile(
    r"(?<![\p{L}])(?:[/|][ \t]*(?=[0-9])|[0-9]|n/a\b|\p{L}+[ \t]*:[ \t]*[0-9])", regex.I)
_YEAR = regex.compile(r"\(\s*(?P<year>[^()]*?)\s*\)?\s*$")


@dataclass(frozen=True)
class Row:
    label: Label | None
    scope: Label | None
    errors: int
    label_raw: str
    value_raw: str
    value_start: int
    value_end: int
    year_raw: str
    year_start: int
    year_end: int


def compact(label: str) -> str:
    return "".join(ch for ch in label.casefold() if ch.isalpha())


def classify(label: str, rules: Rules) -> tuple[Label | None, Label | None, int] | None:
    """The (label, scope, errors) a printed label reads as, or None."""
    key = compact(label)
    if not key:
        return None
    best = None
    for lab, sc, pattern in rules.row_patterns:
        m = pattern.fullmatch(key)
        if m is None:
            continue
        errors = sum(m.fuzzy_counts)
        length = sum(len(x.phrase) for x in (lab, sc) if x)
        rank = (errors, -length)
        if best is None or rank < best[0]:
            best = (rank, lab, sc, errors)
    return None if best is None else best[1:]


def line_to_row(text: str, rules: Rules) -> Row | None:
    """Read one printed line as an indicator row; None if it is not one."""
    body = text.rstrip()
    if len(body) > 200:
        return None
    start = _VALUE_START.search(body)
    # A label with nothing after it (`GDP per capita (in USD) City`) has no value.
    cut = len(body) if start is None else start.start()
    label_raw = body[:cut]
    got = classify(label_raw, rules)
    if got is None:
        return None
    lab, sc, errors = got
    rest = body[cut:]
    ym = _YEAR.search(rest)
    if ym:
        value_part, year_raw = rest[:ym.start()], ym.group("year")
        ys, ye = cut + ym.start("year"), cut + ym.end("year")
    else:
        value_part, year_raw, ys, ye = rest, "", len(body), len(body)
    lead = len(value_part) - len(value_part.lstrip())
    value_raw = value_part.strip()
    return Row(lab, sc, errors, label_raw.strip(), value_raw, cut + lead, cut + lead + len(value_raw),
               year_raw, ys, ye)
