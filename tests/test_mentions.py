"""Mentions of member cities: whole names only, the longest at a place, no overlaps."""
from __future__ import annotations

import pytest

from extract.portrait.mentions import mention_index
from extract.rules import load_rules
from extract.types import Member, Span

NAMES = ("Ho Chi Minh City", "Minh", "Dar es Salaam", "Salaam", "Cork", "New York", "York", "Sønderborg")


@pytest.fixture(scope="module")
def index():
    members = tuple(Member(n, "Somewhere", "XX", None, Span(0, 0), "test") for n in NAMES)
    return mention_index(members, load_rules().places)


def _named(index, text: str) -> dict[str, int]:
    return {NAMES[i]: n for i, n in index.count(text).items()}


@pytest.mark.parametrize("text, expected", [
    ("Ho Chi Minh City and Minh", {"Ho Chi Minh City": 1, "Minh": 1}),  # the longest at a place
    ("Corkscrew, Yorkshire, 2Cork, Cork2", {}),  # a letter or digit touching a name: no mention
    ("New York; York. NEW YORK", {"New York": 2, "York": 1}),  # case folded
    ("Dar es Salaam's port, Salaam", {"Dar es Salaam": 1, "Salaam": 1}),  # no overlaps
    ("SONDERBORG and Sønderborg", {"Sønderborg": 2}),  # ASCII-folded
    ("", {}),
])
def test_mentions_are_whole_names_longest_first(index, text, expected):
    assert _named(index, text) == expected
