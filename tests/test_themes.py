"""Theme tags: labelled cases (tests/cases/themes.yaml), offsets back to the
source, the rule file, and precision and recall against the hand-read gold.

The gold (tests/gold/brochure-2016/themes.csv) lists, for 21 cities of the
brochure, which themes a careful reader assigns to each city's vision,
challenges and plan, with the words that justify it (``evidence``), read from
raw/gnlc-portraits-2016.txt independently of the code. A theme is assigned
where the section's own text (not a quote) states a goal, challenge or action
in that area; "learning for all" or "lifelong learning" alone is no theme.
Cities in the file are covered whole: a theme the code finds for a covered
city and section that the gold lacks is a false positive."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from conftest import GOLD, cases, gold, rule_ids
from extract.enrich.themes import rows_to_themes
from extract.errors import RuleError
from extract.rules.themes import DEFAULT_PATH, load_theme_rules

BROCHURE = "gnlc-portraits-2016.txt"
TARGET_PRECISION, TARGET_RECALL = 0.9, 0.8


@pytest.fixture(scope="module")
def theme_rules():
    return load_theme_rules()


@pytest.fixture(scope="module")
def brochure_themes(committed_rows, raw_text, theme_rules):
    return rows_to_themes(committed_rows["sections"], committed_rows["items"], raw_text, theme_rules)


def tag(text: str, rules, section: str = "plan") -> list[dict]:
    """Theme rows of ``text`` as the whole of one section of a one-line document."""
    row = {"city_id": "case", "document_id": "case.txt", "section": section, "text": text,
           "char_start": 0, "char_end": len(text)}
    return rows_to_themes([row], [], lambda _: text, rules)


CASES = cases("themes.yaml")


def test_case_ids_are_unique():
    ids = [c["id"] for c in CASES]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_labelled_case(theme_rules, case):
    text, expected, absent = case["text"], set(case["expected"]), set(case["absent"])
    rows = tag(text, theme_rules)
    found = {r["theme"] for r in rows}
    assert expected <= found, rows
    assert not (absent & found), rows
    for r in rows:
        assert text[r["char_start"]:r["char_end"]] == r["matched"]


def test_a_phrase_matches_across_a_wrapped_line(theme_rules):
    text = "Programmes of adult\neducation and of\n   vocational training."
    rows = tag(text, theme_rules)
    assert [(r["rule"], r["matched"]) for r in rows] == [
        ("inclusive.adult-education", "adult\neducation"), ("workplace.vocational", "vocational")]


def test_offsets_give_the_matched_words(brochure_themes, raw_text):
    assert len(brochure_themes) > 300
    for r in brochure_themes:
        assert raw_text(r["document_id"])[r["char_start"]:r["char_end"]] == r["matched"], r


def test_each_match_lies_in_its_section_or_entry(brochure_themes, committed_rows):
    sections = {(s["city_id"], s["document_id"], s["section"]): s for s in committed_rows["sections"]}
    items = {(i["city_id"], i["document_id"], i["section"], i["position"]): i for i in committed_rows["items"]}
    for r in brochure_themes:
        key = (r["city_id"], r["document_id"], r["section"])
        unit = sections[key] if r["position"] is None else items[key + (r["position"],)]
        assert unit["char_start"] <= r["char_start"] < r["char_end"] <= unit["char_end"], r
        if r["position"] is None:  # prose: never inside one of the section's entries
            assert not any(i["char_start"] <= r["char_start"] < i["char_end"] for k, i in items.items() if k[:3] == key), r


def test_quotes_inside_a_section_are_not_tagged(brochure_themes, committed_rows):
    quotes = [(q["document_id"], q["char_start"], q["char_end"]) for q in committed_rows["quotes"]]
    inside = [r for r in brochure_themes
              if any(d == r["document_id"] and s <= r["char_start"] < e for d, s, e in quotes)]
    assert inside == []


def test_what_the_section_text_leaves_out_is_not_tagged(theme_rules):
    doc = ("Plan\n\nWe face unemployment. 'Literacy and vocational training matter,' says the Mayor.\n\n"
           "- We train teachers\n- for the workplace.")
    start = doc.index("We face")
    section = {"city_id": "c", "document_id": "d", "section": "plan", "char_start": start, "char_end": len(doc),
               "text": "We face unemployment.\n- We train teachers for the workplace."}
    item = {"city_id": "c", "document_id": "d", "section": "plan", "position": 1, "char_start": doc.index("- We"),
            "char_end": len(doc), "text": "We train teachers for the workplace."}
    rows = rows_to_themes([section], [item], lambda _: doc, theme_rules)
    assert [(r["position"], r["theme"], r["matched"]) for r in rows] == [
        (None, "economy_culture", "unemployment"),
        (1, "quality_learning", "train teachers"),
        (1, "workplace_learning", "workplace")]


def test_without_document_text_the_row_text_is_matched(theme_rules):
    section = {"city_id": "c", "document_id": "d", "section": "challenges", "char_start": 5, "char_end": 60,
               "text": "We face unemployment.\n- Adult illiteracy\n- Sustainability"}
    items = [{"city_id": "c", "document_id": "d", "section": "challenges", "position": p, "text": t,
              "char_start": 0, "char_end": 0} for p, t in ((1, "Adult illiteracy"), (2, "Sustainability"))]
    rows = rows_to_themes([section], items, None, theme_rules)
    assert [(r["position"], r["theme"], r["matched"], r["char_start"]) for r in rows] == [
        (None, "economy_culture", "unemployment", None),
        (1, "inclusive_learning", "illiteracy", None),
        (2, "sustainable_development", "Sustainability", None)]


def test_same_rows_whatever_the_input_order(committed_rows, raw_text, theme_rules, brochure_themes):
    sections, items = list(committed_rows["sections"]), list(committed_rows["items"])
    random.Random(7).shuffle(sections)
    random.Random(8).shuffle(items)
    assert rows_to_themes(sections, items, raw_text, theme_rules) == brochure_themes


# --- the rule file --------------------------------------------------------------

def test_rules_loaded_equal_rules_on_disk(theme_rules):
    on_disk = rule_ids(yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8")))
    assert sorted(theme_rules.rule_ids) == sorted(on_disk)
    assert len(set(on_disk)) == len(on_disk)


def test_every_theme_has_a_rule(theme_rules):
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert {r["theme"] for r in data["rules"]} == set(theme_rules.themes)
    assert len(theme_rules.themes) == 9


def _edit_rule(rule_id: str, change):
    def edit(data):
        rule = next(r for key in ("rules", "exclusions") for r in data.get(key, []) if r["id"] == rule_id)
        change(rule)
    return edit


BROKEN = [
    (_edit_rule("inclusive.literacy", lambda r: r.pop("theme")), "inclusive.literacy", "missing key 'theme'"),
    (_edit_rule("workplace.vocational", lambda r: r.update(theme="jobs")), "workplace.vocational", "unknown theme"),
    (_edit_rule("quality.teachers", lambda r: r["patterns"].append([{"LOWR": "teachers"}])), "quality.teachers", "bad pattern"),
    (_edit_rule("quality.outcomes", lambda r: r.update(patterns=[[{"IS_STOP": True}, {"LOWER": "outcomes"}]])),
     "quality.outcomes", "the token matcher does not read the attribute IS_STOP"),
    (_edit_rule("culture.festivals", lambda r: r["patterns"].append([{"LOWER": {"FUZZY": "festival"}}])),
     "culture.festivals", "the token matcher does not read LOWER FUZZY"),
    (_edit_rule("economy.culture", lambda r: r["patterns"].append([{"POS": "NOUN"}])),
     "economy.culture", "the token matcher does not read the attribute POS"),
    (_edit_rule("families.libraries", lambda r: r.update(phrases=[""])), "families.libraries", "non-empty"),
    (_edit_rule("economy.culture", lambda r: (r.pop("phrases"), r.pop("patterns"))), "economy.culture", "phrases"),
    (_edit_rule("not.quality-of-life", lambda r: r.update(id="economy.employment")), "economy.employment", "more than once"),
]


@pytest.mark.parametrize("edit,rule_id,reason", BROKEN, ids=[b[1] + ":" + b[2] for b in BROKEN])
def test_a_broken_rule_fails_naming_its_id(tmp_path: Path, edit, rule_id, reason):
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "themes.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_theme_rules(path)
    assert err.value.rule_id == rule_id
    assert "themes.yaml" in str(err.value) and reason in str(err.value)


# --- the gold -------------------------------------------------------------------

def gold_and_found(brochure_themes, committed_rows) -> tuple[set, set]:
    ids = {c["city"]: c["city_id"] for c in committed_rows["cities"] if c["document_id"] == BROCHURE}
    expected = {(ids[g["city"]], g["section"], g["theme"]) for g in gold("themes.csv")}
    covered = {city for city, _, _ in expected}
    found = {(r["city_id"], r["section"], r["theme"]) for r in brochure_themes
             if r["document_id"] == BROCHURE and r["city_id"] in covered}
    return expected, found


def test_gold_covers_at_least_ten_cities_and_every_theme(brochure_themes, committed_rows):
    expected, _ = gold_and_found(brochure_themes, committed_rows)
    assert len({c for c, _, _ in expected}) >= 10
    assert {t for _, _, t in expected} == set(load_theme_rules().themes)
    assert (GOLD / "themes.csv").exists()


def test_precision_and_recall_against_the_gold(brochure_themes, committed_rows):
    expected, found = gold_and_found(brochure_themes, committed_rows)
    hits = expected & found
    precision, recall = len(hits) / len(found), len(hits) / len(expected)
    report = (f"precision {precision:.3f}, recall {recall:.3f}\nfalse: {sorted(found - expected)}\n"
              f"missed: {sorted(expected - found)}")
    assert precision >= TARGET_PRECISION and recall >= TARGET_RECALL, report
