"""Table cells out of their rows' order → the rows of an indicator table.

A PDF's reading order can take a ruled table apart: a spanning label set
after the rows it spans (``City 32,384``, ``Country 18,400``, then ``GDP per
capita (in USD)``), a year cell on a line of its own, or the table read
column by column (every label, then every value, then every year). The rows
``rows.read_row`` finds are put back together here: scope rows go to their
label, values and years printed apart go to the rows that lack them, in the
table's order. Every cell moved carries the span of the line it was printed
on (``Row.apart``), and the table reports it with a ``cell_reordered``
finding."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import compress, count
from operator import attrgetter

import regex

from extract.portrait.rows import Row, is_figure, read_row
from extract.portrait.rowyears import YEAR
from extract.read.textutil import trimmed
from extract.rules.indicators import IndicatorRules, Label
from extract.types import Line, Span

# A cell on a line of its own: a value, a year in brackets, or both.
_LOOSE = regex.compile(r"[ \t]*(?P<value>[^()\s](?:[^()]*[^()\s])?)?[ \t]*"
                       r"(?:\([ \t]*(?P<year>[^()\s]{1,12})[ \t]*\))?[ \t]*")
_TEXT = attrgetter("text")


@dataclass(frozen=True)
class Loose:
    """A value or year cell on a line of its own: ``rows`` rows were read
    before it."""
    rows: int
    line: Span
    value: Span | None
    year: Span | None


@dataclass(frozen=True)
class Placed:
    """The label a row is read under (``owner``: the index of the row that
    prints it), and whether the row is a bare label (no value, no scope)
    whose figures are the scope rows placed under it."""
    label: Label | None
    owner: int | None = None
    heading: bool = False


@dataclass(frozen=True)
class Table:
    rows: list[tuple[Row, Span]]
    placed: list[Placed]
    end: int  # the index of the line after the table
    loose: list[Loose]  # cells no row took


def _loose(text: str, line: Line, rules: IndicatorRules, rows: int) -> Loose | None:
    t = trimmed(line)
    m = _LOOSE.fullmatch(text, t.start, t.end)
    if m is None or (m["value"] is None and m["year"] is None):
        return None
    if m["value"] is not None and not is_figure(m["value"], rules):
        return None
    if m["year"] is not None and not (YEAR.fullmatch(m["year"]) or m["year"].lower() in rules.missing):
        return None
    return Loose(rows, t, Span(*m.span("value")) if m["value"] else None,
                 Span(*m.span("year")) if m["year"] else None)


def read_table(text: str, lines: tuple[Line, ...], rules: IndicatorRules) -> Table:
    """The rows of a table that starts at ``lines[0]`` (see ``rows.read_row``),
    each with the trimmed span of its line or lines, their labels, and the
    index in ``lines`` after the table. Blank lines are skipped. A line that
    holds only a value or a year goes on the table while some row lacks one,
    or when a row follows it."""
    idx = list(compress(count(), map(str.strip, map(_TEXT, lines))))  # the lines not blank, told in C
    out: list[tuple[Row, Span]] = []
    loose: list[Loose] = []
    end, k = 0, 0
    ahead: tuple[int, tuple[Row, Span, int] | None] | None = None  # the row read ahead, at its position
    while k < len(idx):
        got = ahead[1] if ahead and ahead[0] == k else read_row(text, lines, idx, k, rules)
        if got is None:
            cell = _loose(text, lines[idx[k]], rules, len(out))
            if cell is None:
                break
            if all(r.value_raw and r.year_raw for r, _ in out):  # no row lacks it: goes on only before a row
                ahead = (k + 1, read_row(text, lines, idx, k + 1, rules) if k + 1 < len(idx) else None)
                if ahead[1] is None:
                    break
            loose.append(cell)
            k += 1
        else:
            row, span, k = got
            out.append((row, span))
        end = idx[k - 1] + 1
    out, loose = _detach_first(text, lines, out, loose, "value", rules)
    out, loose = _detach_first(text, lines, out, loose, "year", rules)
    placed = place_rows([r for r, _ in out])
    out, loose = _place_values(text, out, placed, loose)
    out, loose = _place_years(text, out, loose, rules)
    return Table(out, placed, end, loose)


def _detach_first(text: str, lines: tuple[Line, ...], rows: list[tuple[Row, Span]], loose: list[Loose],
                  kind: str, rules: IndicatorRules) -> tuple[list[tuple[Row, Span]], list[Loose]]:
    """A column of values (or years) printed after the rows: the row just
    before it read the column's first cell, on the line after its own, as
    its own. When rows above it lack that cell, the cell is the column's
    first, and is set apart with the others."""
    first = next((c for c in loose if getattr(c, kind) is not None and (kind == "value" or c.value is None)), None)
    if first is None or first.rows == 0:
        return rows, loose
    k = first.rows - 1
    row, span = rows[k]
    if not getattr(row, f"{kind}_raw") or not any(
            not r.value_raw if kind == "value" else (r.value_raw and not r.year_raw) for r, _ in rows[:k]):
        return rows, loose
    base = text.rfind("\n", 0, span.start) + 1
    at = base + getattr(row, f"{kind}_start")
    head_end = text.find("\n", span.start)
    if head_end < 0 or at <= head_end:
        return rows, loose  # printed on the row's own line
    j = next(i for i, ln in enumerate(lines) if ln.start <= at <= ln.end)  # the cell's line
    cell = _loose(text, lines[j], rules, k if kind == "value" else k + 1)
    if cell is None or (kind == "year" and cell.value is not None):
        return rows, loose
    cut = {"year_raw": "", "year_start": 0, "year_end": 0} if cell.year else {}
    if kind == "value":
        cut.update(value_raw="", value_start=0, value_end=0)
    kept = Span(span.start, trimmed(next(ln for ln in reversed(lines[:j]) if not ln.blank)).end)
    return rows[:k] + [(replace(row, **cut), kept)] + rows[k + 1:], [cell, *loose]


def lines_to_rows(text: str, lines: tuple[Line, ...], rules: IndicatorRules) -> tuple[list[tuple[Row, Span]], int]:
    """The rows of a table that starts at ``lines[0]`` and the index in
    ``lines`` after it (see ``read_table``)."""
    table = read_table(text, lines, rules)
    return table.rows, table.end


def _moved(text: str, row: Row, span: Span, line: Span, **cells: Span) -> Row:
    """``row`` given the cells (``value``, ``year``) printed on ``line``;
    their offsets stay relative to the start of the row's first line."""
    base = text.rfind("\n", 0, span.start) + 1
    got: dict = {"apart": (*row.apart, line)}
    for name, where in cells.items():
        got.update({f"{name}_raw": text[where.start:where.end], f"{name}_start": where.start - base,
                    f"{name}_end": where.end - base})
    return replace(row, **got)


