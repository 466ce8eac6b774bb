"""Partner cities: the measure on small hand-made cases, the wider tiers that
fill a city up to three partners, determinism, symmetry and the brochure's
partners."""
from __future__ import annotations

import random
from functools import cache

import pandas as pd
import pytest

from conftest import ROOT
from extract.enrich.partners import (
    counts_to_vectors,
    counts_to_weights,
    partners_to_findings,
    profiles_to_score,
    themes_to_counts,
    themes_to_partners,
    vectors_to_score,
)
from extract.enrich.themes import rows_to_themes
from extract.read.ingest import ingest
from extract.rules import load_rules
from extract.rules.themes import load_theme_rules


def tags(city: str, section: str, *themes: str, document: str = "d.txt", position: int | None = None) -> list[dict]:
    return [{"city_id": city, "document_id": document, "section": section, "position": position, "theme": t,
             "rule": "r", "matched": t, "char_start": 0, "char_end": 1} for t in themes]


SMALL = (tags("a", "challenges", "literacy", "migrants") + tags("a", "plan", "literacy", position=1)
         + tags("b", "challenges", "literacy", "migrants") + tags("b", "plan", "literacy", position=2)
         + tags("c", "challenges", "literacy", "economy") + tags("c", "plan", "green", position=1)
         + tags("d", "plan", "green", "economy") + tags("e", "vision", "literacy", "migrants"))


def test_same_profile_is_the_closest_partner():
    rows = themes_to_partners(SMALL, k=5)
    first = {r["city_id"]: r for r in rows if r["rank"] == 1}
    assert first["a"]["partner_city_id"] == "b" and first["a"]["score"] == 1.0
    assert first["b"]["partner_city_id"] == "a"
    assert first["d"]["partner_city_id"] == "c"
    # literacy, named in two passages of each, adds more to the score than migrants
    assert first["a"]["shared_themes"] == "literacy;migrants"


def test_only_challenges_and_plan_count_in_the_first_tier():
    rows = themes_to_partners(SMALL)
    first = [r for r in rows if r["basis"] == "challenges+plan"]
    assert "e" not in {r["city_id"] for r in first} | {r["partner_city_id"] for r in first}


def flat(rows: list[dict]) -> list[tuple]:
    return [(r["city_id"], r["rank"], r["partner_city_id"], r["basis"], r["shared_themes"]) for r in rows]


def test_a_city_with_themes_only_in_its_vision_gets_three_partners_from_all_sections():
    rows = [r for r in themes_to_partners(SMALL) if r["city_id"] == "e"]
    # e names literacy and migrants in its vision: a and b name both, c literacy
    assert flat(rows) == [("e", 1, "a", "all sections", "literacy;migrants"),
                          ("e", 2, "b", "all sections", "literacy;migrants"),
                          ("e", 3, "c", "all sections", "literacy")]
    assert all(0 < r["score"] <= 1 for r in rows)


def test_a_short_city_is_filled_up_to_three_after_its_first_tier():
    rows = [r for r in themes_to_partners(SMALL) if r["city_id"] == "a"]
    # b and c share challenges and plan themes with a; e only its vision's
    assert flat(rows) == [("a", 1, "b", "challenges+plan", "literacy;migrants"),
                          ("a", 2, "c", "challenges+plan", "literacy"),
                          ("a", 3, "e", "all sections", "literacy;migrants")]


def figures(city: str, population: float | None, gdp: float | None, country_gdp: float | None = None,
            document: str = "d.txt") -> dict:
    return {"city_id": city, "document_id": document, "population": population,
            "gdp_per_capita_city_usd": gdp, "gdp_per_capita_country_usd": country_gdp}


CITIES = [figures("a", 1e5, 1e4), figures("b", 1e6, 1e4), figures("c", 2e5, 2e4), figures("d", 1e7, None),
          figures("e", 5e4, 1e3), figures("z", 1e5, 1e4)]


