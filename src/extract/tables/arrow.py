"""Rows of a table → typed Arrow record batches, and the Arrow schema of each table.

Input: records as plain dicts (one per row, keys = the columns of
``schemas``) from the extractors and ``validate``, and the table specs.
Output: ``rows_to_batch``, one ``pa.RecordBatch`` with exactly the spec's
columns and types (a missing key or an empty string is a null, a NaN float
too, a number in a text column its ``str``, as pandas read them; a date
column carries its ISO text, as the CSV has it; built by ``arrays``,
without pandas); ``arrow_schema``, the schema the Parquet files are written
with (each column's description as field metadata, a date column as a date,
and the ``pandas`` metadata that ``pandas.read_parquet`` reads its dtypes
from: ``Int64`` and ``string``), and ``to_output``, rows in that schema's
types (a text that is no date a null there);
``sort_keys``, the sort order of the output (by key, nulls first);
``rows_to_table``, a few rows as a table in that order; ``to_ipc``, a
batch or table as Arrow IPC stream bytes (how it goes to another process).
"""
from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import pyarrow as pa

from extract import installed
from extract.tables.arrays import dates, floats, ints, strings, text_columns
from extract.tables.kernels import sort_indices, take
from extract.tables.schemas import TABLES, ColumnSpec

# Each type as the output files hold it; between stages a date is carried as its ISO text (``CARRIED``).
ARROW_TYPES: Mapping[str, pa.DataType] = MappingProxyType({"string": pa.string(), "float": pa.float64(),
                                                           "Int": pa.int64(), "date": pa.date32()})
CARRIED: Mapping[str, pa.DataType] = MappingProxyType(dict(ARROW_TYPES, date=pa.string()))
# How pandas names each type in the ``pandas`` metadata of a Parquet file: (pandas_type, numpy_type).
_PANDAS_TYPES = MappingProxyType({"string": ("unicode", "string"), "float": ("float64", "float64"),
                                  "Int": ("int64", "Int64"), "date": ("date", "object")})
_BUILD = MappingProxyType({"string": strings, "float": floats, "Int": ints, "date": strings})


def _pandas_metadata(columns: tuple[ColumnSpec, ...]) -> bytes:
    """The ``pandas`` schema metadata ``pa.Table.from_pandas`` writes for a
    frame of these columns (without an index), so that pandas reads the
    nullable dtypes back."""
    version = installed.version("pandas") or ""  # pandas is a dependency; without it, say which library wrote the file
    cols = [{"name": c.name, "field_name": c.name, "pandas_type": _PANDAS_TYPES[c.type][0],
             "numpy_type": _PANDAS_TYPES[c.type][1], "metadata": None} for c in columns]
    return json.dumps({"index_columns": [], "column_indexes": [], "columns": cols, "attributes": {},
                       "creator": {"library": "pyarrow", "version": pa.__version__},
                       "pandas_version": version}).encode("utf8")


@functools.cache
def arrow_schema(table: str) -> pa.Schema:
    """The table's Arrow schema: its columns in spec order, every one nullable,
    with its description; the ``pandas`` metadata as schema metadata."""
    spec = TABLES[table]
    fields = [pa.field(c.name, ARROW_TYPES[c.type], nullable=True, metadata={"description": c.description})
              for c in spec.columns]
    return pa.schema(fields, metadata={b"pandas": _pandas_metadata(spec.columns)})


@functools.cache
def plain_schema(table: str) -> pa.Schema:
    """The table's schema without metadata: what record batches carry between stages."""
    return pa.schema([pa.field(c.name, CARRIED[c.type]) for c in TABLES[table].columns])


def to_output(table: str, data: pa.Table) -> pa.Table:
    """Rows with the table's columns (``plain_schema``) → the same rows in the
    output's schema (``arrow_schema``): a date column's ISO text as a date
    (``arrays.dates``; anything else a null, as a ``schema_violation`` says)."""
    for i, c in enumerate(TABLES[table].columns):
        if c.type == "date" and data.column(i).type != pa.date32():
            data = data.set_column(i, c.name, dates(data.column(i).to_pylist()))
    return pa.Table.from_batches(data.to_batches(), schema=arrow_schema(table))


def sort_keys(table: str) -> list[tuple[str, str, str]]:
    """The output's order: by the table's key, ascending, nulls first (a stable sort)."""
    return [(k, "ascending", "at_start") for k in TABLES[table].key]


def _values(c: ColumnSpec, values: Sequence[Any]) -> pa.Array:
    """One column's values (an empty string a null) → its Arrow array."""
    if "" in values:
        values = [None if v == "" else v for v in values]
    return _BUILD[c.type](values)


def _columns(rows: list[dict[str, Any]], names: tuple[str, ...]) -> tuple[dict[str, Sequence[Any]], set[str]]:
    """The rows' values per key (a key a row lacks: None), and the keys that
    are no column. Rows that all have the same keys, in the same order (as
    rows made by one function do), are turned into columns at once."""
    shapes = set(map(tuple, rows))
    unknown = set().union(*shapes) - set(names)
    if len(shapes) == 1:
        (keys,) = shapes
        return dict(zip(keys, zip(*map(dict.values, rows)))), unknown
    return {n: [row.get(n) for row in rows] for n in names}, unknown


@functools.cache
def _texts(table: str) -> tuple[str, ...]:
    """The table's columns that carry text (``string`` and ``date``)."""
    return tuple(c.name for c in TABLES[table].columns if CARRIED[c.type] == pa.string())


def rows_to_batch(table: str, rows: list[dict[str, Any]]) -> pa.RecordBatch:
    """Rows → one record batch with exactly the spec's columns and types, in
    the rows' order (the text columns built together, ``arrays.text_columns``).
    A key that is not a column of the table raises
    ``ValueError``: that is a fault of the caller, not of the data."""
    spec = TABLES[table]
    columns, unknown = _columns(rows, spec.names)
    if unknown:
        raise ValueError(f"{table}: unknown column(s) {', '.join(sorted(unknown))}")
    missing = (None,) * len(rows)
    texts = _texts(table)
    arrays = dict(zip(texts, text_columns([columns.get(n, missing) for n in texts])))
    return pa.RecordBatch.from_arrays([arrays[c.name] if c.name in arrays else _values(c, columns.get(c.name, missing))
                                       for c in spec.columns], schema=plain_schema(table))


def empty_batch(table: str) -> pa.RecordBatch:
    """A batch of no rows with the table's columns."""
    return rows_to_batch(table, [])


def rows_to_table(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Rows → a table in output order (``sort_keys``), for a few rows held in
    memory (a run sorts its tables with ``spill.TableSpill``)."""
    data = pa.Table.from_batches([rows_to_batch(table, rows)])
    return take(data, sort_indices(data, sort_keys(table)))


def to_ipc(data: pa.RecordBatch | pa.Table) -> pa.Buffer:
    """A record batch or table (and its schema) as an Arrow IPC stream: a few
    buffers instead of an object per array, cheap to send to another process
    and to read there (``pa.ipc.open_stream``)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, data.schema) as stream:
        stream.write(data)
    return sink.getvalue()
