"""The output tables → one SQLite database, ``extract.db`` (with the standard
library's ``sqlite3``, a chunk of rows at a time).

Input: the tables as ``write_tables`` has them, name → its rows in key order:
a pyarrow Table, or a callable that yields them a chunk at a time
(``spill.TableSpill.chunks``), each with exactly the spec's columns.
``DatabaseWriter`` takes them a chunk at a time as ``write`` writes the
other files (``DatabaseThread``: in a thread of its own, at the same time;
``tables_to_database``: all at once). Output: the database file
at ``path``, for browsing (``extract serve``: Datasette), searching and
joining without code:

- one SQLite table per output table, the spec's columns and types, rows in
  the order given, an index on the key and on each column that joins;
- ``city_index`` (one row per ``city_id`` of any table but ``findings``: the
  target of every ``city_id`` foreign key, as ``cities`` has one row per city
  *and document*) and ``documents`` (one row per ``document_id``: the target of
  every ``document_id`` foreign key), from what the chunks said of each id;
- the passages behind the themes and partners (``database_views``, built in
  the database from the tables written) and the views answering the README's
  questions: ``themes_by_city``, ``partner_evidence``, ``timeline``;
- full-text search (FTS5) over ``sections``, ``items``, ``quotes`` and
  ``challenges``.

The schema is the one sqlite-utils writes for the same tables (its
``CREATE`` statements, word for word), so tools that read it see no change.
The same tables give the same bytes: nothing depends on time, on the order
of a set or on how the rows are cut into chunks. A foreign key that does
not hold is a fault of this module (``RuntimeError``), never of the data.
"""
from __future__ import annotations

import itertools
import math
import os
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from typing import Any

import pyarrow as pa

from extract.tables.arrow import plain_schema
from extract.tables.database_views import DERIVED, VIEWS, fill_theme_passages, partner_theme_rows
from extract.tables.kernels import call, cast
from extract.tables.schemas import TABLES

SQLITE_TYPES: Mapping[str, type] = {"string": str, "float": float, "Int": int, "date": str}
_DECLARED: Mapping[type, str] = {str: "TEXT", int: "INTEGER", float: "REAL"}
SEARCHABLE: Mapping[str, tuple[str, ...]] = {
    "sections": ("text",), "items": ("text",), "quotes": ("text", "speaker", "speaker_role"),
    "challenges": ("title", "description", "challenge", "expected_impact", "target_groups"),
}
CITY_COLUMNS = ("city_id", "partner_city_id")
NO_CITY_KEY = frozenset({"findings"})  # its city_id may name a portrait no city could be tied to
NAMED = ("city", "country", "country_code")
PARENTS: Mapping[str, tuple[str, dict[str, type]]] = {  # name → (primary key, column types)
    "city_index": ("city_id", {"city_id": str, "city": str, "country": str, "country_code": str, "portraits": int}),
    "documents": ("document_id", {"document_id": str, "source_format": str, "portraits": int}),
}
INSERT_ROWS = 10_000  # rows turned into Python values and inserted at a time
# A null as it is bound: SQLite stores a NaN as NULL (``nan.test`` of its tests), and the sqlite3
# module binds a float at once, where it first looks for an adapter of None (~3,000 instructions).
NULL = math.nan
STATEMENT_ROWS = 100  # rows one INSERT statement names at most (fewer, for many columns: ``_per_statement``)
Rows = pa.Table | Callable[[], Iterable[pa.Table]]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _foreign_keys(table: str, columns: Iterable[str]) -> list[tuple[str, str, str]]:
    keys = [(c, "city_index", "city_id") for c in columns if c in CITY_COLUMNS and table not in NO_CITY_KEY]
    return keys + [("document_id", "documents", "document_id") for c in columns if c == "document_id"]


def _create_sql(name: str, columns: Mapping[str, type], pk: str | None, foreign: list[tuple[str, str, str]]) -> str:
    """``CREATE TABLE`` as sqlite-utils words it: one column a line, a single
    primary key and each foreign key on its column."""
    refs = {column: (table, other) for column, table, other in foreign}
    lines = []
    for column, kind in columns.items():
        line = f"   {_quote(column)} {_DECLARED[kind]}" + (" PRIMARY KEY" if column == pk else "")
        if column in refs:
            line += f" REFERENCES {_quote(refs[column][0])}({_quote(refs[column][1])})"
        lines.append(line)
    return f"CREATE TABLE {_quote(name)} (\n" + ",\n".join(lines) + "\n)"


