"""The schema of a table checked on Arrow data, vectorised → failure records.

Input: record batches with a table's columns (``arrow.rows_to_batch``), and
the table's key columns in output order. Output: ``Failure`` records, named
as pandera named them when the tables were pandas frames checked against
``frames.pandera_schema`` (the same checks, the same names, the same values;
``tests/test_checks.py`` holds the two to each other):

- ``row_failures``: the checks of one row at a time: a null where the column
  is required (``not_nullable``), a value outside ``allowed``
  (``isin([...])``), below ``minimum`` or outside ``minimum``–``maximum``
  (``greater_than_or_equal_to(n)``, ``in_range(a, b)``), a text not matching
  ``pattern`` in full (``str_matches('^(?:…)$')``), a text in a ``date``
  column that names no date (``is_date``, ``arrays.iso_date``) and a pair out of order
  (``low <= high``, reported for both columns);
- (``keys.KeyColumns.duplicate_failures``: rows whose key another row has
  too, ``multiple_fields_uniqueness``, every such row, each key column that
  is set).
Nulls pass every check but ``not_nullable``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from extract.tables.arrays import dates, from_numpy, scalar, strings, to_numpy
from extract.tables.kernels import call, is_in, matches, take
from extract.tables.schemas import TABLES, ColumnSpec

UNIQUE = "multiple_fields_uniqueness"


@dataclass(frozen=True)
class Failure:
    """One failed check of one cell: ``row`` is the row's position in what was
    checked; ``document_id`` and ``city_id`` those of its row ("" when none)."""

    table: str
    column: str
    check: str
    value: Any
    row: int
    document_id: str
    city_id: str


def _value_checks(c: ColumnSpec, column: pa.Array) -> list[tuple[str, pa.Array]]:
    """(check name, mask of the rows failing it) of one column's value checks."""
    out = []
    if c.allowed:
        out.append((f"isin({list(c.allowed)!r})", call("invert", is_in(column, strings(c.allowed)))))
    if c.minimum is not None and c.maximum is not None:
        out.append((f"in_range({c.minimum}, {c.maximum})",
                    call("or", call("less", column, scalar(c.minimum)), call("greater", column, scalar(c.maximum)))))
    elif c.minimum is not None:
        out.append((f"greater_than_or_equal_to({c.minimum})", call("less", column, scalar(c.minimum))))
    if c.pattern:
        pattern = f"^(?:{c.pattern})$"
        out.append((f"str_matches('{pattern}')", call("invert", matches(column, pattern))))
    if c.type == "date" and column.type != pa.date32():
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        out.append(("is_date", call("and", call("is_valid", column), call("is_null", dates(column.to_pylist())))))
    return out


def _where(data: pa.RecordBatch | pa.Table, name: str, rows: np.ndarray) -> list:
    if name not in data.schema.names:
        return [None] * len(rows)
    return take(data.column(name), from_numpy(rows)).to_pylist()


def _failures(table: str, data: pa.RecordBatch | pa.Table, column: str, check: str, mask: pa.Array,
              rows_of: np.ndarray | None = None) -> list[Failure]:
    """A failure for each row set in ``mask`` (a null in it passes); ``rows_of``
    maps a position in ``data`` to the row reported."""
    hits = np.flatnonzero(to_numpy(mask))
    if not len(hits):
        return []
    values = _where(data, column, hits)
    docs, cities = _where(data, "document_id", hits), _where(data, "city_id", hits)
    rows = hits if rows_of is None else rows_of[hits]
    return [Failure(table, column, check, v, int(r), d or "", c or "")
            for v, r, d, c in zip(values, rows, docs, cities)]


def value_columns(table: str) -> list[str]:
    """The columns a value check reads (``value_failures``), with
    ``document_id`` and ``city_id`` where the table has them."""
    spec = TABLES[table]
    read = {c.name for c in spec.columns if c.allowed or c.minimum is not None or c.pattern or c.type == "date"}
    read |= {n for pair in spec.ordered_pairs for n in pair}
    read |= {"document_id", "city_id"} & set(spec.names)
    return [n for n in spec.names if n in read]


def null_failures(table: str, batch: pa.RecordBatch | pa.Table) -> list[Failure]:
    """Nulls where a column is required (the arrays' null counts are read, not their values)."""
    out = []
    for c in TABLES[table].columns:
        column = batch.column(c.name)
        if not c.nullable and column.null_count:
            out += _failures(table, batch, c.name, "not_nullable", call("is_null", column))
    return out


def value_failures(table: str, data: pa.RecordBatch | pa.Table) -> list[Failure]:
    """The failures of the value checks (allowed values, ranges, patterns,
    ordered pairs); ``data`` holds at least the ``value_columns``."""
    spec = TABLES[table]
    out = []
    for c in spec.columns:
        if c.name in data.schema.names:
            for check, mask in _value_checks(c, data.column(c.name)):
                out += _failures(table, data, c.name, check, mask)
    for low, high in spec.ordered_pairs:
        mask = call("greater", data.column(low), data.column(high))
        out += _failures(table, data, low, f"{low} <= {high}", mask)
        out += _failures(table, data, high, f"{low} <= {high}", mask)
    return out


def row_failures(table: str, batch: pa.RecordBatch | pa.Table) -> list[Failure]:
    """The failures of the checks that read one row at a time."""
    return sorted(null_failures(table, batch) + value_failures(table, batch), key=lambda f: f.row)


def sort_failures(found: list[Failure]) -> list[Failure]:
    """In the order the findings are made in: by column, check, row (as text) and value (as text)."""
    return sorted(found, key=lambda f: (str(f.column), f.check, str(f.row), str(f.value)))
