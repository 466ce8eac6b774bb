"""Score output tables against hand-checked gold, field by field, end to end.

Input: an output folder (``<table>.csv``) and a gold root with one folder per
document: a ``document.yaml`` naming the ``document_id`` it is gold for (and
per table, optionally, the cities it ``covers`` and how it was ``checked``)
and one CSV per output table holding the gold rows. Output: an ``Evaluation``
(frozen dataclasses, defined with their rendering in ``evaluate_render`` and
offered here with ``render_eval``, Markdown, and ``summary_text``, a few
lines): per table and field true positives, false positives, false
negatives, precision, recall and F1 under a strict and a soft matching, micro
and macro averages per table and overall, and the misses.

Rows. Only output rows of the gold's document count, and of those only the
rows of the cities the gold covers in that table: a city with a gold row
there, or one ``document.yaml`` lists under ``tables: {<table>: {covers:
[...]}}`` (listed without a row, it expects none: no list entry, no finding).
Every output row of a covered city counts, so an extra one is a false positive.

Keys. A gold row names its city by ``city`` (the name the output's ``cities``
table prints) or ``city_id``; then, per table: cities — the city alone;
indicators — ``indicator``, ``scope``, ``group``; sections — ``section``;
items — ``section``, ``position``; contacts and quotes — ``position``, which
is, where the gold leaves it out, the row's rank among its city's gold rows;
findings — ``code``, plus ``table`` and ``field`` where the gold row gives
them (without them it matches a finding of that code in any table or field).
Another table is keyed by ``document.yaml``: ``tables: {<table>: {key: [...],
optional: [...], ordinal: ...}}`` (which also overrides the keying above).
Key values are compared case, white space and punctuation ignored; gold rows
giving more key columns are matched first. Every other gold column is a scored
field (columns the gold lacks are not scored). The pseudo-field ``(row)``
counts rows: matched (TP), gold row without output row (FN), output row of a
covered city without gold row (FP).

Values. For a matched pair, per field: equal cells are a TP; an output value
where the gold cell is empty a FP; a gold value the output lacks a FN; two
different values both. Two empty cells count nothing. Every non-empty value
of an unmatched gold row is a FN, of an unmatched output row a FP. *Strict*:
two numbers are equal within a relative and absolute tolerance of 1e-9 (as the
shared ``score.py``); text as is after NFC and white space collapsing (line
ends included). *Soft*: numbers the same; text after NFKC, case folding and
with white space and punctuation (Unicode ``P*``) removed.

Scores. Precision ``tp/(tp+fp)`` and recall ``tp/(tp+fn)``, each 1.0 when its
denominator is 0; F1 their harmonic mean (0.0 when both are 0). Micro: counts
summed over fields (and tables); macro: mean per-field F1 over the fields with
any count. A ``Miss`` has table, city, key, field, gold and output value and
``matching``: ``strict`` when only the strict matching fails, ``soft`` when both do.

Gaps. A table the output lacks: every gold value is a FN and a note says so.
A table the gold lacks is not evaluated. A gold folder without a
``document.yaml`` naming a document is skipped with a note; a gold root that
is not a folder raises ``UsageError``.
"""
from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Mapping, Sequence

import yaml

from extract.errors import UsageError
from extract.qa.evaluate_render import (Average, Counts, Evaluation, FieldScore, Miss, TableScore,  # noqa: F401
                              render_eval, summary_text)

ROW = "(row)"
DOCUMENT_FILE = "document.yaml"
CITY_COLUMNS = ("city", "city_id")
TOLERANCE = 1e-9
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
Row = Mapping[str, str]


@dataclass(frozen=True)
class GoldKey:
    """How a table's gold rows are keyed after the city: ``optional`` columns key a row only
    where it gives them; an empty ``ordinal`` column is the row's rank within its city."""
    table: str
    key: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    ordinal: str = ""
    distinct: bool = False  # the gold lists a set: output rows with one key count once
    unscored: tuple[str, ...] = ()  # gold columns kept for the reader (the words that show a value)