def _index_sql(table: str, index: str, columns: Iterable[str]) -> str:
    return f"CREATE INDEX {_quote(index)}\n    ON {_quote(table)} ({', '.join(map(_quote, columns))})"


def _fts_sql(table: str, columns: Iterable[str]) -> list[str]:
    """The FTS5 table of ``table`` over ``columns`` (Porter stemming, its content
    the table's), filled from the table, as sqlite-utils' ``enable_fts`` does."""
    quoted = ", ".join(map(_quote, columns))
    fts = _quote(f"{table}_fts")
    return [f"CREATE VIRTUAL TABLE {fts} USING FTS5 (\n    {quoted},\n    tokenize='porter',\n"
            f"    content={_quote(table)}\n)",
            f"INSERT INTO {fts} (rowid, {quoted})\n    SELECT rowid, {quoted} FROM {_quote(table)};"]


def _values(chunk: pa.Table | pa.RecordBatch) -> list[Any]:
    """A chunk's values, one row after another, as plain values (a date as
    its ISO text, a null as ``NULL``): each column converted whole and laid
    in its places."""
    width = chunk.num_columns
    values: list[Any] = [None] * (chunk.num_rows * width)
    for i, column in enumerate(chunk.columns):
        got = (cast(column, pa.string()) if pa.types.is_date(column.type) else column).to_pylist()
        values[i::width] = [NULL if v is None else v for v in got] if column.null_count else got
    return values


def _flat(rows: Iterable[tuple[Any, ...]]) -> list[Any]:
    """Rows of plain values (a null as None) as ``_values`` has them."""
    return [NULL if v is None else v for row in rows for v in row]


def _ids(chunk: pa.Table, column: str) -> set[Any]:
    """The distinct values of a column of the chunk (no null). (Its pieces one
    by one: ``combine_chunks`` of no pieces imports pandas.)"""
    return {v for piece in chunk.column(column).chunks for v in call("drop_null", call("unique", piece)).to_pylist()}