def _place_values(text: str, rows: list[tuple[Row, Span]], placed: list[Placed],
                  loose: list[Loose]) -> tuple[list[tuple[Row, Span]], list[Loose]]:
    """Values printed apart (a table read column by column) given to the rows
    with a label and no value, in the table's order (each label's rows under
    it), when there are as many values as such rows; otherwise none is."""
    values = [c for c in loose if c.value is not None]
    slots = sorted((i for i, (r, _) in enumerate(rows) if not r.value_raw and placed[i].label is not None
                    and not placed[i].heading), key=lambda i: (placed[i].owner, i))
    if not values or len(values) != len(slots):
        return rows, loose
    rows = list(rows)
    for i, cell in zip(slots, values, strict=True):
        row, span = rows[i]
        got = {"value": cell.value} | ({"year": cell.year} if cell.year else {})
        rows[i] = (_moved(text, row, span, cell.line, **got), span)
    return rows, [c for c in loose if c.value is None]


def _place_years(text: str, rows: list[tuple[Row, Span]], loose: list[Loose],
                 rules: IndicatorRules) -> tuple[list[tuple[Row, Span]], list[Loose]]:
    """``rows`` with each year printed apart given to the first row after it
    that has a figure and no year, or if none, the first such row of the
    table (years set after the whole table come in the order of its rows)."""
    rows, left = list(rows), []
    for cell in loose:
        if cell.value is not None:
            left.append(cell)
            continue
        want = [i for i, (r, _) in enumerate(rows) if r.value_raw and not r.year_raw
                and r.value_raw.lower() not in rules.missing]
        got = next((i for i in want if i >= cell.rows), want[0] if want else None)
        if got is None:
            left.append(cell)
            continue
        rows[got] = (_moved(text, rows[got][0], rows[got][1], cell.line, year=cell.year), rows[got][1])
    return rows, left


def _scope(row: Row) -> str:
    return row.scope.key if row.scope else row.label.default_scope


def _bare(row: Row) -> bool:
    return row.label is not None and not row.value_raw and row.scope is None


def place_rows(rows: Sequence[Row]) -> list[Placed]:
    """The label each row of a table is read under. A row with a label is its
    own. A scope row (``Country 18,400 (2012)``) goes to an open label that
    prints its scope and has not had it yet: the first from the last label
    that took one, a label printed with several scopes before one printed
    with one. A label row opens a new set of open labels; bare labels in a
    row (``GDP per capita (in USD)`` then ``Mean years of schooling``, their
    cells below them, as a spanning cell comes out of a PDF) stay open
    together, in order. Scope rows that come before their bare label (the
    spanning label set after the rows it spans) wait for it. A scope row no
    label takes is read under the label above it (whose checks then report
    it)."""
    owner: list[int | None] = [None] * len(rows)
    had: dict[int, set[str]] = {}
    open_: list[int] = []
    waiting: list[int] = []
    last: int | None = None
    above: list[int | None] = []
    since = 0  # the position in ``open_`` of the last label that took a scope row
    for i, row in enumerate(rows):
        above.append(last)
        if row.label is None:
            s = _scope(row) if row.scope else None
            fits = [k for k, j in enumerate(open_) if k >= since and s in rows[j].label.scopes and s not in had[j]]
            k = next((k for k in fits if len(rows[open_[k]].label.scopes) > 1), fits[0] if fits else None)
            if s is None or k is None:
                waiting.append(i)
                continue
            since, owner[i] = k, open_[k]
            had[open_[k]].add(s)
            continue
        owner[i] = last = i
        bare = _bare(row)
        if not (bare and open_ and _bare(rows[open_[-1]])):
            open_, since = [], 0
        open_.append(i)
        had[i] = set() if bare else {_scope(row)}
        while bare and waiting:
            s = _scope(rows[waiting[0]]) if rows[waiting[0]].scope else None
            if s not in row.label.scopes or s in had[i]:
                break
            owner[waiting.pop(0)] = i
            had[i].add(s)
    for i in waiting:
        owner[i] = above[i]
    return [Placed(None if o is None else rows[o].label, o, i in had and _bare(rows[i]) and bool(had[i]))
            for i, o in enumerate(owner)]
