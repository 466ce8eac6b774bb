"""The output tables → one SQLite database, ``extract.db`` (built with sqlite-utils).

Input: the tables as ``write_tables`` has them, name → a pandas frame or a
pyarrow Table with exactly the spec's columns, rows in key order. Output: the
database file at ``path``, for browsing (``extract serve``: Datasette),
searching and joining without code:

- one SQLite table per output table, the spec's columns and types, rows in
  the order given, an index on the key and on each column that joins;
- ``city_index`` (one row per ``city_id`` of any table but ``findings``: the
  target of every ``city_id`` foreign key, as ``cities`` has one row per city
  *and document*) and ``documents`` (one row per ``document_id``: the target of
  every ``document_id`` foreign key);
- the passages behind the themes and partners (``database_views``) and the
  views answering the README's questions: ``themes_by_city``,
  ``partner_evidence``, ``timeline``;
- full-text search (FTS5) over ``sections``, ``items``, ``quotes`` and
  ``challenges``.

The same tables give the same bytes: nothing depends on time or on the order
of a set. A foreign key that does not hold is a fault of this module
(``RuntimeError``), never of the data.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from extract.tables.database_views import VIEWS, derived_tables
from extract.tables.schemas import TABLES

if TYPE_CHECKING:
    import sqlite_utils

SQLITE_TYPES: Mapping[str, type] = {"string": str, "float": float, "Int": int, "date": str}
SEARCHABLE: Mapping[str, tuple[str, ...]] = {
    "sections": ("text",), "items": ("text",), "quotes": ("text", "speaker", "speaker_role"),
    "challenges": ("title", "description", "challenge", "expected_impact", "target_groups"),
}
CITY_COLUMNS = ("city_id", "partner_city_id")
NO_CITY_KEY = frozenset({"findings"})  # its city_id may name a portrait no city could be tied to
PARENTS: Mapping[str, tuple[str, dict[str, type]]] = {  # name → (primary key, column types)
    "city_index": ("city_id", {"city_id": str, "city": str, "country": str, "country_code": str, "portraits": int}),
    "documents": ("document_id", {"document_id": str, "source_format": str, "portraits": int}),
}


def _rows(data: Any) -> Iterator[dict[str, Any]]:
    """Rows of a pandas frame or a pyarrow Table as plain dicts (None for a null)."""
    table = data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
    for batch in table.to_batches(max_chunksize=10_000):
        yield from batch.to_pylist()


def _first(rows: Iterable[dict[str, Any]], key: str, *fields: str) -> dict[str, dict[str, Any]]:
    """``key`` value → the listed fields of the first row holding it."""
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row.get(key) is not None and row[key] not in out:
            out[row[key]] = {f: row.get(f) for f in fields}
    return out


def _parents(rows: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """``city_index`` and ``documents``: every id the tables hold, with what the
    tables say about it (cities first, then challenge pages)."""
    named = ("city", "country", "country_code")
    cities = _first(rows.get("cities", []), "city_id", *named)
    for city_id, fields in _first(rows.get("challenges", []), "city_id", *named).items():
        cities.setdefault(city_id, fields)
    portraits: dict[str, int] = {}
    for row in rows.get("cities", []):
        portraits[row["city_id"]] = portraits.get(row["city_id"], 0) + 1
    ids = sorted({r[c] for t, rs in rows.items() if t not in NO_CITY_KEY for r in rs for c in CITY_COLUMNS
                  if r.get(c) is not None})
    city_index = [{"city_id": i, **cities.get(i, dict.fromkeys(named)), "portraits": portraits.get(i, 0)}
                  for i in ids]
    formats = _first(rows.get("cities", []), "document_id", "source_format")
    for doc, fields in _first(rows.get("challenges", []), "document_id", "source_format").items():
        formats.setdefault(doc, fields)
    docs = sorted({r["document_id"] for rs in rows.values() for r in rs if r.get("document_id") is not None})
    documents = [{"document_id": d, "source_format": formats.get(d, {}).get("source_format"),
                  "portraits": sum(1 for r in rows.get("cities", []) if r["document_id"] == d)} for d in docs]
    return {"city_index": city_index, "documents": documents}


def _foreign_keys(table: str, columns: Iterable[str]) -> list[tuple[str, str, str]]:
    keys = [(c, "city_index", "city_id") for c in columns if c in CITY_COLUMNS and table not in NO_CITY_KEY]
    return keys + [("document_id", "documents", "document_id") for c in columns if c == "document_id"]


def _create(db: sqlite_utils.Database, name: str, columns: dict[str, type], rows: list[dict[str, Any]],
            key: tuple[str, ...], pk: str | None = None) -> None:
    """One table, its rows and its indexes. No NOT NULL and no unique key: a row
    that breaks its schema is still written, as in the CSV (a ``schema_violation``
    finding says so)."""
    table = db.table(name)
    foreign = [] if name in PARENTS else _foreign_keys(name, columns)
    table.create(columns, pk=pk, foreign_keys=foreign)
    table.insert_all(rows, batch_size=1000)
    if key and not pk:
        table.create_index(key, index_name=f"{name}_key")
    for column, _, _ in foreign:
        if key[:1] != (column,):
            table.create_index([column], index_name=f"{name}_{column}")


def tables_to_database(tables: Mapping[str, Any], path: str | os.PathLike[str]) -> None:
    """Write ``tables`` (name → pandas frame or pyarrow Table) as the SQLite
    database ``path`` (replaced if it exists)."""
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise KeyError(f"not a table: {', '.join(unknown)}")
    import sqlite_utils  # here, not at import: worker processes never write

    names = [t for t in TABLES if t in tables]
    rows = {name: list(_rows(tables[name])) for name in names}
    if os.path.exists(path):
        os.remove(path)
    db = sqlite_utils.Database(path)
    try:
        db.execute("PRAGMA journal_mode = MEMORY")
        with db.conn:
            for name, parent_rows in _parents(rows).items():
                pk, columns = PARENTS[name]
                _create(db, name, columns, parent_rows, (), pk=pk)
            for name in names:
                spec = TABLES[name]
                _create(db, name, {c.name: SQLITE_TYPES[c.type] for c in spec.columns}, rows[name], spec.key)
            for name, (columns, key, derived) in derived_tables(rows).items():
                _create(db, name, columns, derived, key)
            for name, columns in SEARCHABLE.items():
                if name in rows:
                    db.table(name).enable_fts(columns, fts_version="FTS5", tokenize="porter")
            for name, (needs, sql) in VIEWS.items():
                if all(t in rows for t in needs):
                    db.create_view(name, sql)
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"extract.db: {len(broken)} foreign keys do not hold, e.g. {broken[0]}")
    finally:
        db.close()
