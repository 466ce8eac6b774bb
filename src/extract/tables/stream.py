"""The tables of a run, filled a document at a time and written in key order.

``TableStream`` keeps a ``spill.TableSpill`` per table in a folder of its
own: ``add`` appends a document's record batches as the document finishes;
``finish`` sorts every table but ``findings`` by its key and checks its
schema (``checks``), which turns each failure into a ``schema_violation``
finding; ``tables`` then gives, per table, its rows in key order for
``write.write_tables`` (a chunk at a time).

``findings`` is small (a few rows per portrait) and is put together in
memory: a key (``document_id``, ``city_id``, ``code``, ``field``) that comes
again gets ``#2``, ``#3``, … on its field, in the order the findings came
(``unique_findings``), then the rows are sorted by key."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pyarrow as pa

from extract.findings import make_finding
from extract.rules import Severity
from extract.tables.arrays import from_numpy, scalar, to_numpy
from extract.tables.arrow import plain_schema, rows_to_batch, sort_keys
from extract.tables.checks import Failure, sort_failures
from extract.tables.kernels import call, cast, fill_null, sort_indices, take
from extract.tables.records import finding_to_row
from extract.tables.schemas import TABLES
from extract.tables.spill import CHUNK_BYTES, TableSpill
from extract.types import Finding

FINDING_KEY = TABLES["findings"].key


def failure_to_finding(f: Failure, catalogue: dict[str, Severity]) -> Finding:
    return make_finding(catalogue, f.document_id, f.city_id, "schema_violation", f.table, f"{f.column}:{f.check}",
                        f"{f.table}.{f.column} fails {f.check}.", str(f.value))


def _runs(table: pa.Table, columns: tuple[str, ...]) -> np.ndarray:
    """Per row of ``table`` (sorted by ``columns``), how many rows before it
    hold the same values (two nulls are the same)."""
    n = table.num_rows
    new = np.zeros(n, dtype=bool)
    new[:1] = True
    for c in columns:
        column = table.column(c).combine_chunks()
        a, b = column.slice(1), column.slice(0, n - 1)
        new[1:] |= ~to_numpy(call("or_kleene", call("equal", a, b), call("and", call("is_null", a), call("is_null", b))))
    starts = np.where(new, np.arange(n), 0)
    return np.arange(n) - np.maximum.accumulate(starts)


def unique_findings(findings: pa.Table) -> pa.Table:
    """Findings (in the order they came) with one row per key: the n-th row
    of a key gets ``#n`` on its field (n > 1); sorted by key."""
    if findings.num_rows:
        seq = from_numpy(np.arange(findings.num_rows))
        ordered = findings.append_column("__seq", seq)
        order = sort_indices(ordered, [(k, "ascending", "at_start") for k in (*FINDING_KEY, "__seq")])
        before = np.empty(findings.num_rows, dtype=np.int64)
        before[to_numpy(order)] = _runs(take(ordered, order), FINDING_KEY)
        field = findings.column("field").combine_chunks()
        suffixed = call("binary_join_element_wise", fill_null(field, scalar("")), cast(from_numpy(before + 1), pa.string()),
                        scalar("#"))
        field = call("if_else", from_numpy(before > 0), suffixed, field)
        findings = findings.set_column(findings.schema.get_field_index("field"), "field", field)
    return take(findings, sort_indices(findings, sort_keys("findings")))


class TableStream:
    """Every table of a run, spilled to ``folder`` as documents finish."""

    def __init__(self, folder: str | Path, chunk_bytes: int = CHUNK_BYTES):
        self.spills = {t: TableSpill(t, Path(folder), chunk_bytes) for t in TABLES}
        self.rows: dict[str, int] = {}
        self._findings: pa.Table | None = None

    def add(self, batches: Mapping[str, pa.RecordBatch]) -> None:
        """Append each table's rows after those added before."""
        for table, batch in batches.items():
            self.spills[table].append(batch)

    def add_rows(self, table: str, rows: list[dict]) -> None:
        if rows:
            self.spills[table].append(rows_to_batch(table, rows))

    def finish(self, catalogue: dict[str, Severity]) -> list[Finding]:
        """Sort every table but ``findings`` and check its schema → the
        ``schema_violation`` findings (added to ``findings``), per table in
        the tables' order, within a table by column, check, row and value."""
        found = []
        for table, spill in self.spills.items():
            if table != "findings":
                found += [failure_to_finding(f, catalogue) for f in sort_failures(spill.sort())]
        self.add_rows("findings", [finding_to_row(f) for f in found])
        spill = self.spills["findings"]
        self._findings = unique_findings(spill.whole())
        spill.discard()
        self.rows = {t: (self._findings.num_rows if t == "findings" else s.rows) for t, s in self.spills.items()}
        return found

    def counts(self, column: str) -> dict[str, int]:
        """Findings per value of ``column`` (``severity``, ``code``), after ``finish``."""
        assert self._findings is not None, "finish() first"
        counted = call("value_counts", self._findings.column(column).combine_chunks())
        return {v: n for v, n in zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist())}

    def tables(self) -> dict[str, pa.Table | object]:
        """Per table, its rows in key order for ``write.write_tables``: a
        callable that yields them a chunk at a time (``findings``: the table)."""
        assert self._findings is not None, "finish() first"
        return {t: (self._findings if t == "findings" else spill.chunks) for t, spill in self.spills.items()}

    def table(self, table: str) -> pa.Table:
        """One whole table in key order, after ``finish`` (for a batch small enough to hold)."""
        if table == "findings":
            assert self._findings is not None, "finish() first"
            return self._findings
        chunks: Iterator[pa.Table] = self.spills[table].chunks()
        return pa.concat_tables(list(chunks)).cast(plain_schema(table))

    def discard(self) -> None:
        for spill in self.spills.values():
            spill.discard()
