"""Format detection, web profiles and challenge pages, end to end."""
from __future__ import annotations

import pytest
import regex

from conftest import ROOT, read_tables
from extract.bench.variants import VARIANTS
from extract.pipeline import run
from extract.read.detect import detect_format
from extract.read.ingest import fold

RAW = ROOT / "raw"
PROFILE = RAW / "web-profile-kaunas.txt"
CHALLENGE = RAW / "challenge-page-kaunas.txt"


@pytest.fixture(scope="module")
def raw_out(tmp_path_factory, rules):
    out = tmp_path_factory.mktemp("raw-out")
    run([RAW], out, rules, say=lambda line: None)
    return read_tables(out)


def _glued(text: str) -> str:
    """The profile as a scraper that loses line breaks copies it: the page
    body (after the tagline) is one run of text."""
    lines = text.split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.strip() == "Learning always and everywhere")
    return "\n".join(lines[:k + 1]) + "\n" + "".join(ln.strip() for ln in lines[k + 1:])


@pytest.mark.parametrize("path,want", [
    (RAW / "gnlc-portraits-2016.txt", "brochure"), (PROFILE, "web_profile"), (CHALLENGE, "challenge_page")])
def test_format_is_detected_from_the_content(rules, path, want):
    text = path.read_text(encoding="utf-8")
    got = detect_format(fold(text), rules.formats)
    assert got.format == want
    assert got.evidence.startswith(f"format.{want} ")
    for variant in ("wrapped-crlf-spaces-typographic", "wrapped-unparagraphed"):
        assert detect_format(fold(VARIANTS[variant](text)), rules.formats).format == want


def test_unknown_format_names_what_was_looked_for(rules):
    got = detect_format(fold("Minutes of the meeting\n\nThe committee met on Tuesday.\n"), rules.formats)
    assert got.format == ""
    assert "brochure: member-list" in got.looked_for and "challenge_page: breadcrumb" in got.looked_for


def test_web_profile_city_tagline_and_figures(raw_out):
    cities = raw_out["cities"]
    row = cities[cities["document_id"] == PROFILE.name].iloc[0]
    assert (row["city_id"], row["city"], row["country"], row["country_code"]) == ("kaunas-ltu", "Kaunas", "Lithuania", "LTU")
    assert row["source_format"] == "web_profile"
    assert row["tagline"] == "Learning always and everywhere"
    assert row["gdp_per_capita_country_usd"] == "13880"
    assert row["gdp_per_capita_city_usd"] == ""  # a range stays out of the wide column
    assert row["population"] == ""  # an empty bullet is empty, never 0
    ind = raw_out["indicators"]
    ind = ind[ind["document_id"] == PROFILE.name].set_index(["indicator", "scope"])
    assert ind.loc[("gdp_per_capita_usd", "city"), ["value", "value_min", "value_max"]].tolist() == ["", "10000", "15000"]
    assert ind.loc[("population_density_per_km2", "city"), ["value", "value_min", "value_max"]].tolist() == ["", "500", ""]
    assert ind.loc[("gdp_per_capita_usd", "country"), ["value", "raw"]].tolist() == ["13880", "USD 13,880"]


def test_web_profile_sections(raw_out):
    sections = raw_out["sections"]
    mine = sections[sections["document_id"] == PROFILE.name].set_index("section")["text"]
    assert sorted(mine.index) == ["challenges", "intro", "plan", "vision"]
    assert mine["intro"].startswith("Kaunas was one of the first cities")
    assert mine["vision"].startswith("Proclaimed by the Mayor of Kaunas")
    assert mine["challenges"].startswith("Currently, Kaunas faces challenges")
    assert mine["plan"].startswith("Kaunas City Council has formally adopted")
    assert mine["plan"].endswith("enhanced social cohesion.")  # the disclaimer is left out
    findings = raw_out["findings"]
    mine = findings[findings["document_id"] == PROFILE.name]
    assert set(mine["code"]) == {"indicator_empty", "boilerplate_removed"}


def test_scraped_profile_without_line_breaks_keeps_its_headings(tmp_path, rules):
    path = tmp_path / "scraped.txt"
    path.write_text(_glued(PROFILE.read_text(encoding="utf-8")), encoding="utf-8")
    assert "learning cityVision and motivation" in path.read_text(encoding="utf-8").replace("15 years ago.", "learning city")
    run([path], tmp_path / "out", rules, say=lambda line: None)
    sections = read_tables(tmp_path / "out")["sections"].set_index("section")["text"]
    assert sections["vision"].startswith("Proclaimed by the Mayor of Kaunas")
    assert sections["challenges"].startswith("Currently, Kaunas faces challenges")
    assert sections["plan"].startswith("Kaunas City Council")


def test_challenge_page(raw_out):
    page = raw_out["challenges"].iloc[0]
    assert page["document_id"] == CHALLENGE.name
    assert page["city_id"] == "kaunas-ltu"
    assert page["sdgs"] == "4;11;13"
    assert page["deadline"] == "2020-12-31"
    sdgs = raw_out["challenge_sdgs"]
    assert sdgs[["sdg", "name"]].values.tolist() == [
        ["4", "Quality Education"], ["11", "Sustainable Cities and Communities"], ["13", "Climate Action"]]
    items = raw_out["items"]
    groups = items[(items["document_id"] == CHALLENGE.name) & (items["section"] == "target_groups")]
    assert groups["text"].tolist() == ["Formal and informal education institutions and NGOs", "citizens", "municipality"]


def test_one_city_in_two_documents_joins_by_city_id(raw_out):
    cities = raw_out["cities"]
    rows = cities[cities["city_id"] == "kaunas-ltu"]
    assert sorted(rows["document_id"]) == ["gnlc-portraits-2016.txt", PROFILE.name]
    assert sorted(rows["source_format"]) == ["brochure", "web_profile"]
    indicators = raw_out["indicators"]
    assert set(indicators[indicators["city_id"] == "kaunas-ltu"]["document_id"]) == {"gnlc-portraits-2016.txt", PROFILE.name}
    assert raw_out["challenges"]["city_id"].tolist() == ["kaunas-ltu"]


@pytest.mark.parametrize("table", ["cities", "indicators", "sections", "items", "challenges", "challenge_sdgs"])
def test_offsets_of_other_formats_point_to_their_source(raw_out, table):
    texts = {p.name: p.read_text(encoding="utf-8") for p in (PROFILE, CHALLENGE)}
    frame = raw_out[table]
    frame = frame[frame["document_id"].isin(texts) & (frame["char_start"] != "")]
    assert len(frame)
    for _, r in frame.iterrows():
        source = texts[r["document_id"]][int(r["char_start"]):int(r["char_end"])]
        for col in ("raw", "text"):
            if col in r and r[col] and "\n" not in r[col]:
                assert regex.sub(r"\s+", " ", source) == r[col]
