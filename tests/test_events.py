"""Dated facts: labelled cases (tests/cases/events.yaml, and what is not an
event), offsets back to the source, the rule file, and precision and recall
against the hand-read gold.

The gold (tests/gold/brochure-2016/events.csv) covers every portrait of the
brochure: each city's intro, vision, challenges and plan were read in
raw/gnlc-portraits-2016.txt and every year they state as the date of a fact
(done, begun, planned or due) is a row; a city without a row states none. Not
events, by decision: a decade ("the 1970s"), a year inside a name ("Agenda
2030", "Plan for Education 2020"), the reference year of a statistic ("a
literacy rate of 94.5% was reported in 2010"), years in the indicator table,
in the header (outside the sections) and in quotes. A range gives its first
and its last year; "15 years ago" in the 2016 brochure is 2001."""
from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
import regex
import yaml

from conftest import ROOT, cases, gold, rule_ids
from extract.enrich.events import sections_to_events
from extract.errors import RuleError
from extract.rules.events import DEFAULT_PATH, load_event_rules

BROCHURE = "gnlc-portraits-2016.txt"
TARGET_PRECISION, TARGET_RECALL = 0.9, 0.8


@pytest.fixture(scope="module")
def event_rules():
    return load_event_rules()


def published_years(document_ids, raw_text) -> dict[str, int]:
    """The publication year each document states, by the rule segment.py uses
    (``published`` of rules/document.yaml)."""
    rule = yaml.safe_load((ROOT / "rules" / "document.yaml").read_text(encoding="utf-8"))["published"]
    pattern = regex.compile(rule["pattern"])
    found = {d: pattern.search(raw_text(d)) for d in document_ids}
    return {d: int(m.group("year")) for d, m in found.items() if m}


@pytest.fixture(scope="module")
def brochure_events(committed_rows, raw_text, event_rules):
    years = published_years({s["document_id"] for s in committed_rows["sections"]}, raw_text)
    assert years[BROCHURE] == 2016
    return sections_to_events(committed_rows["sections"], raw_text, event_rules, years)


def events_of(text: str, rules, published: int | None = 2016, section: str = "plan") -> list[dict]:
    row = {"city_id": "case", "document_id": "case.txt", "section": section, "text": text,
           "char_start": 0, "char_end": len(text)}
    return sections_to_events([row], lambda _: text, rules, published)


CASES = cases("events.yaml")


def test_case_ids_are_unique():
    ids = [c["id"] for c in CASES]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_labelled_case(event_rules, case):
    text = case["text"]
    rows = events_of(text, event_rules, case["published"])
    assert [[r["year"], r["month"]] for r in rows] == case["expected"]
    for r in rows:
        assert text[r["char_start"]:r["char_end"]] == r["text"]


def test_each_event_carries_its_own_sentence(event_rules):
    text = ("Plan and implementation.\n\nIn 2014, the city held a festival. The festival grew.\n"
            "- 1. a working group designed in 2015\n- In 2017, the city will host the conference.")
    rows = events_of(text, event_rules)
    assert [(r["year"], r["text"], r["rule"]) for r in rows] == [
        (2014, "In 2014, the city held a festival.", "event.in-year"),
        (2015, "a working group designed in 2015", "event.in-year"),
        (2017, "In 2017, the city will host the conference.", "event.in-year")]


def test_published_year_per_document(event_rules):
    row = {"city_id": "c", "document_id": "a.txt", "section": "intro", "char_start": 0,
           "text": "Founded as a learning city ten years ago."}
    row["char_end"] = len(row["text"])
    other = {**row, "document_id": "b.txt"}
    rows = sections_to_events([row, other], lambda _: row["text"], event_rules, {"a.txt": 2016})
    assert [(r["document_id"], r["year"]) for r in rows] == [("a.txt", 2006)]


def test_offsets_give_the_text(brochure_events, raw_text):
    assert brochure_events
    for r in brochure_events:
        assert raw_text(r["document_id"])[r["char_start"]:r["char_end"]] == r["text"], r
        assert r["text"] == r["text"].strip() and not r["text"].startswith("- ")


def test_events_come_from_sections_only(brochure_events, committed_rows, event_rules):
    spans = [(s["document_id"], s["char_start"], s["char_end"]) for s in committed_rows["sections"]
             if s["section"] in event_rules.sections]
    for r in brochure_events:
        assert any(d == r["document_id"] and s <= r["char_start"] < r["char_end"] <= e for d, s, e in spans), r


def test_quotes_are_not_read(brochure_events, committed_rows):
    quotes = [(q["document_id"], q["char_start"], q["char_end"]) for q in committed_rows["quotes"]]
    assert not [r for r in brochure_events
                if any(d == r["document_id"] and s < r["char_end"] and r["char_start"] < e for d, s, e in quotes)]


def test_a_document_without_publication_year_gives_no_relative_date(brochure_events):
    profile = [r for r in brochure_events if r["document_id"] == "web-profile-kaunas.txt"]
    assert profile == []


def test_same_rows_whatever_the_input_order(committed_rows, raw_text, event_rules, brochure_events):
    sections = list(committed_rows["sections"])
    random.Random(3).shuffle(sections)
    years = published_years({s["document_id"] for s in sections}, raw_text)
    assert sections_to_events(sections, raw_text, event_rules, years) == brochure_events


# --- the gate: sections and sentences without a year or "ago" are not read -------------

def test_the_gate_changes_nothing_on_the_brochure(committed_rows, raw_text, event_rules, brochure_events):
    assert event_rules.gate is not None
    years = published_years({s["document_id"] for s in committed_rows["sections"]}, raw_text)
    ungated = replace(event_rules, gate=None)
    assert sections_to_events(committed_rows["sections"], raw_text, ungated, years) == brochure_events


