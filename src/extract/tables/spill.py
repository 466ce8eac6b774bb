"""One table's rows as they come → the same rows in key order, a chunk at a
time, without ever holding the whole table.

``TableSpill`` appends each document's record batch to an Arrow IPC stream
file of its own (``<folder>/<table>.arrows``). ``sort`` then reads the file
back, checks its rows (``checks``, a chunk of batches at a time), keeps only
their key columns, as numbers (``keys.KeyColumns``), sorts them (stable: rows
with the same key keep the order they came in, nulls first, text by code
point) and finds duplicate keys; ``chunks``
yields the rows in that order, at most ``chunk_bytes`` of them at a time: a
table bigger than that is first dealt out into one file per range of output
positions, each then read and put in order by itself. The memory a table
takes at the end is thus its key columns and a chunk, whatever its size."""
from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow as pa

from extract.tables.arrays import from_numpy
from extract.tables.arrow import plain_schema
from extract.tables.checks import Failure, null_failures, value_columns, value_failures
from extract.tables.kernels import call, cast, sort_indices, take
from extract.tables.keys import KeyColumns

CHUNK_BYTES = 4 << 20   # rows read back and written at a time (a Parquet row group)
SPILL_BYTES = 1 << 20   # rows written to the spill at a time
_RANK = "__rank"


def _copied(batch: pa.RecordBatch, columns: list[str]) -> pa.RecordBatch:
    """Some columns of a batch read from a file, in buffers of their own (a
    column of a batch so read is a slice of the batch's whole body, which
    it would keep in memory)."""
    return pa.RecordBatch.from_arrays([pa.concat_arrays([batch.column(c)]) for c in columns], names=columns)


def _read(path: Path) -> Iterator[pa.RecordBatch]:
    """The batches of an IPC stream file, each read into memory as it comes
    (not memory-mapped: a mapped file would count whole against the process)."""
    with pa.OSFile(str(path), "rb") as source, pa.ipc.open_stream(source) as reader:
        yield from reader


class TableSpill:
    """The rows of one table, appended a batch at a time, read back in key order."""

    def __init__(self, table: str, folder: Path, chunk_bytes: int = CHUNK_BYTES):
        self.table, self.folder, self.chunk_bytes = table, Path(folder), chunk_bytes
        self.path = self.folder / f"{table}.arrows"
        self.rows = 0
        self.nbytes = 0
        self.failures: list[Failure] = []   # of ``row_failures``, rows numbered as they came in
        self._writer: pa.ipc.RecordBatchStreamWriter | None = None
        self._pending: list[pa.RecordBatch] = []
        self._pending_bytes = 0
        self._rank: np.ndarray | None = None

    def append(self, batch: pa.RecordBatch) -> None:
        """Add rows (a batch with the table's columns) after those added before
        (held until they make ``SPILL_BYTES``, then written as one batch)."""
        if not batch.num_rows:
            return
        size = batch.nbytes
        self._pending.append(batch)
        self._pending_bytes += size
        self.rows += batch.num_rows
        self.nbytes += size
        if self._pending_bytes >= SPILL_BYTES:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._writer is None:
            self._writer = pa.ipc.new_stream(str(self.path), plain_schema(self.table))
        for batch in pa.Table.from_batches(self._pending).combine_chunks().to_batches():
            self._writer.write_batch(batch)
        self._pending.clear()
        self._pending_bytes = 0

    def _close(self) -> None:
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def _batches(self) -> Iterator[pa.RecordBatch]:
        self._close()
        if self.rows:
            yield from _read(self.path)

    def whole(self) -> pa.Table:
        """Every row, in the order they came (for a table small enough to hold)."""
        return pa.Table.from_batches(list(self._batches()), schema=plain_schema(self.table))

    def _checked(self) -> Iterator[pa.RecordBatch]:
        """The batches as they are read, their rows checked, the failures'
        rows numbered from the first row: nulls a batch at a time (from its
        null counts), values a chunk of batches at a time (only the columns
        a value check reads are held)."""
        columns = value_columns(self.table)
        held: list[pa.RecordBatch] = []
        start = checked = size = 0

        def check() -> None:
            nonlocal checked
            found = value_failures(self.table, pa.Table.from_batches(held))
            self.failures += [replace(f, row=f.row + checked) for f in found]
            checked += sum(b.num_rows for b in held)
            held.clear()

        for batch in self._batches():
            self.failures += [replace(f, row=f.row + start) for f in null_failures(self.table, batch)]
            start += batch.num_rows
            held.append(_copied(batch, columns))
            size += held[-1].nbytes
            if size >= self.chunk_bytes:
                check()
                size = 0
            yield batch
        if held:
            check()

    def sort(self) -> list[Failure]:
        """Check the rows and put them in key order (only their key columns
        are kept, as numbers: ``keys.KeyColumns``) → the schema failures, rows
        numbered by their position in that order."""
        self.failures = []
        keys = KeyColumns(self.table)
        for batch in self._checked():
            keys.add(batch)
        order = keys.order()
        self._rank = np.empty(len(order), dtype=np.int64)
        self._rank[order] = np.arange(len(order))
        found = keys.duplicate_failures(order)
        found += [replace(f, row=int(self._rank[f.row])) for f in sorted(self.failures, key=lambda f: f.row)]
        return found

    def chunks(self) -> Iterator[pa.Table]:
        """The rows in key order (``sort`` first), in chunks of at most about
        ``chunk_bytes``; the spill files are removed as they are read."""
        if self._rank is None:
            raise RuntimeError(f"{self.table}: sort() before chunks()")
        schema = plain_schema(self.table)
        if not self.rows:
            yield pa.Table.from_batches([], schema=schema)
            return
        parts = max(1, math.ceil(self.nbytes / self.chunk_bytes))
        if parts == 1:
            whole = pa.Table.from_batches(list(self._batches()), schema=schema)
            yield take(whole, call("inverse_permutation", from_numpy(self._rank)))
        else:
            yield from self._dealt(parts, schema)
        self.path.unlink(missing_ok=True)

    def _dealt(self, parts: int, schema: pa.Schema) -> Iterator[pa.Table]:
        """The rows dealt out into ``parts`` files by their output position,
        then each file in order."""
        size = math.ceil(self.rows / parts)
        ranked = schema.append(pa.field(_RANK, pa.int64()))
        paths = [self.folder / f"{self.table}.{k}.arrows" for k in range(parts)]
        writers: dict[int, pa.ipc.RecordBatchStreamWriter] = {}
        start = 0
        try:
            for batch in self._batches():
                rank = self._rank[start:start + batch.num_rows]
                start += batch.num_rows
                part = rank // size
                for k in np.unique(part):
                    rows = np.flatnonzero(part == k)
                    piece = take(batch, from_numpy(rows)).append_column(_RANK, from_numpy(rank[rows]))
                    if k not in writers:
                        writers[k] = pa.ipc.new_stream(str(paths[k]), ranked)
                    writers[k].write_batch(piece)
        finally:
            for w in writers.values():
                w.close()
        self.path.unlink(missing_ok=True)
        for k, path in enumerate(paths):
            if k not in writers:
                continue
            part = pa.Table.from_batches(list(_read(path)), schema=ranked)
            path.unlink()
            order = cast(sort_indices(part.column(_RANK)), pa.int64())
            yield take(part, order).drop_columns([_RANK])

    def discard(self) -> None:
        self._pending.clear()
        self._close()
        self.path.unlink(missing_ok=True)
