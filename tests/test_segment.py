"""Segment and identify on small labelled documents (tests/cases/segment.yaml)."""
from __future__ import annotations

import pytest

from conftest import cases
from extract.portrait.context import Context, PortraitRules
from extract.portrait.extract import extract_portrait
from extract.portrait.identify import identify
from extract.portrait.mentions import mention_index
from extract.portrait.segment import SegmentRules, segment
from extract.read.ingest import fold
from extract.types import Document


@pytest.mark.parametrize("case", cases("segment.yaml"), ids=lambda c: c["name"])
def test_segment_and_identify(case, rules):
    text = case["text"]
    doc = Document("case.txt", "case.txt", text, fold(text), "utf-8")
    seg = segment(doc, SegmentRules.of(rules))
    matches = identify(seg, rules.people, rules.places, mention_index(seg.members, rules.places))
    assert len(seg.portraits) == len(case["expect"])
    for portrait, match, want in zip(seg.portraits, matches, case["expect"]):
        assert match.member.city == want["city"]
        assert match.member.award_year == want["award"]
        result = extract_portrait(Context(doc, PortraitRules.of(rules), portrait, match.city_id), match)
        assert result.tagline == want["tagline"]
        assert result.joined_gnlc == want.get("joined", "")
        if "indicators" in want:
            assert {i.indicator: i.value for i in result.indicators if i.scope == "city"} == want["indicators"]
        assert not [f for f in result.findings if f.code == "unclaimed_text"]