GOLD_KEYS: Mapping[str, GoldKey] = MappingProxyType({k.table: k for k in (
    GoldKey("cities"),
    GoldKey("indicators", ("indicator", "scope", "group")),
    GoldKey("sections", ("section",)),
    GoldKey("items", ("section", "position")),
    GoldKey("contacts", ("position",), ordinal="position"),
    GoldKey("quotes", ("position",), ordinal="position"),
    GoldKey("findings", ("code",), optional=("table", "field")),
)})


@dataclass(frozen=True)
class GoldTable:
    """The gold rows of one table of one document, the cities it ``covers`` without a row and
    its keying (None when neither ``GOLD_KEYS`` nor ``document.yaml`` gives one)."""
    name: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    covers: tuple[str, ...]
    spec: GoldKey | None


@dataclass(frozen=True)
class GoldDocument:
    folder: Path
    document_id: str
    tables: tuple[GoldTable, ...]


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


def strict_form(value: str) -> str:
    """A cell as the strict matching sees it: NFC, white space collapsed, ends stripped."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def soft_form(value: str) -> str:
    """A cell as the soft matching sees it: NFKC, case folded, no white space, no punctuation."""
    folded = unicodedata.normalize("NFKC", value or "").casefold()
    return "".join(ch for ch in folded if not ch.isspace() and not unicodedata.category(ch).startswith("P"))


def numbers_equal(a: str, b: str) -> bool | None:
    """Whether two cells are the same number; None when either is not a number."""
    a, b = (a or "").strip(), (b or "").strip()
    if not (NUMBER.fullmatch(a) and NUMBER.fullmatch(b)):
        return None
    return math.isclose(float(a), float(b), rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def value_counts(gold: str, output: str, soft: bool) -> Counts:
    """The counts one pair of cells (gold, output) adds to its field under one matching."""
    has_gold, has_output = bool(strict_form(gold)), bool(strict_form(output))
    if not (has_gold and has_output):
        return Counts(fp=int(has_output), fn=int(has_gold))
    same = numbers_equal(gold, output)
    if same is None:
        form = soft_form if soft else strict_form
        same = form(gold) == form(output)
    return Counts(tp=1) if same else Counts(fp=1, fn=1)


def csv_to_rows(path: Path) -> tuple[tuple[str, ...], tuple[Row, ...]] | None:
    """A CSV file → its header and rows (every cell a string); None when there is no file."""
    if not path.is_file():
        return None
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = tuple({k: v or "" for k, v in r.items() if k is not None} for r in reader)
        return tuple(reader.fieldnames or ()), rows


def folder_to_gold(folder: Path) -> GoldDocument | str:
    """A gold folder → its ``GoldDocument``, or a note saying why it was skipped."""
    meta_path = folder / DOCUMENT_FILE
    if not meta_path.is_file():
        return f"{folder.name}: no {DOCUMENT_FILE}; skipped"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    if not isinstance(meta, dict) or not meta.get("document_id"):
        return f"{folder.name}: {DOCUMENT_FILE} names no document_id; skipped"
    listed = meta.get("tables") or {}
    tables = []
    for name in sorted({p.stem for p in folder.glob("*.csv")} | set(listed)):
        read = csv_to_rows(folder / f"{name}.csv") or ((), ())
        about = listed.get(name) or {}
        covers = tuple(str(c) for c in about.get("covers") or ())
        tables.append(GoldTable(name, read[0], read[1], covers, declared_key(name, about)))
    return GoldDocument(folder, str(meta["document_id"]), tuple(tables))


def declared_key(table: str, about: Mapping) -> GoldKey | None:
    """A table's keying: ``key`` (with ``optional``, ``ordinal``) in ``document.yaml``, else ``GOLD_KEYS``."""
    if "key" not in about:
        return GOLD_KEYS.get(table)
    return GoldKey(table, tuple(about["key"] or ()), tuple(about.get("optional") or ()), about.get("ordinal") or "",
                   bool(about.get("distinct", False)), tuple(about.get("unscored") or ()))


