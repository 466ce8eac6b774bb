"""The member list in the forms renderings print it (tests/cases/members.yaml)."""
from __future__ import annotations

import pytest

from conftest import cases
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
