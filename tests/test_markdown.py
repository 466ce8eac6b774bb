"""Markdown is read as the plain layout it marks up, in place: ``match_text``
keeps its length, so every offset points into the Markdown the user wrote."""
from __future__ import annotations

import pytest

from conftest import BROCHURE, CASES, read_tables
from extract.bench.renderings.text import markdown
from extract.pipeline import run
from extract.portrait.rows import line_to_row
from extract.read.markdown import markdown_signs, to_plain
from extract.read.textutil import fold

CASE = CASES / "markdown-portrait.md"
CASE_TEXT = CASE.read_text(encoding="utf-8")


@pytest.mark.parametrize("name,text", [("case", CASE_TEXT),
                                       ("rendering", markdown(BROCHURE.read_text(encoding="utf-8")))])
def test_same_length_marks_to_white_space(name, text):
    folded = fold(text)
    plain = to_plain(folded)
    assert len(plain) == len(text)
    # marks become white space; every other character stays where it was
    changed = {folded[i] for i in range(len(text)) if plain[i] != folded[i] and plain[i] not in " \t\n"}
    assert not changed


def test_plain_text_is_not_markdown():
    assert markdown_signs(fold(BROCHURE.read_text(encoding="utf-8"))) is None


def test_lines_opening_in_bold_make_markdown_and_rules_or_a_few_do_not():
    bold = "Intro.\n\n**Vision and motivation**\n\nText.\n\n__Challenges and goals__\n\n**Contact details:** Mr X\n"
    signs = markdown_signs(bold)
    assert signs is not None and (signs.headings, signs.strong) == (0, 3) and "3 line(s) opening in bold" in str(signs)
    assert markdown_signs(bold.replace("__Challenges and goals__", "Challenges and goals")) is None  # two are not enough
    assert markdown_signs("____\n**  **\n__2016__\nText **bold** inside a line.\n" * 3) is None  # no letter, or not at the start
    plain = to_plain(bold)
    assert "\n  Vision and motivation  \n" in plain and "  Contact details:   Mr X" in plain


def test_markdown_is_recognized():
    signs = markdown_signs(fold(CASE_TEXT))
    assert signs is not None and signs.tables == 2 and signs.headings == 6


@pytest.mark.parametrize("md,label,scope,value,year", [
    ("| **Population** |  | 80,006 | (2010) |", "population", None, "80,006", "2010"),
    ("|  | **Country** | 18,400 | (2012) |", None, "country", "18,400", "2012"),
    ("| Area (km²) | 36 | (2012) |", "area_km2", None, "36", "2012"),
])
def test_pipe_row_reads_as_indicator_row(rules, md, label, scope, value, year):
    plain = to_plain("| a | b |\n|---|---|\n" + md)
    line = plain.split("\n")[2]
    row = line_to_row(line, rules.indicators)
    assert row is not None
    assert (row.label.key if row.label else None, row.scope.key if row.scope else None) == (label, scope)
    assert (row.value_raw, row.year_raw) == (value, year)
    assert md[row.value_start:row.value_end] == value  # the offsets are the Markdown's
    assert "|" not in line and "*" not in line


def test_separator_and_rule_are_blank():
    plain = to_plain("| a | b |\n|:---|---:|\n| c | d |\n\n---\n")
    assert plain.split("\n")[1].strip() == "" and plain.split("\n")[4].strip() == ""
    assert plain.split("\n")[2].split() == ["c", "d"] and "\t" in plain.split("\n")[2]


def test_escaped_pipe_is_text():
    plain = to_plain("| a \\| b | c |\n|---|---|\n")
    assert plain.split("\n")[0].split("\t")[0].split() == ["a", "|", "b"]


def test_heading_reads_as_section_heading(rules):
    md = "Some text.\n\n### Vision and motivation\n\nThe vision."
    plain = to_plain(md)
    vision = next(h for h in rules.headings if h.section == "vision")
    m = vision.pattern.search(plain)
    assert m is not None and md[m.start("h"):m.end("h")] == "Vision and motivation"
    heading_line = next(ln for ln in plain.split("\n") if "Vision" in ln)
    assert heading_line == "Vision and motivation"  # its marks are line ends, not an indent


def test_quote_then_speaker():
    md = "> 'A city that learns.'\n>\n> Mr Jan Kowal - Mayor of X\n"
    plain = to_plain(md)
    lines = plain.split("\n")
    assert "'A city that learns.'" in lines and "> Mr Jan Kowal - Mayor of X" in lines


@pytest.mark.parametrize("md,kept", [
    ("Read **Plan** now", "Read   Plan   now"),
    ("a *word* here", "a  word  here"),
    ("see [the hubs](https://example.org) there", "see  the hubs                       there"),
    ("mail <a.b@example.org>", "mail  a.b@example.org "),
    ("Sorocaba *", "Sorocaba *"),  # an award mark is no emphasis
    ("write to first_last@example.org", "write to first_last@example.org"),
])
def test_inline_marks(md, kept):
    assert to_plain(md) == kept


@pytest.fixture(scope="module")
def case_tables(tmp_path_factory, rules):
    out = tmp_path_factory.mktemp("markdown")
    run([CASE], out, rules, say=lambda line: None)
    return read_tables(out)


def test_case_extracts_as_plain(case_tables):
    city = case_tables["cities"].iloc[0]
    assert (city.city, city.tagline, city.learning_city_award) == (
        "Braga", "A river city that learns together", "2015")
    assert (city.population, city.gdp_per_capita_country_usd) == ("193333", "24300")
    assert "*" not in city.vision and city.plan == "The city will open learning hubs in its libraries."
    quote = case_tables["quotes"].iloc[0]
    assert (quote.text, quote.speaker, quote.speaker_role) == (
        "A city that learns is a city that stays young.", "Ricardo Rio", "Mayor of Braga")
    assert case_tables["contacts"].iloc[0].email == "ana.costa@cm-braga.pt"
    assert list(case_tables["items"].text) == ["early school leaving", "digital skills for older adults"]
    codes = list(case_tables["findings"].code)
    assert codes == ["markdown_read"], codes


def test_case_offsets_point_into_the_markdown(case_tables):
    t = case_tables
    for r in t["indicators"].itertuples():
        assert CASE_TEXT[int(r.char_start):int(r.char_end)] == r.raw
        assert CASE_TEXT[int(r.label_char_start):int(r.label_char_end)].split()[0].strip("*") in r.label_raw
    city = t["cities"].iloc[0]
    assert CASE_TEXT[int(city.tagline_char_start):int(city.tagline_char_end)] == city.tagline
    for r in t["quotes"].itertuples():
        assert CASE_TEXT[int(r.char_start):int(r.char_end)].split()[:4] == r.text.split()[:4]
        assert CASE_TEXT[int(r.speaker_char_start):int(r.speaker_char_end)].startswith("> Mr Ricardo Rio")
    for r in t["contacts"].itertuples():
        assert r.email_raw in CASE_TEXT[int(r.char_start):int(r.char_end)]
    for r in t["items"].itertuples():
        assert CASE_TEXT[int(r.char_start):int(r.char_end)] == "- " + r.text
    for r in t["sections"].itertuples():
        assert CASE_TEXT[int(r.char_start):int(r.char_end)].split()[:2] == r.text.split()[:2]