def generated_sections(n: int = 300, seed: int = 11) -> list[str]:
    """Sections made of dated phrases, things that only look dated, and filler:
    sentences, list entries, wrapped lines."""
    rng = random.Random(seed)
    dated = ["in 1999", "since 2012", "by the end of 2020", "from 2010 to 2015", "2013 – 2018", "between 2001 and 2004",
             "in August 2016", "on 15 November 2016", "ten years ago", "15 years ago", "twenty-five years ago",
             "TEN YEARS AGO", "as of 2019", "until the year 2026", "during 1998"]
    undated = ["the 1970s", "Agenda 2030", "reported in 2010", "by 2000 participants", "a rate of 94.5%", "Chicago",
               "agora", "years", "ago", "in the year", "Plan for Education 2020", "2,015 people", "1,999"]
    filler = ["the city", "launched its plan", "learning", "for all", "citizens", "and", "a festival", "was held"]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 6)):
            words = [rng.choice(dated) if rng.random() < 0.25 else rng.choice(undated) if rng.random() < 0.3
                     else rng.choice(filler) for _ in range(rng.randint(1, 8))]
            lead = rng.choice(["", "", "- ", "• ", "2. ", "\n- "])
            parts.append(lead + rng.choice(["", "In ", "The "]) + " ".join(words) + rng.choice([".", ";", "", ":"]))
        out.append(rng.choice([" ", "\n", "\n\n"]).join(parts))
    return out


def test_the_gate_changes_nothing_on_the_cases_and_on_generated_text(event_rules):
    ungated = replace(event_rules, gate=None)
    texts = [c["text"] for c in CASES] + generated_sections()
    found = 0
    for text in texts:
        for published in (2016, None):
            rows = events_of(text, event_rules, published)
            assert rows == events_of(text, ungated, published), text
            found += len(rows)
    assert found > 300


# --- the rule file --------------------------------------------------------------

def test_rules_loaded_equal_rules_on_disk(event_rules):
    on_disk = rule_ids(yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8")))
    assert sorted(event_rules.rule_ids) == sorted(on_disk)
    assert len(set(on_disk)) == len(on_disk)


def _edit(key: str, rule_id: str, change):
    def edit(data):
        node = data[key] if isinstance(data[key], dict) else next(r for r in data[key] if r["id"] == rule_id)
        change(node)
    return edit


BROKEN = [
    (_edit("patterns", "event.in-year", lambda r: r.update(pattern=r"\bin\s+\d{4}")), "event.in-year", "group"),
    (_edit("patterns", "event.year-range", lambda r: r.update(pattern="(?P<year>{year}")), "event.year-range", "bad pattern"),
    (_edit("exclusions", "not.quantity", lambda r: r.pop("pattern")), "not.quantity", "missing key 'pattern'"),
    (_edit("months", "events.months", lambda r: r["names"].pop()), "events.months", "twelve months"),
    (_edit("number_words", "events.number-words", lambda r: r["words"].update(ten="10")), "events.number-words", "whole number"),
    (_edit("gate", "events.gate", lambda r: r.update(pattern="({year}")), "events.gate", "bad pattern"),
    (_edit("gate", "events.gate", lambda r: r.update(pattern=r"(?<!\d){year}|ago")), "events.gate", "a lookaround"),
    (_edit("gate", "events.gate", lambda r: r.update(pattern=r"{year}|\bago\b")), "events.gate", "an anchor"),
    (_edit("gate", "events.gate", lambda r: r.update(pattern=r"{year}|(?|ago)")), "events.gate", "plain pattern"),
]


@pytest.mark.parametrize("edit,rule_id,reason", BROKEN, ids=[b[1] + ":" + b[2] for b in BROKEN])
def test_a_broken_rule_fails_naming_its_id(tmp_path: Path, edit, rule_id, reason):
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "events.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_event_rules(path)
    assert err.value.rule_id == rule_id
    assert "events.yaml" in str(err.value) and reason in str(err.value)


# --- the gold -------------------------------------------------------------------

def test_gold_is_as_printed(raw_text):
    """Every gold sentence is in the brochure as printed."""
    text = " ".join(raw_text(BROCHURE).split())
    for g in gold("events.csv"):
        assert " ".join(g["text"].split()) in text, g


def test_precision_and_recall_against_the_gold(brochure_events, committed_rows):
    ids = {c["city"]: c["city_id"] for c in committed_rows["cities"] if c["document_id"] == BROCHURE}
    assert len(ids) >= 10
    expected = {(ids[g["city"]], int(g["year"]), int(g["month"]) if g["month"] else None) for g in gold("events.csv")}
    found = {(r["city_id"], r["year"], r["month"]) for r in brochure_events if r["document_id"] == BROCHURE}
    hits = expected & found
    precision, recall = len(hits) / len(found), len(hits) / len(expected)
    report = (f"precision {precision:.3f}, recall {recall:.3f}\nfalse: {sorted(found - expected, key=str)}\n"
              f"missed: {sorted(expected - found, key=str)}")
    assert precision >= TARGET_PRECISION and recall >= TARGET_RECALL, report


@pytest.mark.parametrize("pattern,found", [
    (r"(?:1[89]|20)\d\d|ago", None), (r"[\^$]ago|a[^b]", None), (r"\$\d+", None),
    (r"(?:x(?=y))+", "a lookaround"), (r"a|(?P<g>b(?<!c))", "a lookaround"), (r"a{2,3}|(b|\Bc)", "an anchor"),
    (r"(?:ago$)?", "an anchor"), (r"(a)?(?(1)b|^c)", "an anchor"),
])
def test_looks_around_finds_anchors_and_lookarounds_at_any_depth(pattern, found):
    from extract.rules.events import looks_around
    assert looks_around(pattern) == found
