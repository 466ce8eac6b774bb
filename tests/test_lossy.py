"""City names damaged by a lossy conversion (``?``, U+FFFD for a lost letter):
the wildcard match on its own, then the brochure with its letters lost, read
with its member list and without it."""
from __future__ import annotations

import pytest

from conftest import BROCHURE
from extract.bench.renderings.text import front_matter_removed, lossy_ascii, replacement_char
from extract.pipeline import document_rows
from extract.portrait.lossy import fitting, is_damaged, name_to_pattern, repair_member, repair_name, splice
from extract.types import Member, Span


def member(city: str, code: str, start: int = 0) -> Member:
    return Member(city=city, country="", country_code=code, award_year=None, span=Span(start, start + len(city)),
                  rule="r")


# ---- the wildcard match

@pytest.mark.parametrize(("printed", "code", "repaired"), [
    ("Villa Mar?a", "ARG", "Villa María"),
    ("S\ufffdnderborg", "DNK", "Sønderborg"),
    ("Eski?ehir", "TUR", "Eskişehir"),
    ("Eski??ehir", "TUR", "Eskişehir"),            # two marks for the two bytes of one letter
    ("villa  mar?a", "ARG", "villa maría"),        # case and spaces as printed, the letter from the gazetteer
])
def test_a_damaged_name_fitting_one_gazetteer_name_is_repaired(printed, code, repaired):
    fix = repair_name(printed, code)
    assert (fix.repaired, fix.source, fix.country) == (repaired, "gazetteer", code)
    assert len(fix.candidates) == 1


def test_a_mark_stands_for_one_or_two_letters_outside_ascii():
    pattern = name_to_pattern("Ab?c")
    assert pattern.fullmatch("Abéc") and pattern.fullmatch("Abe\u0301c") is None  # e was never lost
    assert pattern.fullmatch("Abéèc") and not pattern.fullmatch("Abéèêc")
    assert not pattern.fullmatch("Abec") and not pattern.fullmatch("Abc")  # an ASCII letter was never lost
    assert fitting("Mar?a", ["Maria", "María", "Marίa", "Mar?a"]) == ("María", "Marίa")


def test_an_ambiguous_name_is_not_repaired_and_lists_what_it_fits():
    fix = repair_name("Ipor?", "BRA")
    assert (fix.repaired, fix.source, fix.candidates) == ("", "gazetteer", ("Iporá", "Iporã"))
    listed = (member("Märs", "DEU"), member("Mörs", "DEU"), member("Mürs", "AUT"))
    fix = repair_name("M?rs", "DEU", listed)
    assert (fix.repaired, fix.source, fix.candidates) == ("", "member list", ("Märs", "Mörs"))


def test_the_member_list_comes_before_the_gazetteer_and_the_country_bounds_both():
    listed = (member("Villa María", "ARG"), member("Villa Maréa", "URY"))
    assert repair_name("Villa Mar?a", "ARG", listed).source == "member list"
    assert repair_name("Villa Mar?a", "URY", listed).repaired == "Villa Maréa"
    assert repair_name("Villa Mar?a", "CHL").candidates == ()          # no such city in that country
    assert repair_name("Villa Mar?a", "").repaired == "Villa María"    # no country: the one in the world


def test_a_name_without_damage_is_untouched():
    m = member("Villa María", "ARG")
    assert repair_member(m) is m
    assert not is_damaged("Villa María") and not is_damaged("?") and is_damaged("Ybycu\ufffd")
    assert member("Ipor?", "BRA").names == ("Ipor?",)


def test_a_repaired_member_keeps_its_printed_name_and_where_it_is():
    text = "Argentina\tVilla Mar?a\n"
    m = repair_member(Member("Villa Mar?a", "Argentina", "ARG", None, Span(0, 21), "r"), text=text)
    assert (m.city, m.names, m.repair.span) == ("Villa María", ("Villa María", "Villa Mar?a"), Span(10, 21))
    assert m == Member("Villa María", "Argentina", "ARG", None, Span(0, 21), "r")  # the repair is no identity
    assert splice("Villa Mar?a", "Villa María") == "Villa María"
    with pytest.raises(ValueError):
        splice("Villa Mar?a", "Villa Maria")


