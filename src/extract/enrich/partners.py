"""Theme tags and city figures → the member cities closest to each city: rows
of ``partners``.

In: rows of the ``themes`` table (``themes.rows_to_themes``) and, optionally,
rows of the ``cities`` table (every city of the run, with its figures). Out:
for each city, up to ``k`` rows ``city_id``, ``partner_city_id``, ``score``,
``shared_themes`` (``;``-joined, the theme that adds most to the score first;
empty when none), ``rank`` (1 is the closest, contiguous) and ``basis`` (the
evidence the suggestion rests on).

The measure, in three sentences. A city is a vector of theme counts: for each
theme, the passages of its challenges and plan (a section's prose or one list
entry) that name it, taking the largest count among the city's documents so
that a city described twice is not counted twice. Each count is weighted by
the theme's inverse city frequency, ``1 + ln((1 + N) / (1 + n))`` for ``n``
of the ``N`` cities naming it, so rare shared themes count more than ones
every city names. The score is the cosine similarity of two such vectors
(symmetric, 0 to 1, rounded to 6 decimals); partners with a score of 0 are
left out and ties are broken by partner ``city_id``.

Three tiers of evidence. The measure above is the first tier
(``basis`` ``challenges+plan``): a city's partners are its ``k`` best. A city
left with fewer than ``minimum`` (3) partners by it — its challenges and plan
name no theme, or themes few others name — is filled up to ``minimum`` from a
wider tier: the same measure over every section the ``themes`` table tags
(vision, challenges and plan; ``all sections``), then, if still short, from
the city's profile (``profile``): the figures both cities print of
population, city GDP per capita and country GDP per capita, compared in
log10 space; the score is ``1 / (1 + d)`` for ``d`` the root mean square of
the differences (0.5 for a factor of ten on average), 0 without a figure in
common. A tier never repeats a partner of an earlier one, ranks go on where
the earlier tier stopped, and scores compare only within one basis. A city
with enough first-tier partners keeps exactly them; a city no tier can fill
(no theme and no figure) keeps fewer, and ``partners_to_findings`` reports it.

Everything the tiers read of the rows is small and per city (``Evidence``:
theme counts, and each city's first document and figures), so a run keeps
only that, adding each document's as it finishes, and ranks from it
(``evidence_to_partners``, ``profiles_to_findings``): the same rows as from
all the rows at once (``themes_to_partners``, ``partners_to_findings``).
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from extract.findings import make_finding
from extract.types import Finding

SECTIONS = ("challenges", "plan")
FIRST, WIDER, PROFILE = "challenges+plan", "all sections", "profile"
FIGURES = ("population", "gdp_per_capita_city_usd", "gdp_per_capita_country_usd")


def themes_to_counts(themes: list[dict], sections: tuple[str, ...] | None = SECTIONS) -> dict[str, dict[str, int]]:
    """City → theme → passages naming the theme (largest count of its
    documents), over ``sections`` (every tagged section for ``None``)."""
    passages: dict[tuple[str, str, str], set] = defaultdict(set)
    for row in themes:
        if sections is None or row["section"] in sections:
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


def shared_of(a: dict[str, float], b: dict[str, float]) -> str | None:
    """The themes two cities share, the one adding most to the score first (None for none)."""
    return ";".join(sorted(a.keys() & b.keys(), key=lambda t: (-a[t] * b[t], t))) or None


def merge_counts(total: dict[str, dict[str, int]], more: Mapping[str, Mapping[str, int]]) -> None:
    """Add the counts of more documents (``themes_to_counts`` of their rows) to
    ``total``: per city and theme, the largest count."""
    for city, vector in more.items():
        mine = total.setdefault(city, {})
        for theme, n in vector.items():
            mine[theme] = max(mine.get(theme, 0), n)


@dataclass(frozen=True)
class CityProfile:
    """What the profile tier and ``partners_to_findings`` need of a city's
    rows in ``cities``: the first document describing it (by id), and per
    figure of ``FIGURES`` the document (by id) that first prints it positive,
    with the log10 of that value."""

    document_id: str
    figures: Mapping[str, tuple[str, float]]


def cities_to_city_profiles(cities: Sequence[Mapping]) -> dict[str, CityProfile]:
    """City → its ``CityProfile``: the first positive value of each figure in
    document order (a city described twice has one profile)."""
    documents: dict[str, str] = {}
    figures: dict[str, dict[str, tuple[str, float]]] = {}
    for row in sorted(cities, key=lambda r: (r["city_id"], r.get("document_id") or "")):
        doc = row.get("document_id") or ""
        documents.setdefault(row["city_id"], doc)
        profile = figures.setdefault(row["city_id"], {})
        for figure in FIGURES:
            value = row.get(figure)
            if figure not in profile and isinstance(value, (int, float)) and value > 0 and math.isfinite(value):
                profile[figure] = (doc, math.log10(value))
    return {city: CityProfile(documents[city], figures[city]) for city in documents}


def cities_to_profiles(cities: Sequence[Mapping]) -> dict[str, dict[str, float]]:
    """City → figure of ``FIGURES`` → log10 of its value: the first positive
    value in document order (a city described twice has one profile)."""
    return _profiles(cities_to_city_profiles(cities))


def _profiles(cities: Mapping[str, CityProfile]) -> dict[str, dict[str, float]]:
    return {city: {f: v for f, (_, v) in p.figures.items()} for city, p in cities.items()}


@dataclass
class Evidence:
    """What the partner tiers need of the documents read so far, per city (not
    per row): theme counts over the challenges and plan (``first``) and over
    every tagged section (``wider``), and the ``CityProfile`` of every city
    with a row in ``cities``. A run keeps one, adding each document's as it
    finishes (``add``)."""

    first: dict[str, dict[str, int]] = field(default_factory=dict)
    wider: dict[str, dict[str, int]] = field(default_factory=dict)
    cities: dict[str, CityProfile] = field(default_factory=dict)

    def add(self, other: Evidence) -> None:
        """Add another document's evidence (the result is that of all rows together)."""
        merge_counts(self.first, other.first)
        merge_counts(self.wider, other.wider)
        for city, theirs in other.cities.items():
            mine = self.cities.get(city)
            if mine is None:
                self.cities[city] = theirs
                continue
            figures = dict(mine.figures)
            for figure, (doc, value) in theirs.figures.items():
                if figure not in figures or doc < figures[figure][0]:
                    figures[figure] = (doc, value)
            self.cities[city] = CityProfile(min(mine.document_id, theirs.document_id), figures)


