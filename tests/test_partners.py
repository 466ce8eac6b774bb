"""Partner cities: the measure on small hand-made cases, determinism, symmetry
and the brochure's partners."""
from __future__ import annotations

import random
from functools import cache

import pandas as pd
import pytest

from conftest import ROOT
from extract.enrich.partners import counts_to_vectors, counts_to_weights, themes_to_counts, themes_to_partners, vectors_to_score
from extract.enrich.themes import rows_to_themes
from extract.read.ingest import ingest
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


def test_only_challenges_and_plan_count():
    rows = themes_to_partners(SMALL)
    assert "e" not in {r["city_id"] for r in rows} | {r["partner_city_id"] for r in rows}


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
    scores = {(r["city_id"], r["partner_city_id"]): r["score"] for r in rows}
    assert all(scores[(b, a)] == s for (a, b), s in scores.items())


def test_brochure_partners(brochure_themes):
    rows = themes_to_partners(brochure_themes)
    cities = {r["city_id"] for r in brochure_themes if r["section"] in ("challenges", "plan")}
    assert {r["city_id"] for r in rows} == cities
    for r in rows:
        shared = set(r["shared_themes"].split(";"))
        own = {t["theme"] for t in brochure_themes if t["city_id"] == r["city_id"]}
        other = {t["theme"] for t in brochure_themes if t["city_id"] == r["partner_city_id"]}
        assert shared and shared <= own & other
    assert themes_to_partners(list(reversed(brochure_themes))) == rows
