"""Section headings in another typography (capitals, each word capitalised,
``&`` for ``and``, numbered, Markdown bold: ``extract.bench.renderings``'
``headings-*`` renderings, made by code from the brochure) give the same
sections, list entries, contacts and themes as the brochure as printed."""
from __future__ import annotations

import pytest

from conftest import BROCHURE, fields, rows_of_text
from extract.bench.renderings.text import HEADING_STYLES, headings_styled

SOURCE = BROCHURE.read_text(encoding="utf-8")
KEYS = {"sections": ("city_id", "section", "text"), "items": ("city_id", "section", "position", "text"),
        "contacts": ("city_id", "name", "email"), "themes": ("city_id", "section", "position", "theme", "matched")}


@pytest.mark.parametrize("style", list(HEADING_STYLES))
def test_headings_in_another_typography_give_the_same_records(tmp_path, rules, brochure_rows, style):
    text = headings_styled(SOURCE, style)
    assert text != SOURCE
    rows = rows_of_text(text, tmp_path, rules)
    assert len(brochure_rows["sections"]) == 37 * 5 and len(brochure_rows["contacts"]) >= 37
    assert fields(rows, KEYS) == fields(brochure_rows, KEYS)
    codes = {f["code"] for f in rows["findings"]}
    assert not codes & {"section_missing", "item_empty", "contact_unparsed", "portrait_truncated"}, codes
    headings = [text[r["heading_char_start"]:r["heading_char_end"]] for r in rows["sections"]
                if r["heading_char_start"] is not None]
    assert len(headings) == 37 * 4 and all(h.strip() == h and h for h in headings)


def test_a_wrapped_line_of_prose_in_lower_case_is_no_heading(rules):
    vision = next(h for h in rules.headings if h.section == "vision")
    assert vision.pattern.search("The city set out its\nvision and motivation in 2015.") is None
    assert vision.pattern.search("x\nVISION & MOTIVATION\n").group("h") == "VISION & MOTIVATION"