class DatabaseWriter:
    """``extract.db`` being written: ``add`` a table's rows a chunk at a time,
    the tables in the order of ``TABLES``; ``close`` adds the parents, the
    derived tables, the full-text search and the views, and checks the
    foreign keys (``abort`` leaves the file unfinished, for the caller to
    remove)."""

    def __init__(self, path: str | os.PathLike[str], names: Iterable[str]):
        self.names = [t for t in TABLES if t in set(names)]
        if os.path.exists(path):
            os.remove(path)
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA page_size = 16384")  # fewer, fuller pages: less work to fill, a smaller file
        # 8 MiB of page cache (SQLite takes 2 by default): the indexes and full-text search
        # mostly built in memory, and a bound the peak memory of a run does not outgrow with N.
        self.conn.execute("PRAGMA cache_size = -8192")
        self.conn.execute("PRAGMA journal_mode = MEMORY")
        self.conn.execute("PRAGMA synchronous = OFF")  # no fsync: the folder is swapped in whole, as the other files
        self.conn.execute("BEGIN")
        self._current: str | None = None
        self._done: list[str] = []
        self._city_ids: set[str] = set()
        self._document_ids: set[str] = set()
        self._named: dict[str, dict[str, dict[str, Any]]] = {"cities": {}, "challenges": {}}  # city_id → names
        self._formats: dict[str, dict[str, Any]] = {"cities": {}, "challenges": {}}  # document_id → source_format
        self._portraits: dict[str, int] = {}  # of city_id, in cities
        self._document_portraits: dict[str, int] = {}
        for name, (pk, columns) in PARENTS.items():
            self.conn.execute(_create_sql(name, columns, pk, []))

    def add(self, table: str, chunk: pa.Table) -> None:
        """Some of ``table``'s rows, after those added before."""
        if table != self._current:
            if table in self._done or table not in self.names:
                raise ValueError(f"{table}: tables are added once each, in the order of TABLES")
            self._end_table()
            spec = TABLES[table]
            self._create(table, {c.name: SQLITE_TYPES[c.type] for c in spec.columns})
            self._current = table
        spec = TABLES[table]
        if tuple(chunk.schema.names) != spec.names:
            raise ValueError(f"{table}: columns {chunk.schema.names} are not the spec's {list(spec.names)}")
        self._note(table, chunk)
        for batch in chunk.to_batches(max_chunksize=INSERT_ROWS):
            self._insert(table, spec.names, _values(batch))

    def close(self) -> None:
        """Finish the database (see the class docstring) and close it."""
        self._end_table()
        for name in self.names:
            if name not in self._done:  # no chunk came: the table without rows
                self.add(name, pa.Table.from_batches([], schema=plain_schema(name)))
                self._end_table()
        tables = set(self.names)
        columns, key = DERIVED["theme_passages"]
        self._create("theme_passages", columns)
        fill_theme_passages(self.conn, tables)
        self._indexes("theme_passages", columns, key)
        columns, key = DERIVED["partner_themes"]
        self._create("partner_themes", columns)
        rows = partner_theme_rows(self.conn, tables)
        while batch := list(itertools.islice(rows, INSERT_ROWS)):
            self._insert("partner_themes", list(columns), _flat(batch))
        self._indexes("partner_themes", columns, key)
        for name, parent_rows in self._parents().items():
            self._insert(name, list(PARENTS[name][1]), _flat(parent_rows))
        for name, columns in SEARCHABLE.items():
            if name in tables:
                for sql in _fts_sql(name, columns):
                    self.conn.execute(sql)
        for name, (needs, sql) in VIEWS.items():
            if all(t in tables for t in needs):
                self.conn.execute(f"CREATE VIEW {_quote(name)} AS {sql}")
        self.conn.execute("COMMIT")
        broken = self.conn.execute("PRAGMA foreign_key_check").fetchall()
        self.conn.close()
        if broken:
            raise RuntimeError(f"extract.db: {len(broken)} foreign keys do not hold, e.g. {broken[0]}")

    def abort(self) -> None:
        self.conn.close()

    def _insert_sql(self, table: str, columns: Iterable[str], rows: int = 1) -> str:
        """``INSERT`` of ``rows`` rows of ``columns`` (their values in one row after another)."""
        columns = list(columns)
        values = f"({', '.join('?' * len(columns))})"
        return f"INSERT INTO {_quote(table)} ({', '.join(map(_quote, columns))}) VALUES {', '.join([values] * rows)}"

    def _insert(self, table: str, columns: Sequence[str], values: list[Any]) -> None:
        """Insert rows (their ``values`` one row after another, ``_values``), in
        their order: ``_per_statement`` rows a statement (a statement run costs
        more than a row it inserts), the rest in one."""
        rows = len(values) // len(columns)
        per = self._per_statement(len(columns))
        whole = (rows - rows % per) * len(columns)
        if whole:
            width = per * len(columns)
            self.conn.executemany(self._insert_sql(table, columns, per),
                                  (values[i:i + width] for i in range(0, whole, width)))
        if whole < len(values):
            self.conn.execute(self._insert_sql(table, columns, rows % per), values[whole:])

    def _per_statement(self, columns: int) -> int:
        """Rows an ``INSERT`` of ``columns`` columns names: ``STATEMENT_ROWS``, or
        fewer where their values would pass SQLite's limit of bound values."""
        return max(1, min(STATEMENT_ROWS, self.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // columns))

    def _create(self, name: str, columns: dict[str, type]) -> None:
        """A table of the output or derived; no NOT NULL and no unique key: a row
        that breaks its schema is still written, as in the CSV (a
        ``schema_violation`` finding says so)."""
        self.conn.execute(_create_sql(name, columns, None, _foreign_keys(name, columns)))

    def _indexes(self, name: str, columns: Iterable[str], key: tuple[str, ...]) -> None:
        """The index on the key, and one on each column that joins (unless the key starts with it)."""
        if key:
            self.conn.execute(_index_sql(name, f"{name}_key", key))
        for column, _, _ in _foreign_keys(name, columns):
            if key[:1] != (column,):
                self.conn.execute(_index_sql(name, f"{name}_{column}", [column]))

    def _end_table(self) -> None:
        """Index the table being added, now that all its rows are in."""
        if self._current is not None:
            spec = TABLES[self._current]
            self._indexes(self._current, spec.names, spec.key)
            self._done.append(self._current)
            self._current = None

    def _note(self, table: str, chunk: pa.Table) -> None:
        """What ``city_index`` and ``documents`` need of the chunk's ids."""
        names = chunk.schema.names
        if table not in NO_CITY_KEY:
            for column in CITY_COLUMNS:
                if column in names:
                    self._city_ids.update(_ids(chunk, column))
        if "document_id" in names:
            self._document_ids.update(_ids(chunk, "document_id"))
        if table in self._named:
            named, formats = self._named[table], self._formats[table]
            rows = chunk.select(["city_id", "document_id", "source_format", *NAMED]).to_pylist()
            for row in rows:
                if row["city_id"] is not None and row["city_id"] not in named:
                    named[row["city_id"]] = {f: row[f] for f in NAMED}
                if row["document_id"] is not None and row["document_id"] not in formats:
                    formats[row["document_id"]] = row["source_format"]
                if table == "cities":
                    self._portraits[row["city_id"]] = self._portraits.get(row["city_id"], 0) + 1
                    self._document_portraits[row["document_id"]] = self._document_portraits.get(
                        row["document_id"], 0) + 1

    def _parents(self) -> dict[str, list[tuple[Any, ...]]]:
        """``city_index`` and ``documents``: every id the tables hold, with what the
        tables say about it (cities first, then challenge pages)."""
        named = self._named["challenges"] | self._named["cities"]
        formats = self._formats["challenges"] | self._formats["cities"]
        empty = dict.fromkeys(NAMED)
        city_index = [(i, *named.get(i, empty).values(), self._portraits.get(i, 0)) for i in sorted(self._city_ids)]
        documents = [(d, formats.get(d), self._document_portraits.get(d, 0)) for d in sorted(self._document_ids)]
        return {"city_index": city_index, "documents": documents}


ADD, CLOSE, ABORT = "add", "close", "abort"  # what a fed writer is told: (ADD, table, chunk), (CLOSE,), (ABORT,)


def feed(path: str | os.PathLike[str], names: list[str], get: Callable[[], tuple],
         failed: Callable[[BaseException], None]) -> bool:
    """A ``DatabaseWriter`` at ``path`` fed the messages ``get()`` returns until
    it is told to close or abort; whether it closed the database whole. A
    failure goes to ``failed``, the writer is aborted and the messages are
    still read up to the close or abort, so the sender is never left blocked."""
    writer, message = None, None
    try:
        writer = DatabaseWriter(path, names)
        while True:
            message = get()
            if message[0] == CLOSE:
                writer.close()
                return True
            if message[0] == ABORT:
                writer.abort()
                return False
            writer.add(message[1], message[2])
    except BaseException as exc:
        failed(exc)
        if writer is not None:
            with suppress(Exception):
                writer.abort()
        while message is None or message[0] not in (CLOSE, ABORT):
            message = get()
        return False


class DatabaseThread:
    """A ``DatabaseWriter`` in a thread of its own, fed the chunks through a
    short queue: SQLite and Arrow work without Python's lock, so the
    database is built while the caller writes the other files. ``add``,
    ``close`` and ``abort`` as ``DatabaseWriter``'s, in the same order; a
    failure of the writer is raised by the next ``add`` or by ``close``."""

    def __init__(self, path: str | os.PathLike[str], names: Iterable[str], waiting: int = 2):
        self._queue: queue.Queue = queue.Queue(maxsize=waiting)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._work, args=(path, list(names)), name="extract.db", daemon=True)
        self._thread.start()

    def _work(self, path: str | os.PathLike[str], names: list[str]) -> None:
        feed(path, names, self._queue.get, self._failed)  # a failure is raised in the caller's thread

    def _failed(self, exc: BaseException) -> None:
        self._failure = exc

    def _raise(self) -> None:
        if self._failure is not None:
            raise self._failure

    def add(self, table: str, chunk: pa.Table) -> None:
        self._raise()
        self._queue.put((ADD, table, chunk))

    def close(self) -> None:
        self._queue.put((CLOSE,))
        self._thread.join()
        self._raise()

    def abort(self) -> None:
        if self._thread.is_alive():
            self._queue.put((ABORT,))
            self._thread.join()


def tables_to_database(tables: Mapping[str, Rows], path: str | os.PathLike[str]) -> None:
    """Write ``tables`` (name → pyarrow Table, or a callable yielding its chunks)
    as the SQLite database ``path`` (replaced if it exists)."""
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise KeyError(f"not a table: {', '.join(unknown)}")
    writer = DatabaseWriter(path, tables)
    try:
        for name in writer.names:
            rows = tables[name]
            for chunk in ([rows] if isinstance(rows, pa.Table) else rows()):
                writer.add(name, chunk)
    except BaseException:
        writer.abort()
        raise
    writer.close()
