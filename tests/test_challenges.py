"""Challenge pages: the page of tests/cases/challenges.yaml and the variants
made from it → one ``ChallengePage``; one test id per variant and field, and
every value's span points at its source."""
from __future__ import annotations

import shutil
import textwrap

import pytest
import yaml

from conftest import cases
from extract.challenge.page import ChallengePageRules, extract_challenge
from extract.errors import RuleError
from extract.read.ingest import fold
from extract.read.textutil import squash
from extract.rules import DEFAULT_DIR, load_rules
from extract.types import Document, Span

CASES = cases("challenges.yaml")
VARIANTS = CASES["variants"]
FIELDS = ("title", "city", "country", "country_code", "sdgs", "sdg_raw", "deadline", "deadline_raw",
          "target_groups", "markers", "description", "challenge", "expected_impact", "evidence", "findings")
STARTS = ("description", "challenge", "expected_impact")
OFFICIAL = {
    1: "No Poverty", 2: "Zero Hunger", 3: "Good Health and Well-being", 4: "Quality Education",
    5: "Gender Equality", 6: "Clean Water and Sanitation", 7: "Affordable and Clean Energy",
    8: "Decent Work and Economic Growth", 9: "Industry, Innovation and Infrastructure",
    10: "Reduced Inequalities", 11: "Sustainable Cities and Communities",
    12: "Responsible Consumption and Production", 13: "Climate Action", 14: "Life Below Water",
    15: "Life on Land", 16: "Peace, Justice and Strong Institutions", 17: "Partnerships for the Goals",
}


def variant_text(variant: dict) -> str:
    text = CASES["page"]
    for old, new in variant.get("replace", []):
        assert old in text, f"{variant['name']}: {old!r} is not in the page"
        text = text.replace(old, new)
    if "cut" in variant:
        text = text[:text.index(variant["cut"])]
    if variant.get("wrap"):
        text = "\n".join(textwrap.fill(line, variant["wrap"], break_on_hyphens=False) for line in text.split("\n"))
    if variant.get("unparagraph"):
        text = "\n".join(line for line in text.split("\n") if line.strip())
    if variant.get("crlf"):
        text = text.replace("\n", "\r\n")
    return text


@pytest.fixture(scope="module")
def pages(rules):
    """Each variant's document and page, read once."""
    out = {}
    for v in VARIANTS:
        text = variant_text(v)
        doc = Document("challenge.txt", "challenge.txt", text, fold(text), "utf-8")
        out[v["name"]] = doc, extract_challenge(doc, ChallengePageRules.of(rules), tuple(map(tuple, v.get("known", []))))
    return out


def value_of(page, field: str):
    if field == "sdgs":
        return [[s.number, s.name] for s in page.sdgs]
    if field == "sdg_raw":
        return [s.raw for s in page.sdgs]
    if field == "target_groups":
        return [g.text for g in page.target_groups]
    if field == "markers":
        return [g.marker for g in page.target_groups]
    if field == "findings":
        return sorted([f.code, f.field] for f in page.findings)
    return getattr(page, field)


PAIRS = [(v, f) for v in VARIANTS for f in FIELDS]


@pytest.mark.parametrize("variant,field", PAIRS, ids=[f"{v['name']}-{f}" for v, f in PAIRS])
def test_field(pages, variant, field):
    got = value_of(pages[variant["name"]][1], field)
    want = sorted(variant.get("findings", [])) if field == "findings" else \
        {**CASES["expect"], **variant.get("expect", {})}[field]
    if field in STARTS and want:
        assert got.startswith(want)
    elif field == "evidence" and want:
        assert want in got
    else:
        assert got == want


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v["name"])
def test_spans_point_at_source(pages, variant):
    doc, page = pages[variant["name"]]

    def source(span: Span) -> str:
        return squash(fold(doc.text[span.start:span.end]))

    for field in ("title", "description", "challenge", "expected_impact", "city", "country"):
        span, value = getattr(page, f"{field}_span"), getattr(page, field)
        if field != "country":
            assert (span is None) == (value == ""), field
        if span is not None:
            assert source(span) == squash(value), field
    assert (page.deadline_span is None) == (page.deadline_raw == "")
    if page.deadline_span is not None:
        assert doc.text[page.deadline_span.start:page.deadline_span.end] == page.deadline_raw
    for s in page.sdgs:
        assert doc.text[s.char_start:s.char_end] == s.raw
        assert page.sdgs_span.start <= s.char_start < s.char_end <= page.sdgs_span.end
    for position, g in enumerate(page.target_groups, 1):
        assert (g.section, g.position) == ("target_groups", position)
        assert source(Span(g.char_start, g.char_end)) == g.text
    for f in page.findings:
        if f.char_start is not None:
            assert doc.text[f.char_start:f.char_end] == f.value, f.code


def test_findings_are_catalogued(pages, rules):
    for _, page in pages.values():
        for f in page.findings:
            assert (f.table, f.severity) == ("challenges", rules.findings[f.code].severity)
            assert f.city_id == page.city_id and f.message.strip()


def test_the_17_goals(rules):
    assert {s.number: s.name for s in rules.challenges.sdgs} == OFFICIAL


@pytest.mark.parametrize("edit,rule_id", [
    (lambda d: d["sdgs"].pop(), "sdgs"),
    (lambda d: d["sdgs"][3].update(number=18), "sdg.04"),
    (lambda d: d["sdgs"][12].update(number=4), "sdg.13"),
    (lambda d: d["sdgs"][12]["aliases"].append("education"), "sdg.13"),
    (lambda d: d["sdgs"][0].pop("name"), "sdg.01"),
    (lambda d: d["parts"][0].update(part="summary"), "challenge.part.our-challenge"),
    (lambda d: d["parts"][0].pop("phrase"), "challenge.part.our-challenge"),
    (lambda d: d.update(parts=[p for p in d["parts"] if p["part"] != "deadline"]), "parts"),
    (lambda d: d["breadcrumb"].update(pattern="Home/(.*)"), "challenge.breadcrumb"),
    (lambda d: d["sdg_number"].update(pattern="SDG[ ("), "challenge.sdg-number"),
    (lambda d: d["sdg_line"].update(max_unknown_words="five"), "challenge.sdg-line"),
    (lambda d: d["dates"][0].update(pattern="(?P<year>\\d{4})"), "challenge.date.iso"),
    (lambda d: d.pop("group_separators"), "group_separators"),
    (lambda d: d["generic_words"].pop("id"), "?"),
], ids=lambda x: x if isinstance(x, str) else "")
def test_bad_challenge_rule_names_file_and_id(tmp_path, edit, rule_id):
    rules_dir = tmp_path / "rules"
    shutil.copytree(DEFAULT_DIR, rules_dir)
    path = rules_dir / "challenges.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rules(rules_dir)
    assert (err.value.file, err.value.rule_id) == ("challenges.yaml", rule_id)