def test_a_city_without_themes_gets_three_partners_from_its_profile():
    rows = [r for r in themes_to_partners(SMALL, cities=CITIES) if r["city_id"] == "z"]
    # a prints z's very figures; c twice them; b ten times z's population
    assert flat(rows) == [("z", 1, "a", "profile", None), ("z", 2, "c", "profile", None),
                          ("z", 3, "b", "profile", None)]
    assert [r["score"] for r in rows] == [1.0, profiles_to_score({"p": 5.0, "g": 4.0}, {"p": 5.30103, "g": 4.30103}),
                                          profiles_to_score({"p": 5.0, "g": 4.0}, {"p": 6.0, "g": 4.0})]


def test_the_profile_compares_only_the_figures_both_print():
    assert profiles_to_score({"p": 5.0}, {"g": 4.0}) == 0.0
    assert profiles_to_score({"p": 5.0, "g": 4.0}, {"p": 6.0}) == 0.5
    # symmetric, in (0, 1]
    assert profiles_to_score({"p": 5.0, "g": 3.0}, {"p": 6.0, "g": 4.5}) == \
        profiles_to_score({"p": 6.0, "g": 4.5}, {"p": 5.0, "g": 3.0})


def test_cities_with_three_first_tier_partners_keep_exactly_them():
    themes = SMALL + tags("f", "plan", "literacy") + tags("g", "challenges", "green")
    alone = themes_to_partners(themes)
    filled = themes_to_partners(themes, cities=CITIES + [figures("f", 1e5, 1e4), figures("g", 1e5, 1e4)])
    full = {r["city_id"] for r in alone if r["rank"] == 3 and r["basis"] == "challenges+plan"}
    assert full == {"a", "b", "c", "f"}
    assert [r for r in filled if r["city_id"] in full] == [r for r in alone if r["city_id"] in full]
    by_city: dict[str, list[dict]] = {}
    for r in filled:
        by_city.setdefault(r["city_id"], []).append(r)
    for own in by_city.values():
        assert [r["rank"] for r in own] == list(range(1, len(own) + 1))
        bases = [r["basis"] for r in own]
        assert bases == sorted(bases, key=["challenges+plan", "all sections", "profile"].index)
        assert len(own) >= 3 and len({r["partner_city_id"] for r in own}) == len(own)


def test_ties_in_the_wider_tiers_broken_by_city_id_whatever_the_order():
    themes = tags("x", "vision", "t1") + tags("q", "vision", "t1") + tags("m", "vision", "t1") + tags("b", "vision", "t1")
    cities = [figures(c, 1e5, 1e4) for c in ("x", "q", "m", "b", "n", "a")]
    rows = themes_to_partners(themes, cities=cities)
    assert [(r["partner_city_id"], r["basis"]) for r in rows if r["city_id"] == "q"] == [
        ("b", "all sections"), ("m", "all sections"), ("x", "all sections")]
    # n has no theme: every other city prints its figures, so city_id decides
    assert [(r["partner_city_id"], r["basis"]) for r in rows if r["city_id"] == "n"] == [
        ("a", "profile"), ("b", "profile"), ("m", "profile")]
    shuffled_themes, shuffled_cities = list(themes), list(cities)
    random.Random(7).shuffle(shuffled_themes)
    random.Random(7).shuffle(shuffled_cities)
    assert themes_to_partners(shuffled_themes, cities=shuffled_cities) == rows


def test_a_city_with_nothing_to_compare_is_a_finding():
    catalogue = load_rules().findings
    cities = CITIES + [figures("y", None, None, document="y.txt")]
    rows = themes_to_partners(SMALL, cities=cities)
    assert "y" not in {r["city_id"] for r in rows}
    found = partners_to_findings(rows, cities, catalogue)
    assert [(f.document_id, f.city_id, f.code, f.table, f.severity, f.value) for f in found] == [
        ("y.txt", "y", "partners_few", "partners", "warning", "0")]
    # three cities can give each other two partners at most
    few = [figures("a", 1e5, 1e4), figures("b", 1e5, 1e4), figures("c", 1e5, 1e4)]
    assert partners_to_findings(themes_to_partners([], cities=few), few, catalogue) == []


