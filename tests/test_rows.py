"""Indicator rows read over several lines (tests/cases/row_lines.yaml): each
row's label, scope, value and year, and the offsets of its value."""
from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import cases, context
from extract.portrait.cells import lines_to_rows
from extract.portrait.indicators import extract_indicators
from extract.read.textutil import lines_of


@pytest.mark.parametrize("case", cases("row_lines.yaml"), ids=lambda c: c["name"])
def test_rows_over_lines(case, rules):
    text = case["text"]
    rows = lines_to_rows(text, lines_of(text), rules.indicators)[0]
    got = [[row.label.key if row.label else None, row.scope.key if row.scope else None, row.value_raw, row.year_raw]
           for row, _ in rows]
    assert got == case["rows"]
    for row, span in rows:
        start = text.rfind("\n", 0, span.start) + 1
        assert text[start + row.value_start:start + row.value_end].replace("\n", " ") == row.value_raw
        if row.year_raw:
            assert text[start + row.year_start:start + row.year_end] == row.year_raw
        assert text[span.start:span.end].strip() == text[span.start:span.end]


def test_scope_row_under_a_label_without_that_scope(rules):
    """Cells out of order (pdftotext): a `Country` row under `Area` is no area
    of the country (the tables have no such column); it is reported, not read."""
    text = "Area (km²)\n\n36\n\n(2012)\n\nCountry\n\n18,400\n\n(2012)\n"
    base = context(text, rules)
    ctx = replace(base, portrait=replace(base.portrait, table_start=0))
    got = extract_indicators(ctx)[0]
    assert [(i.indicator, i.scope, i.value) for i in got.records] == [("area_km2", "city", 36)]
    assert [(f.code, f.field) for f in got.findings] == [("table_row_unparsed", "area_km2_country")]
