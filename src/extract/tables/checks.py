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
  ``pattern`` in full (``str_matches('^(?:…)$')``) and a pair out of order
  (``low <= high``, reported for both columns);
- ``duplicate_failures``: rows whose key another row has too
  (``multiple_fields_uniqueness``, every such row, each key column that is
  set).
Nulls pass every check but ``not_nullable``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from extract.tables.arrays import from_numpy, scalar, strings, to_numpy
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
        out.append((f"isin({list(c.allowed)!r})", pc.invert(pc.is_in(column, strings(c.allowed)))))
    if c.minimum is not None and c.maximum is not None:
        out.append((f"in_range({c.minimum}, {c.maximum})",
                    pc.or_(pc.less(column, scalar(c.minimum)), pc.greater(column, scalar(c.maximum)))))
    elif c.minimum is not None:
        out.append((f"greater_than_or_equal_to({c.minimum})", pc.less(column, scalar(c.minimum))))
    if c.pattern:
        pattern = f"^(?:{c.pattern})$"
        out.append((f"str_matches('{pattern}')", pc.invert(pc.match_substring_regex(column, pattern))))
    return out


def _where(data: pa.RecordBatch | pa.Table, name: str, rows: np.ndarray) -> list:
    if name not in data.schema.names:
        return [None] * len(rows)
    return data.column(name).take(from_numpy(rows)).to_pylist()


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


def row_failures(table: str, batch: pa.RecordBatch) -> list[Failure]:
    """The failures of the checks that read one row at a time."""
    spec = TABLES[table]
    out = []
    for c in spec.columns:
        column = batch.column(c.name)
        if not c.nullable and column.null_count:
            out += _failures(table, batch, c.name, "not_nullable", column.is_null())
        for check, mask in _value_checks(c, column):
            out += _failures(table, batch, c.name, check, mask)
    for low, high in spec.ordered_pairs:
        mask = pc.greater(batch.column(low), batch.column(high))
        out += _failures(table, batch, low, f"{low} <= {high}", mask)
        out += _failures(table, batch, high, f"{low} <= {high}", mask)
    return out


def _same_as_previous(column: pa.Array) -> np.ndarray:
    """Row i holds the value of row i - 1 (two nulls are the same); row 0 is not."""
    a, b = column.slice(1), column.slice(0, len(column) - 1)
    same = pc.or_kleene(pc.equal(a, b), pc.and_(a.is_null(), b.is_null()))
    return np.concatenate([[False], to_numpy(same)])


def duplicate_failures(table: str, keys: pa.Table) -> list[Failure]:
    """Failures of the key's uniqueness: ``keys`` holds the key columns (and
    ``document_id`` and ``city_id`` where the table has them) sorted by key; a
    failure's row is its position there."""
    if keys.num_rows < 2:
        return []
    key = TABLES[table].key
    same = np.logical_and.reduce([_same_as_previous(keys.column(k).combine_chunks()) for k in key])
    duplicated = same | np.concatenate([same[1:], [False]])
    if not duplicated.any():
        return []
    mask = from_numpy(duplicated)
    out = []
    for k in key:
        column = keys.column(k).combine_chunks()
        out += _failures(table, keys, k, UNIQUE, pc.and_(mask, column.is_valid()))
    return out


def sort_failures(found: list[Failure]) -> list[Failure]:
    """In the order the findings are made in: by column, check, row (as text) and value (as text)."""
    return sorted(found, key=lambda f: (str(f.column), f.check, str(f.row), str(f.value)))
