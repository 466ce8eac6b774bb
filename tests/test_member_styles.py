"""The member list set in another layout (``Country – City``, ``Country:
City``, ``City, Country``, ``City (Country)``, another heading:
``extract.bench.renderings``' ``members-*`` renderings, made by code from the
brochure) gives the brochure's cities, countries and awards."""
from __future__ import annotations

import pytest

from conftest import BROCHURE, fields, rows_of_text
from extract.bench.renderings.text import MEMBER_STYLES, members_styled

SOURCE = BROCHURE.read_text(encoding="utf-8")
KEYS = {"cities": ("city_id", "city", "country", "country_code", "learning_city_award")}  # offsets move with the list


@pytest.mark.parametrize("style", list(MEMBER_STYLES))
def test_a_member_list_in_another_layout_gives_the_same_cities(tmp_path, rules, brochure_rows, style):
    text = members_styled(SOURCE, style)
    assert text != SOURCE and len(text.split("\n")) == len(SOURCE.split("\n"))
    rows = rows_of_text(text, tmp_path, rules)
    awarded = [r for r in brochure_rows["cities"] if r["learning_city_award"]]
    assert len(brochure_rows["cities"]) == 37 and len(awarded) >= 9
    assert fields(rows, KEYS) == fields(brochure_rows, KEYS)
    codes = {f["code"] for f in rows["findings"]}
    assert not codes & {"member_entry_unparsed", "city_evidence_weak", "country_unknown"}, codes


@pytest.mark.parametrize("line,entry", [
    ("Mexico City, Mexico", ("Mexico", "Mexico City")),           # the side that names a country, not the first word
    ("Mexico – Mexico City", ("Mexico", "Mexico City")),
    ("Korea, Republic of – Osan", ("Korea, Republic of", "Osan")),  # the longest country of several splits
    ("Behbahan (Iran (Islamic Republic of))", ("Iran (Islamic Republic of)", "Behbahan")),
    ("Luxembourg – Luxembourg", ("Luxembourg", "Luxembourg")),
    ("Israel - Modiin-Maccabim-Reut", ("Israel", "Modiin-Maccabim-Reut")),  # a hyphen inside a name is no separator
    ("Brazil\tContagem", ("Brazil", "Contagem")),
    ("Annual report, 2016", None),
])
def test_an_entry_with_a_separator_splits_where_a_country_is_named(rules, line, entry):
    from extract.portrait.members import _split_entry
    assert _split_entry(line, rules.places) == entry
