"""Indicator-table rows: a printed line → label, value and year.

A row is ``LABEL VALUE (YEAR)`` where the label may be damaged: split by a
tab, a stray glyph or letter, a lost bracket. The label is folded
to lower-case letters and fullmatched against the fuzzy patterns of
``rules/indicators.yaml``."""
from __future__ import annotations

from dataclasses import dataclass, replace

import regex

from extract.portrait.quantities import quantity
from extract.read.textutil import trimmed
from extract.rules.indicators import IndicatorRules, Label
from extract.types import Line, Span

# Where the value starts: a digit, a stray slash or bar before a digit, a
# missing-value marker, or a group word with a colon (`Men: 12.4`).
_VALUE_START = regex.compile(
    r"(?<![\p{L}])(?:[/|][ \t]*(?=[0-9])|[0-9]|n/a\b|\p{L}+[ \t]*:[ \t]*[0-9])", regex.I)
_GOES_ON = ("/", ",", ";", ":", "-", "\u2013")  # a value cut off at the line end
_NOT_LETTER = regex.compile(r"[^\p{L}]+")
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
    label_start: int = 0  # where ``label_raw`` is in the line
    label_end: int = 0


def compact(label: str) -> str:
    """The letters of ``label``, case-folded."""
    return _NOT_LETTER.sub("", label.casefold())


def classify(label: str, rules: IndicatorRules) -> tuple[Label | None, Label | None, int] | None:
    """The (label, scope, errors) a printed label reads as, or None."""
    key = compact(label)
    if not key:
        return None
    best = None
    for lab, sc, pattern, shortest, longest in rules.row_patterns:
        if not shortest <= len(key) <= longest:
            continue
        m = pattern.fullmatch(key)
        if m is None:
            continue
        errors = sum(m.fuzzy_counts)
        length = sum(len(x.phrase) for x in (lab, sc) if x)
        rank = (errors, -length)
        if best is None or rank < best[0]:
            best = (rank, lab, sc, errors)
    return None if best is None else best[1:]


def line_to_row(text: str, rules: IndicatorRules) -> Row | None:
    """Read one printed line as an indicator row; None if it is not one."""
    body = text.rstrip()
    if len(body) > 200:
        return None
    start = _VALUE_START.search(body)
    # A label with nothing after it (`GDP per capita (in USD) City`) has no value.
    cut = len(body) if start is None else start.start()
    got = classify(body[:cut], rules)
    colon = body.find(":")
    if got is None and colon > 0:  # `• GDP – city: Between USD 10,000 and USD 15,000`
        cut = colon + 1
        got = classify(body[:colon], rules)
    if got is None:
        return None
    label_raw = body[:cut].rstrip(": \t") if body[:cut].rstrip().endswith(":") else body[:cut]
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
    label_lead = len(label_raw) - len(label_raw.lstrip())
    label_raw = label_raw.strip()
    return Row(lab, sc, errors, label_raw, value_raw, cut + lead, cut + lead + len(value_raw),
               year_raw, ys, ye, label_lead, label_lead + len(label_raw))


def value_below(row: Row, below: str, offset: int, rules: IndicatorRules) -> Row | None:
    """``row`` (a label with no value on its line) with its value taken from
    the next line ``below`` (``offset`` characters after the row's line
    start), when that line is a figure and not a row of its own."""
    if row.value_raw or row.label is None or line_to_row(below, rules) is not None:
        return None
    value = below.strip()
    if not value or len(value) > 80 or (value.lower() not in rules.missing and quantity(value, rules) is None):
        return None
    lead = len(below) - len(below.lstrip())
    vs = offset + lead
    return replace(row, value_raw=value, value_start=vs, value_end=vs + len(value),
                   year_start=vs + len(value), year_end=vs + len(value))


def lines_to_rows(text: str, lines: tuple[Line, ...], rules: IndicatorRules) -> tuple[list[tuple[Row, Span]], int]:
    """The rows of a table that starts at ``lines[0]``, each with the trimmed
    span of its line or lines, and the index in ``lines`` after the last row.
    A label whose value is printed on the next line (`• Population Density:`
    then `More than 500 inhabitants per km²`) takes that line along, and so
    does a row cut off in a narrow column (`… Men: 12.4 /` then
    `Women: 10.9 (2015)`). Blank lines are skipped."""
    idx = [i for i, ln in enumerate(lines) if not ln.blank]
    out: list[tuple[Row, Span]] = []
    end, k = 0, 0
    while k < len(idx):
        line = lines[idx[k]]
        row = line_to_row(line.text, rules)
        if row is None:
            break
        nxt = lines[idx[k + 1]] if k + 1 < len(idx) else None
        span, k = trimmed(line), k + 1
        if nxt is not None and row.value_raw.rstrip().endswith(_GOES_ON) and line_to_row(nxt.text, rules) is None:
            joined = line_to_row(text[line.start:nxt.end].replace("\n", " "), rules)
            if joined is not None and joined.label is row.label:
                row, span, k = joined, Span(span.start, trimmed(nxt).end), k + 1
        elif nxt is not None:
            below = value_below(row, nxt.text, nxt.start - line.start, rules)
            if below is not None:
                row, span, k = below, Span(span.start, trimmed(nxt).end), k + 1
        out.append((row, span))
        end = idx[k - 1] + 1
    return out, end
