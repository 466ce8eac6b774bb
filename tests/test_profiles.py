"""Web profiles as real pages print them: no indicator bullets, line breaks
lost by a scraper, site navigation above the title, a country with a comma.
Each input is made here from the Kaunas profile."""
from __future__ import annotations

import regex

from conftest import ROOT, read_tables
from extract.pipeline import run

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