def root_to_gold(gold_root: Path) -> tuple[list[GoldDocument], list[str]]:
    """The gold root → its documents (one per sub-folder) and notes on folders skipped."""
    if not gold_root.is_dir():
        raise UsageError(f"{gold_root}: no such gold folder")
    documents, notes = [], []
    for folder in sorted(p for p in gold_root.iterdir() if p.is_dir()):
        got = folder_to_gold(folder)
        (notes if isinstance(got, str) else documents).append(got)
    return documents, notes


def rows_of_document(rows: Iterable[Row], document_id: str) -> list[Row]:
    """The rows read from one document (all rows when the table has no ``document_id``)."""
    return [r for r in rows if r.get("document_id", document_id) == document_id]


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


def document_outcomes(doc: GoldDocument, read) -> tuple[list[TableOutcome], list[str]]:
    """One gold document → an outcome per gold table it can key, and notes on the rest.

    ``read(table)`` gives an output table's rows (None when there is no file)."""
    cities = rows_of_document(read("cities") or (), doc.document_id)
    outcomes, notes = [], []
    for gold in doc.tables:
        if gold.spec is None:
            notes.append(f"{doc.folder.name}: no keying for table {gold.name} (give one in {DOCUMENT_FILE}); "
                         "not evaluated")
            continue
        problem = gold_problem(gold, gold.spec)
        if problem:
            notes.append(f"{doc.folder.name}: {problem}")
            continue
        rows = read(gold.name)
        mine = None if rows is None else rows_of_document(rows, doc.document_id)
        outcomes.append(compare_table(gold, mine, cities, doc.document_id))
    return outcomes, notes


def fields_to_average(fields: Sequence[FieldScore]) -> Average:
    """Field scores → their micro and macro averages (macro over fields with any count)."""
    strict, soft = sum((f.strict for f in fields), Counts()), sum((f.soft for f in fields), Counts())
    counted = [f for f in fields if not (f.strict.empty and f.soft.empty)]
    macro_strict = sum(f.strict.f1 for f in counted) / len(counted) if counted else 1.0
    macro_soft = sum(f.soft.f1 for f in counted) / len(counted) if counted else 1.0
    return Average(strict, soft, macro_strict, macro_soft, len(counted), sum(f.support for f in fields))


def outcomes_to_tables(outcomes: Sequence[TableOutcome]) -> tuple[TableScore, ...]:
    """Outcomes of all documents → one ``TableScore`` per table, counts summed per field."""
    order = list(GOLD_KEYS)
    tables = []
    for name in sorted({o.table for o in outcomes}, key=lambda t: (order.index(t) if t in order else len(order), t)):
        mine = [o for o in outcomes if o.table == name]
        summed: dict[str, tuple[Counts, Counts]] = {}
        for outcome in mine:
            for field, strict, soft in outcome.counts:
                before = summed.get(field, (Counts(), Counts()))
                summed[field] = (before[0] + strict, before[1] + soft)
        fields = tuple(FieldScore(name, f, s, t) for f, (s, t) in summed.items())
        notes = tuple(n for o in mine for n in o.notes)
        tables.append(TableScore(name, fields, fields_to_average(fields), sum(o.cities for o in mine), notes))
    return tuple(tables)


def evaluate(out_dir: Path | str, gold_root: Path | str) -> Evaluation:
    """An output folder and a gold root (one folder per document) → the ``Evaluation``."""
    out_dir = Path(out_dir)
    documents, notes = root_to_gold(Path(gold_root))
    cache: dict[str, tuple[Row, ...] | None] = {}

    def read(table: str) -> tuple[Row, ...] | None:
        if table not in cache:
            got = csv_to_rows(out_dir / f"{table}.csv")
            cache[table] = None if got is None else got[1]
        return cache[table]

    outcomes = []
    for doc in documents:
        got, more = document_outcomes(doc, read)
        outcomes += got
        notes += more
    tables = outcomes_to_tables(outcomes)
    overall = fields_to_average([f for t in tables for f in t.fields])
    misses = tuple(m for o in outcomes for m in o.misses)
    return Evaluation(tuple(d.document_id for d in documents), tables, overall, misses, tuple(notes))
