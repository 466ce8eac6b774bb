"""One gold table and the output rows of its document → a ``TableOutcome``.

Input: a ``GoldTable`` (``evaluate_gold``), the output rows of that table and
the output ``cities`` rows of the same document. Output: a ``TableOutcome``:
``(field, strict counts, soft counts)`` per scored field and the pseudo-field
``(row)``, the ``Miss``es and the number of cities covered.

Rows. Only the output rows of the cities the gold covers count: a city with a
gold row, or one ``document.yaml`` lists under ``covers`` (listed without a
row, it expects none). Every output row of a covered city counts, so an extra
one is a false positive. ``(row)`` counts rows: matched (TP), gold row
without output row (FN), output row of a covered city without gold row (FP).

Keys. A gold row names its city by ``city`` (the name the output's ``cities``
table prints) or ``city_id``, then by the key columns of its ``GoldKey``; an
``ordinal`` column the gold leaves out is the row's rank among its city's gold
rows, ``optional`` columns key a row only where the gold gives them. Key
values are compared in their soft form; gold rows giving more key columns are
matched first. Every other gold column is a scored field, compared cell by
cell (``evaluate_cells``); every non-empty value of an unmatched gold row is a
FN, of an unmatched output row a FP. A ``Miss`` is ``strict`` when only the
strict matching fails, ``soft`` when both do.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from extract.qa.evaluate_cells import soft_form, strict_form, value_counts
from extract.qa.evaluate_gold import GoldKey, GoldTable, Row
from extract.qa.evaluate_render import Counts, Miss

ROW = "(row)"
CITY_COLUMNS = ("city", "city_id")


@dataclass(frozen=True)
class Keyed:
    """A row with its city id, its key as ``(column, soft value)`` pairs and the key as printed."""
    city_id: str
    key: tuple[tuple[str, str], ...]
    row: Row
    label: str


@dataclass(frozen=True)
class TableOutcome:
    """One gold table compared: ``(field, strict, soft)`` counts, misses, covered cities."""
    table: str
    counts: tuple[tuple[str, Counts, Counts], ...]
    misses: tuple[Miss, ...]
    cities: int
    notes: tuple[str, ...] = ()


def city_names(cities: Sequence[Row]) -> dict[str, str]:
    """Output ``cities`` rows → soft city name → city_id."""
    return {soft_form(r.get("city", "")): r.get("city_id", "") for r in cities}


def gold_city_id(row: Row, names: Mapping[str, str]) -> str:
    """The output city id a gold row (or a ``covers`` name) stands for; ``?name`` when unknown."""
    if row.get("city_id"):
        return row["city_id"]
    name = row.get("city", "")
    if not strict_form(name):
        return ""
    return names.get(soft_form(name), f"?{strict_form(name)}")


def gold_to_keyed(rows: Sequence[Row], spec: GoldKey, names: Mapping[str, str]) -> list[Keyed]:
    """Gold rows → keyed rows; an ordinal key left empty becomes the row's rank in its city."""
    rank: dict[str, int] = {}
    keyed = []
    for row in rows:
        city_id = gold_city_id(row, names)
        rank[city_id] = rank.get(city_id, 0) + 1
        given = []
        for column in spec.key + spec.optional:
            value = row.get(column, "")
            if column == spec.ordinal and not strict_form(value):
                value = str(rank[city_id])
            if column in spec.key or strict_form(value):
                given.append((column, value))
        keyed.append(Keyed(city_id, tuple((c, soft_form(v)) for c, v in given), row, key_label(given)))
    return keyed


def output_to_keyed(rows: Sequence[Row], spec: GoldKey, covered: set[str]) -> list[Keyed]:
    """Output rows of the covered cities → keyed rows (optional key columns included)."""
    columns = spec.key + spec.optional
    keyed = [Keyed(r.get("city_id", ""), tuple((c, soft_form(r.get(c, ""))) for c in columns), r,
                   key_label([(c, r.get(c, "")) for c in columns]))
             for r in rows if r.get("city_id", "") in covered]
    if spec.distinct:
        seen: dict[tuple, Keyed] = {}
        for k in keyed:
            seen.setdefault((k.city_id, k.key), k)
        keyed = list(seen.values())
    return keyed


