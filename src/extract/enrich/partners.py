"""Theme tags → the member cities closest to each city: rows of ``partners``.

In: rows of the ``themes`` table (``themes.rows_to_themes``). Out: for each
city, up to ``k`` rows ``city_id``, ``partner_city_id``, ``score``,
``shared_themes`` (``;``-joined, the theme that adds most to the score first)
and ``rank`` (1 is the closest).

The measure, in three sentences. A city is a vector of theme counts: for each
theme, the passages of its challenges and plan (a section's prose or one list
entry) that name it, taking the largest count among the city's documents so
that a city described twice is not counted twice. Each count is weighted by
the theme's inverse city frequency, ``1 + ln((1 + N) / (1 + n))`` for ``n``
of the ``N`` cities naming it, so rare shared themes count more than ones
every city names. The score is the cosine similarity of two such vectors
(symmetric, 0 to 1, rounded to 6 decimals); partners with a score of 0 are
left out and ties are broken by partner ``city_id``.
"""
from __future__ import annotations

import math
from collections import defaultdict

SECTIONS = ("challenges", "plan")


def themes_to_counts(themes: list[dict], sections: tuple[str, ...] = SECTIONS) -> dict[str, dict[str, int]]:
    """City → theme → passages naming the theme (largest count of its documents)."""
    passages: dict[tuple[str, str, str], set] = defaultdict(set)
    for row in themes:
        if row["section"] in sections:
            passages[(row["city_id"], row["document_id"], row["theme"])].add((row["section"], row["position"]))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for (city, _, theme), found in passages.items():
        counts[city][theme] = max(counts[city].get(theme, 0), len(found))
    return dict(counts)


def counts_to_weights(counts: dict[str, dict[str, int]]) -> dict[str, float]:
    """Theme → inverse city frequency, ``1 + ln((1 + N) / (1 + n))``."""
    cities = len(counts)
    named: dict[str, int] = defaultdict(int)
    for vector in counts.values():
        for theme in vector:
            named[theme] += 1
    return {theme: 1.0 + math.log((1 + cities) / (1 + n)) for theme, n in sorted(named.items())}


def counts_to_vectors(counts: dict[str, dict[str, int]], weights: dict[str, float]) -> dict[str, dict[str, float]]:
    """City → theme → count × weight."""
    return {city: {t: c * weights[t] for t, c in sorted(vector.items())} for city, vector in counts.items()}


def vectors_to_score(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity, summed in theme order so that it is symmetric to the bit."""
    dot = sum(a[t] * b[t] for t in sorted(a.keys() & b.keys()))
    norm = math.sqrt(sum(v * v for _, v in sorted(a.items()))) * math.sqrt(sum(v * v for _, v in sorted(b.items())))
    return round(dot / norm, 6) if norm else 0.0


def shared_of(a: dict[str, float], b: dict[str, float]) -> str:
    """The themes two cities share, the one adding most to the score first."""
    return ";".join(sorted(a.keys() & b.keys(), key=lambda t: (-a[t] * b[t], t)))


def merge_counts(total: dict[str, dict[str, int]], more: dict[str, dict[str, int]]) -> None:
    """Add the counts of more documents (``themes_to_counts`` of their rows) to
    ``total``: per city and theme, the largest count."""
    for city, vector in more.items():
        mine = total.setdefault(city, {})
        for theme, n in vector.items():
            mine[theme] = max(mine.get(theme, 0), n)


def themes_to_partners(themes: list[dict], k: int = 5) -> list[dict]:
    """Rows of the ``partners`` table (see the module docstring), ordered by
    city and rank."""
    return counts_to_partners(themes_to_counts(themes), k)


def counts_to_partners(counts: dict[str, dict[str, int]], k: int = 5) -> list[dict]:
    """``themes_to_partners`` from the counts (``themes_to_counts``, documents
    added up by ``merge_counts``)."""
    vectors = counts_to_vectors(counts, counts_to_weights(counts))
    rows = []
    for city in sorted(vectors):
        scored = [(vectors_to_score(vectors[city], vectors[other]), other) for other in vectors if other != city]
        ranked = sorted(((s, o) for s, o in scored if s > 0), key=lambda so: (-so[0], so[1]))[:k]
        rows += [{"city_id": city, "partner_city_id": other, "score": score,
                  "shared_themes": shared_of(vectors[city], vectors[other]), "rank": rank}
                 for rank, (score, other) in enumerate(ranked, start=1)]
    return rows
