"""Web profiles as real pages print them: no indicator bullets, line breaks
lost by a scraper, site navigation above the title, a country with a comma.
Each input is made here from the Kaunas profile."""
from __future__ import annotations

import pytest
import regex

from conftest import ROOT, read_tables
from extract.pipeline import run
from extract.portrait.mentions import mention_index
from extract.tables.validate import validate
from extract.types import CityMatch, Indicator, Member, Portrait, PortraitResult, Span

PROFILE = ROOT / "raw" / "web-profile-kaunas.txt"
DISCLAIMER = "UIL is not responsible for the content of this city profile."


def _without_bullets(text: str) -> str:
    """The profile with its indicator block (and the disclaimer) left out."""
    lines = text.replace(DISCLAIMER, "").split("\n")
    first = next(i for i, ln in enumerate(lines) if ln.strip().startswith("\u2022"))
    tag = next(i for i, ln in enumerate(lines) if ln.strip() == "Learning always and everywhere")
    return "\n".join(lines[:first] + lines[tag:])


def _scraped(text: str) -> str:
    """Every line break after the title lost: paragraphs and headings run together."""
    title, rest = text.split("\n", 1)
    return title + "\n" + "".join(p.strip() for p in regex.split(r"\n\s*\n", rest) if p.strip())


def _run(tmp_path, rules, text: str):
    path = tmp_path / "profile.txt"
    path.write_text(text, encoding="utf-8")
    run([path], tmp_path / "out", rules, say=lambda line: None)
    return read_tables(tmp_path / "out")


def _profile_tuple(tables):
    """City, format, tagline, and whether each section starts (ends) as printed."""
    row = tables["cities"].iloc[0]
    return (row["city_id"], row["source_format"], row["tagline"],
            row["intro"].startswith("Kaunas was one of the first cities"),
            row["vision"].startswith("Proclaimed by the Mayor of Kaunas"),
            row["challenges"].startswith("Currently, Kaunas faces challenges"),
            row["plan"].endswith("enhanced social cohesion."))


KAUNAS = ("kaunas-ltu", "web_profile", "Learning always and everywhere", True, True, True, True)


def test_profile_without_bullets(tmp_path, rules):
    tables = _run(tmp_path, rules, _without_bullets(PROFILE.read_text(encoding="utf-8")))
    assert _profile_tuple(tables) == KAUNAS
    assert "format_unknown" not in set(tables["findings"]["code"])


def test_scraped_profile_without_bullets_or_line_breaks(tmp_path, rules):
    text = _scraped(_without_bullets(PROFILE.read_text(encoding="utf-8")))
    assert "everywhereKaunas" in text and "resident.Kaunas envisages" in text
    assert "opportunities.Plan and implementationKaunas City" in text
    tables = _run(tmp_path, rules, text)
    assert _profile_tuple(tables) == KAUNAS
    assert sorted(tables["sections"]["section"]) == ["challenges", "intro", "plan", "vision"]


def test_breadcrumb_above_the_title(tmp_path, rules):
    text = _without_bullets(PROFILE.read_text(encoding="utf-8"))
    for k, crumb in enumerate(("Home\n\n", "Home > Networks > Learning cities\n")):
        (tmp_path / str(k)).mkdir()
        tables = _run(tmp_path / str(k), rules, crumb + text)
        row = tables["cities"].iloc[0]
        assert (row["city_id"], row["city"], row["country"], row["tagline"]) == (
            "kaunas-ltu", "Kaunas", "Lithuania", "Learning always and everywhere")


def test_country_with_a_comma(tmp_path, rules):
    text = _without_bullets(PROFILE.read_text(encoding="utf-8")).replace(
        "Kaunas, Lithuania", "Kashan, Iran, Islamic Republic of", 1)
    row = _run(tmp_path, rules, text)["cities"].iloc[0]
    assert (row["city_id"], row["city"], row["country"], row["country_code"]) == (
        "kashan-irn", "Kashan", "Iran, Islamic Republic of", "IRN")


def _density_result(band_min: float | None, band_max: float | None, raw: str) -> PortraitResult:
    """A portrait printing 300,000 inhabitants on 150 km² (2,000 per km²) and
    the density band ``raw``. (Built as records: the profile's row reader does
    not yet read a population on the bullet's line.)"""
    def ind(name, value=None, low=None, high=None, text=""):
        return Indicator(name, "city", "all", value, low, high, None, text, "", name, 0, 0, "test")
    member = Member(city="Kaunas", country="Lithuania", country_code="LTU", award_year=None, span=Span(0, 6),
                    rule="test")
    portrait = Portrait(document_id="profile.txt", index=0, span=Span(0, 6), lines=(), header=(), table_start=None)
    return PortraitResult(
        portrait=portrait, match=CityMatch(member=member, city_id="kaunas-ltu", score=10.0, evidence="test"),
        tagline="", tagline_span=None, joined_gnlc="",
        indicators=(ind("population", 300000.0), ind("area_km2", 150.0),
                    ind("population_density_per_km2", None, band_min, band_max, raw)),
        sections=(), items=(), contacts=(), quotes=(), findings=())


@pytest.mark.parametrize("band_min,band_max,raw,want", [
    (500.0, None, "More than 500 inhabitants per km²", []),
    (None, 300.0, "Less than 300 inhabitants per km²",
     [("kaunas-ltu", "density_band_contradicted", "population_density_per_km2", "Less than 300 inhabitants per km²")]),
    (None, 1900.0, "Less than 1,900 inhabitants per km²", []),  # within the tolerance of check.density-band
    (5000.0, None, "More than 5,000 inhabitants per km²",
     [("kaunas-ltu", "density_band_contradicted", "population_density_per_km2", "More than 5,000 inhabitants per km²")]),
])
def test_density_band_contradicted_by_population_and_area(rules, band_min, band_max, raw, want):
    r = _density_result(band_min, band_max, raw)
    members = {"profile.txt": ((r.match.member,), mention_index((r.match.member,), rules.places))}
    found = validate([r], members, rules.validation, rules.findings)
    assert [(f.city_id, f.code, f.field, f.value) for f in found] == want