def test_no_self_no_zero_score_and_k():
    rows = themes_to_partners(SMALL, k=2)
    assert all(r["city_id"] != r["partner_city_id"] and 0 < r["score"] <= 1 for r in rows)
    for city in {r["city_id"] for r in rows}:
        assert [r["rank"] for r in rows if r["city_id"] == city] in ([1], [1, 2])
    # a and b share nothing with d
    assert not [r for r in rows if {r["city_id"], r["partner_city_id"]} in ({"a", "d"}, {"b", "d"})]


def test_ties_broken_by_city_id():
    themes = tags("x", "plan", "t1") + tags("q", "plan", "t1") + tags("m", "plan", "t1")
    rows = themes_to_partners(themes)
    assert [(r["city_id"], r["partner_city_id"], r["rank"]) for r in rows] == [
        ("m", "q", 1), ("m", "x", 2), ("q", "m", 1), ("q", "x", 2), ("x", "m", 1), ("x", "q", 2)]


def test_a_city_described_in_two_documents_is_not_counted_twice():
    twice = SMALL + [{**r, "document_id": "profile.txt"} for r in SMALL if r["city_id"] == "a"]
    assert themes_to_partners(twice) == themes_to_partners(SMALL)


def test_the_same_words_twice_in_one_passage_count_once():
    repeated = SMALL + tags("c", "challenges", "economy")
    assert themes_to_counts(repeated) == themes_to_counts(SMALL)


def test_deterministic_whatever_the_order():
    shuffled = list(SMALL)
    random.Random(5).shuffle(shuffled)
    assert themes_to_partners(shuffled) == themes_to_partners(SMALL)


@pytest.fixture(scope="module")
def brochure_themes():
    frames = {n: pd.read_parquet(ROOT / "output" / f"{n}.parquet") for n in ("sections", "items")}
    rows = {n: f.astype(object).where(f.notna(), None).to_dict("records") for n, f in frames.items()}
    text_of = cache(lambda document_id: ingest(ROOT / "raw" / document_id).text)
    return rows_to_themes(rows["sections"], rows["items"], text_of, load_theme_rules())


def test_scores_are_symmetric(brochure_themes):
    counts = themes_to_counts(brochure_themes)
    vectors = counts_to_vectors(counts, counts_to_weights(counts))
    for a in vectors:
        for b in vectors:
            assert vectors_to_score(vectors[a], vectors[b]) == vectors_to_score(vectors[b], vectors[a])
    rows = themes_to_partners(brochure_themes, k=len(vectors))
    scores = {(r["city_id"], r["partner_city_id"]): r["score"] for r in rows if r["basis"] == "challenges+plan"}
    assert all(scores[(b, a)] == s for (a, b), s in scores.items())


def test_brochure_partners(brochure_themes):
    rows = themes_to_partners(brochure_themes)
    cities = {r["city_id"] for r in brochure_themes}
    assert {r["city_id"] for r in rows} == cities
    for r in rows:
        shared = set(r["shared_themes"].split(";"))
        sections = None if r["basis"] == "all sections" else ("challenges", "plan")
        own, other = ({t["theme"] for t in brochure_themes if t["city_id"] == c and sections is None or
                       t["city_id"] == c and t["section"] in sections} for c in (r["city_id"], r["partner_city_id"]))
        assert shared and shared <= own & other
    assert themes_to_partners(list(reversed(brochure_themes))) == rows


def test_every_brochure_city_has_three_partners():
    frame = pd.read_parquet(ROOT / "output" / "partners.parquet")
    cities = set(pd.read_parquet(ROOT / "output" / "cities.parquet")["city_id"])
    counts = frame.groupby("city_id").size()
    assert set(counts.index) == cities and counts.min() >= 3
