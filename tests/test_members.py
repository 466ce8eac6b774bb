"""The member list in the forms renderings print it (tests/cases/members.yaml),
and its unreadable lines as findings of a run."""
from __future__ import annotations

import pytest

from conftest import cases
from extract.pipeline import run
from extract.portrait.members import read_members
from extract.read.ingest import fold
from extract.read.textutil import lines_of
from extract.types import Document


def _read(text: str, rules):
    doc = Document("case.txt", "case.txt", text, fold(text), "utf-8")
    return doc, read_members(doc, lines_of(doc.match_text), rules.document, rules.places)


@pytest.mark.parametrize("case", cases("members.yaml"), ids=lambda c: c["name"])
def test_member_list(case, rules):
    doc, got = _read(case["text"], rules)
    assert [f"{m.country} | {m.city} | {m.award_year or '-'}" for m in got.members] == case["members"]
    assert [doc.match_text[s.start:s.end] for s in got.unreadable] == case.get("unreadable", [])
    shown = [doc.match_text[s.start:s.end] for s in got.lines]
    assert shown[0] == "Participating cities" and all(t.strip() == t and t for t in shown)
    assert got.lines == tuple(sorted(got.lines, key=lambda s: s.start))
    for m in got.members:  # each member's span holds its city
        assert m.city in doc.match_text[m.span.start:m.span.end]
        assert m.country_code


def test_the_list_ends_at_its_last_entry(rules):
    doc, got = _read(cases("members.yaml")[11]["text"], rules)
    assert doc.match_text[got.lines[-1].start:got.lines[-1].end] == "Melitopol"


def test_unreadable_entries_are_findings(tmp_path, rules):
    brochure = tmp_path / "brochure.txt"
    brochure.write_text("Participating cities\nArgentinia\tVilla María\nPortugal\tAlpha Town *\n"
                        "* UNESCO Learning City Awardee 2015\n\nSea and sun for all\n\n"
                        "Population\t\t1,000\t(2015)\nArea (km²)\t\t10\t(2015)\n\nAlpha Town is by the sea.\n\n"
                        "Vision and motivation\n\nAlpha Town wants learning for all.\n\n"
                        "Contact details: Ms Ann Lee - Coordinator, Alpha Town Email: ann@alpha.example\n",
                        encoding="utf-8")
    run([brochure], tmp_path / "out", rules, say=lambda line: None)
    import pandas as pd
    f = pd.read_csv(tmp_path / "out" / "findings.csv", dtype=str, keep_default_na=False)
    assert [(r.code, r.field, r.value) for r in f[f["code"] == "member_entry_unparsed"].itertuples()] == [
        ("member_entry_unparsed", "member_list", "Argentinia Villa María")]
    cities = pd.read_csv(tmp_path / "out" / "cities.csv", dtype=str, keep_default_na=False)
    assert list(cities[["city", "country", "learning_city_award"]].itertuples(index=False, name=None)) == [
        ("Alpha Town", "Portugal", "2015")]