def rows_to_evidence(themes: list[dict], cities: Sequence[Mapping] = ()) -> Evidence:
    """Rows of ``themes`` and ``cities`` (one document's, or all) → their ``Evidence``."""
    return Evidence(themes_to_counts(themes, SECTIONS), themes_to_counts(themes, None), cities_to_city_profiles(cities))


def profiles_to_score(a: dict[str, float], b: dict[str, float]) -> float:
    """``1 / (1 + d)``, ``d`` the root mean square of the log10 differences of
    the figures both print; 0.0 without a figure in common."""
    both = sorted(a.keys() & b.keys())
    if not both:
        return 0.0
    d = math.sqrt(sum((a[f] - b[f]) ** 2 for f in both) / len(both))
    return round(1 / (1 + d), 6)


def _vectors(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, float]]:
    return counts_to_vectors(counts, counts_to_weights(counts))


def _ranked(city: str, vectors: Mapping[str, dict], measure, others: Sequence[str]) -> list[tuple[float, str]]:
    """The other cities with a score above 0, best first, ties by ``city_id``."""
    if city not in vectors:
        return []
    scored = ((measure(vectors[city], vectors[o]), o) for o in others if o != city and o in vectors)
    return sorted(((s, o) for s, o in scored if s > 0), key=lambda so: (-so[0], so[1]))


def themes_to_partners(themes: list[dict], k: int = 5, cities: Sequence[Mapping] = (),
                       minimum: int = 3) -> list[dict]:
    """Rows of the ``partners`` table (see the module docstring), ordered by
    city and rank: every city that has themes or a row in ``cities``."""
    return evidence_to_partners(rows_to_evidence(themes, cities), k, minimum)


def evidence_to_partners(evidence: Evidence, k: int = 5, minimum: int = 3) -> list[dict]:
    """``themes_to_partners`` from the ``Evidence`` of the rows."""
    first, wider, profiles = _vectors(evidence.first), _vectors(evidence.wider), _profiles(evidence.cities)
    everyone = sorted(set(first) | set(wider) | set(profiles))
    floor = min(k, minimum)
    tiers = ((FIRST, first, vectors_to_score), (WIDER, wider, vectors_to_score), (PROFILE, profiles, profiles_to_score))
    rows = []
    for city in everyone:
        chosen: list[tuple[float, str, str]] = []
        for basis, vectors, measure in tiers:
            want = k if basis == FIRST else floor - len(chosen)
            if want <= 0:
                break
            taken = {o for _, o, _ in chosen}
            chosen += [(s, o, basis) for s, o in _ranked(city, vectors, measure, everyone) if o not in taken][:want]
        rows += [{"city_id": city, "partner_city_id": other, "score": score,
                  "shared_themes": shared_of(wider.get(city, {}), wider.get(other, {})) if basis != FIRST
                  else shared_of(first[city], first[other]), "rank": rank, "basis": basis}
                 for rank, (score, other, basis) in enumerate(chosen, start=1)]
    return rows


def partners_to_findings(partners: list[dict], cities: Sequence[Mapping], catalogue: Mapping,
                         minimum: int = 3) -> list[Finding]:
    """A ``partners_few`` finding for each city of ``cities`` with fewer than
    ``minimum`` partners (fewer than the other cities, in a batch of fewer
    than ``minimum + 1`` cities)."""
    return profiles_to_findings(partners, cities_to_city_profiles(cities), catalogue, minimum)


def profiles_to_findings(partners: list[dict], cities: Mapping[str, CityProfile], catalogue: Mapping,
                         minimum: int = 3) -> list[Finding]:
    """``partners_to_findings`` from the cities' ``CityProfile`` (``Evidence.cities``)."""
    documents = {city: p.document_id for city, p in cities.items()}
    want = min(minimum, len(documents) - 1)
    have: dict[str, int] = defaultdict(int)
    for row in partners:
        have[row["city_id"]] += 1
    return [make_finding(catalogue, documents[city], city, "partners_few", "partners", "partner_city_id",
                         f"{city} has {have[city]} partner suggestion(s), fewer than {want}: neither its themes "
                         f"nor its figures (population, GDP per capita) can be compared with enough other cities.",
                         str(have[city]))
            for city in sorted(documents) if have[city] < want]
