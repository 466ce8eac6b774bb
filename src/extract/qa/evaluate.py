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

The steps: ``evaluate_gold`` reads the gold root into gold documents;
``evaluate_table`` compares one gold table with the output rows of its
document (which rows count, how they are keyed and matched); ``evaluate_cells``
counts one pair of cells under each matching; this module sums the counts of
all documents per table and overall.

Rows. Only output rows of the gold's document count, and of those only the
rows of the cities the gold covers in that table (see ``evaluate_table``).

Keys. A gold row names its city by ``city`` (the name the output's ``cities``
table prints) or ``city_id``; then, per table: cities — the city alone;
indicators — ``indicator``, ``scope``, ``group``; sections — ``section``;
items — ``section``, ``position``; contacts and quotes — ``position``, which
is, where the gold leaves it out, the row's rank among its city's gold rows;
findings — ``code``, plus ``table`` and ``field`` where the gold row gives
them (without them it matches a finding of that code in any table or field).
Another table is keyed by ``document.yaml``: ``tables: {<table>: {key: [...],
optional: [...], ordinal: ...}}`` (which also overrides the keying above).

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

from collections.abc import Iterable, Sequence
from pathlib import Path

from extract.qa.evaluate_gold import DOCUMENT_FILE, GOLD_KEYS, GoldDocument, Row, csv_to_rows, root_to_gold
from extract.qa.evaluate_render import Average, Counts, Evaluation, FieldScore, Miss, TableScore, render_eval, summary_text  # noqa: F401
from extract.qa.evaluate_table import TableOutcome, compare_table, gold_problem


def rows_of_document(rows: Iterable[Row], document_id: str) -> list[Row]:
    """The rows read from one document (all rows when the table has no ``document_id``)."""
    return [r for r in rows if r.get("document_id", document_id) == document_id]


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
