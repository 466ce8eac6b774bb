"""Indicator tables set in another layout (``Label: value``, the scope after
a comma, the year in the label, in a cell of its own, after a comma or
before the value, thousands set apart by a space, dot leaders:
``extract.bench.renderings``' ``table-*`` renderings, made by code from the
brochure) give the brochure's indicators, value for value and year for year."""
from __future__ import annotations

from collections import Counter

import pytest

from conftest import BROCHURE, fields, rows_of_text
from extract.bench.renderings.text import TABLE_STYLES, table_styled
from extract.read.textutil import fold

SOURCE = BROCHURE.read_text(encoding="utf-8")
KEYS = {"indicators": ("city_id", "indicator", "scope", "group", "value", "value_min", "value_max", "year")}


@pytest.mark.parametrize("style", list(TABLE_STYLES))
def test_a_table_in_another_layout_gives_the_same_indicators(tmp_path, rules, brochure_rows, style):
    text = table_styled(SOURCE, style)
    assert text != SOURCE
    rows = rows_of_text(text, tmp_path, rules)
    assert len(brochure_rows["indicators"]) > 180
    assert fields(rows, KEYS) == fields(brochure_rows, KEYS)
    mine = Counter(f["code"] for f in rows["findings"])
    before = Counter(f["code"] for f in brochure_rows["findings"])
    assert mine["unclaimed_text"] <= before["unclaimed_text"] and not mine["indicator_table_missing"]
    folded = fold(text)  # no-break spaces as spaces, offsets unchanged
    assert all(folded[r["char_start"]:r["char_end"]] == r["raw"] for r in rows["indicators"])
