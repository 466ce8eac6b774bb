"""Property tests: real portraits, randomly damaged, never break the pipeline.

Each example takes one portrait of the brochure (with the brochure's front
matter, so its member list is there) or the Kaunas web profile, damages it
(lines dropped, duplicated, swapped; tabs turned into spaces and back; junk
inserted; the text cut off) and runs the document through the stages. Every
example must:
- raise nothing (no ``extractor_failed`` finding: the pipeline turns an
  exception into one);
- stay within a one-second time budget (no ``time_budget_exceeded``);
- account for every non-blank line of the damaged text in a field or a
  finding (``accounting.unaccounted_lines``).

Hypothesis runs derandomized (a fixed seed), so a run is repeatable; a
failure prints the smallest damage that shows it."""
from __future__ import annotations

import os

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from accounting import unaccounted_lines
from conftest import BROCHURE
from extract.errors import InputError
from extract.pipeline import document_rows
from extract.read.ingest import ingest
from extract.read.limits import Limits

pytestmark = pytest.mark.slow

PROFILE = BROCHURE.parent / "web-profile-kaunas.txt"
LIMITS = Limits(document_seconds=1.0)
# make test runs each property with SCALE 1; EXTRACT_PROPERTY_SCALE=10 looks ten times as far.
SCALE = float(os.environ.get("EXTRACT_PROPERTY_SCALE", "1"))
SETTINGS = dict(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Pieces that mean something to some stage: junk made of them reaches deep.
TOKENS = ["\t", "  ", "Population", "Country", "City", "n/a", "(2015)", "268,05", "1,042,285", "USD", "Men:",
          "/", "Women:", "Vision and motivation", "Challenges and goals", "Plan and implementation",
          "Contact details", "Email:", "@", "name@city.gov", "Mr", "Ms", "Mayor of", "-", "•", "·", "1.", "2)",
          '"', "“", "”", "'", ">", "Between", "and", "More than", "km²", "Co ι", "\u00a0", "\x0c", "\r",
          "(", ")", ":", ",", ".", "a", "Z", "9", "é", "ß", "中"]


class World:
    """What every example needs: the rules, a folder, and (front matter,
    portrait text) pairs — each portrait of the brochure, and the web profile
    whole. Its repr is short, so a failing example prints only its draws."""

    def __init__(self, rules, folder):
        self.rules, self.folder = rules, folder
        text = BROCHURE.read_text(encoding="utf-8")
        spans = sorted((c["char_start"], c["char_end"]) for c in document_rows(BROCHURE, rules)["cities"])
        front = text[:spans[0][0]]
        self.bases = [(front, text[a:b]) for a, b in spans] + [("", PROFILE.read_text(encoding="utf-8"))]

    def __repr__(self) -> str:
        return "World()"


@pytest.fixture(scope="module")
def world(rules, tmp_path_factory):
    return World(rules, tmp_path_factory.mktemp("properties"))


def _drop(data, lines):
    if lines:
        del lines[data.draw(st.integers(0, len(lines) - 1))]


def _duplicate(data, lines):
    if lines:
        i = data.draw(st.integers(0, len(lines) - 1))
        lines.insert(data.draw(st.integers(0, len(lines))), lines[i])


def _swap(data, lines):
    if len(lines) > 1:
        i, j = data.draw(st.integers(0, len(lines) - 1)), data.draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]


def _tabs_to_spaces(data, lines):
    if lines:
        i = data.draw(st.integers(0, len(lines) - 1))
        lines[i] = lines[i].replace("\t", " " * data.draw(st.integers(1, 4)))


def _spaces_to_tabs(data, lines):
    if lines:
        i = data.draw(st.integers(0, len(lines) - 1))
        lines[i] = lines[i].replace(" ", "\t", data.draw(st.integers(1, 3)))


def _junk(data, lines):
    junk = "".join(data.draw(st.lists(st.sampled_from(TOKENS) | st.text(max_size=3), max_size=12)))
    lines.insert(data.draw(st.integers(0, len(lines))), junk)


def _truncate(data, lines):
    text = "\n".join(lines)
    cut = data.draw(st.integers(0, len(text)))
    lines[:] = text[:cut].split("\n")


MUTATIONS = [_drop, _duplicate, _swap, _tabs_to_spaces, _spaces_to_tabs, _junk, _truncate]


def _check(world: World, front: str, body: str) -> None:
    rules = world.rules
    path = world.folder / "damaged.txt"
    path.write_bytes((front + body).encode("utf-8"))
    rows = document_rows(path, rules, LIMITS)
    failures = [(f["code"], f["message"]) for f in rows["findings"]
                if f["code"] in ("extractor_failed", "time_budget_exceeded")]
    assert not failures, body
    try:  # the text offsets point into: decoded, mojibake undone (read.repair)
        text = ingest(path, LIMITS).text
    except InputError:  # unreadable: no rows point into it
        text = path.read_bytes().decode("utf-8")
    assert unaccounted_lines(text, rows, rules, len(front)) == [], body


@settings(max_examples=int(1000 * SCALE), **SETTINGS)
@given(data=st.data())
def test_damaged_portraits(data, world):
    front, body = world.bases[data.draw(st.integers(0, len(world.bases) - 1), label="portrait")]
    lines = body.split("\n")
    for mutation in data.draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=5), label="damage"):
        mutation(data, lines)
    _check(world, front, "\n".join(lines))


@settings(max_examples=int(300 * SCALE), **SETTINGS)
@given(body=st.lists(st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=20).map("".join),
                     max_size=30).map("\n".join))
def test_junk_after_a_member_list(body, world):
    """Lines of junk where the portraits should be: findings, never an exception."""
    _check(world, world.bases[0][0], body)


@pytest.mark.parametrize("line", [
    "Population\t" * 5000, "(" * 20000, '"' * 20000, "a-" * 20000, "Mr " * 10000, "1," * 20000,
    "Vision and motivation " * 3000, "@" * 20000, "\t" * 20000, "x" * 90000,
], ids=["labels", "brackets", "quotes", "hyphens", "honorifics", "numbers", "headings", "ats", "tabs", "word"])
def test_long_repetitive_lines_stay_in_budget(line, world):
    """Inputs that make badly written patterns backtrack: each line sits in a
    portrait and must be read within the budget."""
    front, body = world.bases[0]
    head, _, rest = body.partition("\n\n")
    _check(world, front, head + "\n\n" + line + "\n\n" + rest)
