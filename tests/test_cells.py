"""Indicator tables in the orders a PDF's reading order gives their cells,
made by code from every regular table of the 2016 brochure: each ordering
must read as the same records as the table itself (``portrait/cells.py``)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import BROCHURE as SOURCE
from conftest import context
from extract.portrait.indicators import extract_indicators

PROSE = "The city has a long tradition of learning.\n"


def _tables() -> list[list[list[str]]]:
    """Every table of the brochure printed as rows of four tab-separated
    cells (label, scope, value, year), the label empty under a spanning one."""
    tables, rows = [], []
    for line in SOURCE.read_text(encoding="utf-8").splitlines() + [""]:
        cells = line.split("\t")
        if len(cells) == 4 and (rows or cells[0]) and cells[2]:
            rows.append(cells)
            continue
        if len(rows) >= 4 and any(not r[0] for r in rows):
            tables.append(rows)
        rows = []
    return tables


TABLES = _tables()


def _groups(rows: list[list[str]]) -> list[tuple[str, list[list[str]]]]:
    """(label, its rows): a spanning label with the rows under it."""
    out: list[tuple[str, list[list[str]]]] = []
    for r in rows:
        if r[0]:
            out.append((r[0], [r]))
        else:
            out[-1][1].append(r)
    return out


def _lines(*cells: str) -> list[str]:
    return [c for c in cells if c]


def one_cell_per_line_labels_after(rows):
    """pdftotext: the cells of scoped rows first, their labels after them all."""
    out, labels = [], []
    for label, group in _groups(rows):
        if all(not r[1] for r in group):
            out += _lines(label, group[0][2], group[0][3])
            continue
        labels.append(label)
        for r in group:
            out += _lines(r[1], r[2], r[3])
    return out + labels


def one_cell_per_line_labels_before(rows):
    """pdftotext: the labels of scoped rows first, then their cells."""
    plain = [c for label, group in _groups(rows) if all(not r[1] for r in group)
             for c in _lines(label, group[0][2], group[0][3])]
    scoped = [(label, group) for label, group in _groups(rows) if any(r[1] for r in group)]
    return plain + [label for label, _ in scoped] + [c for _, group in scoped for r in group
                                                      for c in _lines(r[1], r[2], r[3])]


def column_by_column(rows):
    """Every label and scope cell, then every value, then every year."""
    heads = [c for label, group in _groups(rows) for c in _lines(label, *(r[1] for r in group))]
    return heads + [""] + [r[2] for r in rows] + [""] + [r[3] for r in rows if r[3]]


def labels_values_scopes(rows):
    """The label column, then value and year, then the scope cells."""
    labels = [label for label, _ in _groups(rows)]
    return labels + [""] + [f"{r[2]} {r[3]}".strip() for r in rows] + [""] + [r[1] for r in rows if r[1]]


def years_at_the_end(rows):
    """Each row without its year, the years after the table, in order."""
    return [f"{r[0]} {r[1]} {r[2]}".strip() for r in rows] + [r[3] for r in rows if r[3]]


def narrow_label_cell(rows):
    """A label wrapped in a narrow cell: the value on its first line, the
    scope and the year on the next."""
    out = []
    for label, group in _groups(rows):
        for k, r in enumerate(group):
            head = label if k == 0 else ""
            if r[1] and head:
                out += [f" {head}\t{r[2]}", f" {r[1]} {r[3]}".rstrip()]
            else:
                out += [f" {head or r[1]} {r[2]}", f"{' ' * 36}{r[3]}"]
    return out


LAYOUTS = [one_cell_per_line_labels_after, one_cell_per_line_labels_before, column_by_column,
           labels_values_scopes, years_at_the_end, narrow_label_cell]


def _records(text: str, rules):
    base = context(text, rules)
    got = extract_indicators(replace(base, portrait=replace(base.portrait, table_start=0)))[0]
    return sorted((i.indicator, i.scope, i.group, i.value, i.year) for i in got.records), got


def test_the_brochure_has_tables_with_spanning_labels():
    assert len(TABLES) >= 15


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda f: f.__name__)
def test_every_table_reads_the_same_in_a_pdf_order(layout, rules):
    missed = []
    for rows in TABLES:
        want, _ = _records("\n".join("\t".join(r) for r in rows) + "\n\n" + PROSE, rules)
        assert want, rows
        text = "\n".join(layout(rows)) + "\n\n" + PROSE
        got, found = _records(text, rules)
        if got != want:
            missed.append((text, want, got))
        codes = {f.code for f in found.findings} - {"label_repaired", "decimal_comma", "cell_reordered"}
        assert not codes, (text, codes)
        for ind in found.records:  # offsets point at the value printed
            assert text[ind.char_start:ind.char_end] == ind.raw
    assert not missed, missed[:2]


def test_a_year_no_row_can_take_is_reported(rules):
    text = "Population\t\t1,000\t(2015)\n(2014)\nArea (km²)\t\t36\t(2012)\n\n" + PROSE
    got, found = _records(text, rules)
    assert got == [("area_km2", "city", "all", 36, 2012), ("population", "city", "all", 1000, 2015)]
    assert [(f.code, f.value) for f in found.findings] == [("table_row_unparsed", "(2014)")]


def test_moved_cells_are_reported_with_their_line(rules):
    text = "\n".join(column_by_column(TABLES[0])) + "\n\n" + PROSE
    _, found = _records(text, rules)
    moved = [f for f in found.findings if f.code == "cell_reordered"]
    assert moved and all(text[f.char_start:f.char_end] == f.value for f in moved)
