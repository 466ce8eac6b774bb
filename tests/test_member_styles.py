"""The member list set in another layout (``Country – City``, ``Country:
City``, ``City, Country``, ``City (Country)``, another heading:
``extract.bench.renderings``' ``members-*`` renderings, made by code from the
brochure) gives the brochure's cities, countries and awards."""
from __future__ import annotations

import pytest

from conftest import BROCHURE
from extract.bench.renderings.text import MEMBER_STYLES, members_styled
from extract.pipeline import document_rows

SOURCE = BROCHURE.read_text(encoding="utf-8")
KEY = ("city_id", "city", "country", "country_code", "learning_city_award", "char_start", "char_end")


def cities(rows) -> list[tuple]:
    return sorted((tuple(r[k] for k in KEY) for r in rows["cities"]), key=repr)


@pytest.fixture(scope="module")
def printed(tmp_path_factory, rules):
    path = tmp_path_factory.mktemp("printed") / "brochure.txt"
    path.write_text(SOURCE, encoding="utf-8")
    return document_rows(path, rules)


@pytest.mark.parametrize("style", list(MEMBER_STYLES))
def test_a_member_list_in_another_layout_gives_the_same_cities(tmp_path, rules, printed, style):
    text = members_styled(SOURCE, style)
    assert text != SOURCE and len(text.split("\n")) == len(SOURCE.split("\n"))
    path = tmp_path / "brochure.txt"
    path.write_text(text, encoding="utf-8")
    rows = document_rows(path, rules)
    awarded = [r for r in printed["cities"] if r["learning_city_award"]]
    assert len(printed["cities"]) == 37 and len(awarded) >= 9
    assert [c[:5] for c in cities(rows)] == [c[:5] for c in cities(printed)]  # offsets move with the list
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
