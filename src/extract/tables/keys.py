"""A table's key columns kept as numbers while its rows go by → the rows'
output order and its duplicate keys.

``KeyColumns`` keeps, per row, a number per key column (and ``document_id``
and ``city_id`` where the table has them): for a text column the code of its
value in a dictionary of the values seen (ranked in code-point order, as the
output sorts text, at the end), for a number column the number; a null below
everything. ``order`` sorts them (stable: rows with the same key keep the
order they came in; nulls first) and ``duplicate_failures`` reports every
row whose key another row has too (``multiple_fields_uniqueness``, for each
key column that is set, as pandera reported it). A row takes 4 bytes per
text column and 8 per number column, whatever its text."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from extract.tables.arrays import filled
from extract.tables.checks import UNIQUE, Failure
from extract.tables.kernels import call
from extract.tables.schemas import TABLES

NULL = np.iinfo(np.int64).min  # a null number: below every number


class KeyColumns:
    """The key columns of one table's rows, as numbers (see the module docstring)."""

    def __init__(self, table: str):
        spec = TABLES[table]
        self.table, self.key = table, spec.key
        self.columns = list(dict.fromkeys([*spec.key, *(c for c in ("document_id", "city_id") if c in spec.names)]))
        types = {c.name: c.type for c in spec.columns}
        self.text = {c for c in self.columns if types[c] == "string"}
        self._ids: dict[str, dict[str, int]] = {c: {} for c in self.text}
        self._parts: dict[str, list[np.ndarray]] = {c: [] for c in self.columns}
        self._values: dict[str, list[str]] = {}
        self._codes: dict[str, np.ndarray] = {}

    def add(self, batch: pa.RecordBatch) -> None:
        """The next rows' key columns."""
        for c in self.columns:
            column = batch.column(c)
            if c in self.text:
                encoded = call("dictionary_encode", column)
                ids = self._ids[c]
                lookup = np.array([ids.setdefault(v, len(ids)) for v in encoded.dictionary.to_pylist()] + [-1],
                                  dtype=np.int32)
                self._parts[c].append(lookup[filled(encoded.indices, -1)])
            else:
                self._parts[c].append(filled(column, NULL))

    def _finish(self) -> None:
        for c in self.columns:
            parts = self._parts.pop(c)
            codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32 if c in self.text else np.int64)
            if c in self.text:
                values = sorted(self._ids[c])
                rank = np.empty(len(values) + 1, dtype=np.int32)
                for r, v in enumerate(values):
                    rank[self._ids[c][v]] = r
                rank[-1] = -1  # a null (id -1) below every value
                codes = rank[codes]
                self._values[c] = values
            self._codes[c] = codes

    def order(self) -> np.ndarray:
        """Row numbers (as the rows came) in output order."""
        if not self._codes:
            self._finish()
        return np.lexsort([self._codes[c] for c in reversed(self.key)])  # a stable sort, the first key last

    def _value(self, c: str, code: int):
        if c in self.text:
            return self._values[c][code] if code >= 0 else None
        return None if code == NULL else int(code)

    def duplicate_failures(self, order: np.ndarray) -> list[Failure]:
        """Failures of the key's uniqueness, rows numbered by their position in ``order``."""
        if len(order) < 2:
            return []
        ordered = {c: self._codes[c][order] for c in self.key}
        same = np.logical_and.reduce([v[1:] == v[:-1] for v in ordered.values()])
        duplicated = np.concatenate([[False], same]) | np.concatenate([same, [False]])
        out = []
        for position in np.flatnonzero(duplicated):
            row = order[position]
            doc, city = (self._value(c, self._codes[c][row]) if c in self._codes else None
                         for c in ("document_id", "city_id"))
            for c in self.key:
                value = self._value(c, ordered[c][position])
                if value is not None:
                    out.append(Failure(self.table, c, UNIQUE, value, int(position), doc or "", city or ""))
        return out