def match_rows(gold: Sequence[Keyed], output: Sequence[Keyed]
               ) -> tuple[list[tuple[Keyed, Keyed]], list[Keyed], list[Keyed]]:
    """Gold and output rows → matched pairs, gold rows left over, output rows left over.

    A gold row matches an output row of its city whose key columns equal every
    key column the gold row gives; gold rows giving more key columns choose first,
    each takes the first free output row in output order."""
    free = list(output)
    pairs, missing = [], []
    for g in sorted(gold, key=lambda k: -len(k.key)):
        found = next((o for o in free if o.city_id == g.city_id and set(g.key) <= set(o.key)), None)
        if found is None:
            missing.append(g)
        else:
            free.remove(found)
            pairs.append((g, found))
    return pairs, missing, free


def key_label(pairs: Iterable[tuple[str, str]]) -> str:
    """Key columns and values → the key as a miss shows it (``section=plan, position=3``)."""
    return ", ".join(f"{c}={strict_form(v)}" for c, v in pairs if strict_form(v))


def preview(keyed: Keyed, fields: Sequence[str]) -> str:
    """A short view of a row for a row miss: its scored values, else its message, else ``(row)``."""
    values = [keyed.row.get(f, "") for f in fields] or [keyed.row.get("message", "")]
    shown = " | ".join(strict_form(v) for v in values if strict_form(v)) or ROW
    return shown if len(shown) <= 200 else shown[:199] + "…"


def scored_fields(gold: GoldTable, spec: GoldKey) -> tuple[str, ...]:
    """The gold columns that are scored: all but the city, the document, the key and the unscored."""
    skip = {*CITY_COLUMNS, "document_id", *spec.key, *spec.optional, *spec.unscored}
    return tuple(c for c in gold.columns if c not in skip)


def gold_problem(gold: GoldTable, spec: GoldKey) -> str:
    """Why a gold table cannot be keyed ('' when it can)."""
    if gold.rows and not set(CITY_COLUMNS) & set(gold.columns):
        return f"gold {gold.name}.csv has neither a city nor a city_id column; not evaluated"
    lacking = [c for c in spec.key if c != spec.ordinal and c not in gold.columns]
    if gold.rows and lacking:
        return f"gold {gold.name}.csv lacks its key column(s) {', '.join(lacking)}; not evaluated"
    return ""


def covered_ids(gold: GoldTable, keyed: Sequence[Keyed], names: Mapping[str, str]) -> set[str]:
    """The city ids a gold table covers: those of its rows and those its ``covers`` lists."""
    ids = set(names.values())
    listed = {c if c in ids else gold_city_id({"city": c}, names) for c in gold.covers}
    return {k.city_id for k in keyed} | listed


def pair_cells(pairs, missing, extra, fields):
    """Matched, missing and extra rows → ``(field, gold cell, output cell, keyed row)`` to count."""
    sides = [(g, g.row, o.row) for g, o in pairs] + [(g, g.row, None) for g in missing]
    for keyed, gold, output in sides + [(o, None, o.row) for o in extra]:
        yield ROW, "1" if gold is not None else "", "1" if output is not None else "", keyed
        for f in fields:
            yield f, (gold or {}).get(f, ""), (output or {}).get(f, ""), keyed


def compare_table(gold: GoldTable, output: Sequence[Row] | None, cities: Sequence[Row],
                  document_id: str) -> TableOutcome:
    """One gold table, the output rows and the output cities of its document → counts per field, misses."""
    spec, names = gold.spec, city_names(cities)
    fields = scored_fields(gold, spec)
    notes = [] if output is not None else [f"output has no {gold.name}.csv: every gold value is missed"]
    gold_keyed = gold_to_keyed(gold.rows, spec, names)
    covered = covered_ids(gold, gold_keyed, names)
    pairs, missing, extra = match_rows(gold_keyed, output_to_keyed(output or (), spec, covered))
    shown = {r.get("city_id", ""): r.get("city", "") for r in cities}
    shown |= {i: r.get("city", "") for r in gold.rows if (i := gold_city_id(r, names)) and r.get("city")}
    tally = {f: (Counts(), Counts()) for f in (ROW, *fields)}
    misses = []
    for field, g, o, keyed in pair_cells(pairs, missing, extra, fields):
        strict, soft = value_counts(g, o, False), value_counts(g, o, True)
        tally[field] = (tally[field][0] + strict, tally[field][1] + soft)
        if strict.tp or strict.empty:
            continue
        if field == ROW:
            g, o = (preview(keyed, fields), "") if g else ("", preview(keyed, fields))
        city = shown.get(keyed.city_id) or keyed.city_id
        matching = "strict" if soft.tp else "soft"
        misses.append(Miss(document_id, gold.name, city, keyed.label, field, g, o, matching))
    counts = tuple((f, s, t) for f, (s, t) in tally.items())
    return TableOutcome(gold.name, counts, tuple(misses), len(covered), tuple(notes))