# ---- the brochure with its letters lost

def extracted(tmp_path, text: str) -> tuple[str, dict[str, list[dict]]]:
    from extract.rules import load_rules
    path = tmp_path / "lossy.txt"
    path.write_text(text, encoding="utf-8")
    return text, document_rows(path, load_rules())


def repairs(rows: dict[str, list[dict]], text: str) -> list[tuple]:
    out = []
    for f in rows["findings"]:
        if f["code"] in ("name_repaired", "name_unrepaired"):
            assert f["severity"] == "warning" and f["table"] == "cities" and f["field"] == "city"
            out.append((f["city_id"], f["code"], f["value"], text[f["char_start"]:f["char_end"]]))
    return sorted(out)


SOURCE = BROCHURE.read_text(encoding="utf-8")


@pytest.mark.parametrize("mark", ["?", "\ufffd"])
def test_the_brochure_with_lost_letters_gets_its_city_names_back(tmp_path, mark):
    text, rows = extracted(tmp_path, lossy_ascii(SOURCE) if mark == "?" else replacement_char(SOURCE))
    cities = {c["city_id"]: c["city"] for c in rows["cities"]}
    assert {cities[i] for i in ("villa-maria-arg", "sonderborg-dnk", "eskisehir-tur")} == {
        "Villa María", "Sønderborg", "Eskişehir"}
    assert repairs(rows, text) == [
        ("eskisehir-tur", "name_repaired", f"Eski{mark}ehir → Eskişehir", f"Eski{mark}ehir"),
        ("sonderborg-dnk", "name_repaired", f"S{mark}nderborg → Sønderborg", f"S{mark}nderborg"),
        ("villa-maria-arg", "name_repaired", f"Villa Mar{mark}a → Villa María", f"Villa Mar{mark}a"),
        # in no gazetteer the pipeline has: kept as printed
        ("ybycu-pry", "name_unrepaired", f"Ybycu{mark}", f"Ybycu{mark}"),
    ]


def test_without_member_list_the_text_name_is_repaired(tmp_path):
    text, rows = extracted(tmp_path, lossy_ascii(front_matter_removed(SOURCE)))
    cities = {c["city_id"]: (c["city"], c["country_code"]) for c in rows["cities"]}
    assert cities["villa-maria-arg"] == ("Villa María", "ARG") and cities["sonderborg-dnk"] == ("Sønderborg", "DNK")
    assert [r[:2] for r in repairs(rows, text)] == [
        ("eskisehir-tur", "name_repaired"), ("sonderborg-dnk", "name_repaired"),
        ("villa-maria-arg", "name_repaired"), ("ybycu", "name_unrepaired")]


def test_an_ambiguous_member_name_is_a_finding_that_lists_the_candidates(tmp_path):
    text = lossy_ascii(SOURCE).replace("Argentina\tVilla Mar?a", "Brazil\tIpor?").replace("Villa Mar?a", "Ipor?")
    text, rows = extracted(tmp_path, text)
    found = [f for f in rows["findings"] if f["code"] == "name_unrepaired" and f["city_id"] == "ipor-bra"]
    assert len(found) == 1 and "'Iporá', 'Iporã'" in found[0]["message"]
    assert text[found[0]["char_start"]:found[0]["char_end"]] == "Ipor?"
    assert "ipor-bra" in {c["city_id"] for c in rows["cities"]}


def test_a_damaged_profile_title_is_repaired(tmp_path):
    profile = (BROCHURE.parent / "web-profile-kaunas.txt").read_text(encoding="utf-8")
    title = profile.split("\n", 1)[0]
    text, rows = extracted(tmp_path, "?iauliai" + profile[len(title.split(",")[0]):])
    assert [(c["city_id"], c["city"]) for c in rows["cities"]] == [("siauliai-ltu", "Šiauliai")]
    assert repairs(rows, text) == [("siauliai-ltu", "name_repaired", "?iauliai → Šiauliai", "?iauliai")]
