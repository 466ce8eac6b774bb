"""Rows of a table → the lines of its CSV file, the bytes ``csv.writer`` writes.

Input: a chunk of a table's rows (an Arrow table with the spec's columns,
``arrow.plain_schema``). Output: its CSV lines (``chunk_to_csv``), as pandas
wrote them: a null is an empty cell, a float is ``format_float`` (15
significant digits), a whole number its digits, a text quoted where
``csv.writer`` (``QUOTE_MINIMAL``, lines ending in ``\\n``) quotes it, its
quotes doubled; ``header`` is the line of column names. Each column is
formatted whole by Arrow and the cells joined by Arrow (a float column's
distinct numbers are formatted in Python, once each); the characters that
make ``csv.writer`` quote a cell are found by asking it, when the module is
loaded, so the lines are its own whatever the Python version, and looked
for in a column's UTF-8 bytes at once (they are ASCII)
(``chunk_to_csv_rows``, ``csv.writer`` itself, is the reference and the
fallback).
"""
from __future__ import annotations

import csv
import io
import math
from typing import BinaryIO

import numpy as np
import pyarrow as pa

from extract.tables.arrays import from_numpy, scalar, strings
from extract.tables.kernels import call, cast, fill_null, replaced, take
from extract.tables.schemas import TableSpec

CSV_ROWS = 2048  # rows turned into Python values at a time by ``chunk_to_csv_rows``


def format_float(x: float | None) -> str:
    """15 significant digits: ``80006``, ``268.05``, ``21705000``, no float noise."""
    if x is None or math.isnan(x):
        return ""
    if math.isinf(x):
        return "INF" if x > 0 else "-INF"
    return "0" if x == 0 else format(x, ".15g")


def header(spec: TableSpec) -> bytes:
    """The line of the table's column names."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerow(spec.names)
    return out.getvalue().encode("utf-8")


def _quoting() -> str | None:
    """The characters (ASCII) that make ``csv.writer`` (``QUOTE_MINIMAL``,
    lines ending in ``\\n``) quote a field, found by asking it; None when its
    quoting is not "quote a field holding one of them" (then the CSV is
    written by ``csv.writer`` itself)."""
    def written(text: str) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerow([text, "x"])
        return out.getvalue()[:-len(",x\n")]

    found = []
    for c in map(chr, range(128)):
        as_is = [written(t) == t for t in (c, f"a{c}b")]
        quoted = [written(t) == '"' + t.replace('"', '""') + '"' for t in (c, f"a{c}b")]
        if as_is == [False, False] and quoted == [True, True]:
            found.append(c)
        elif as_is != [True, True]:
            return None
    if written("") != "" or written("\u2028\x85") != "\u2028\x85":
        return None
    return "".join(found)


QUOTED = _quoting()


def _quoted_cells(text: pa.Array) -> np.ndarray | None:
    """Which texts hold a character that makes ``csv.writer`` quote them
    (a byte of ``QUOTED``: ASCII, so never part of another character's
    UTF-8), found in the array's bytes at once; None when none does."""
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32, count=len(text) + 1, offset=text.offset * 4)
    start, end = int(offsets[0]), int(offsets[-1])
    if end == start:
        return None
    body = np.frombuffer(text.buffers()[2], dtype=np.uint8, count=end - start, offset=start)
    hits = np.flatnonzero(np.logical_or.reduce([body == ord(c) for c in QUOTED or ""]))
    if not len(hits):
        return None
    cells = np.zeros(len(text), dtype=bool)
    cells[np.searchsorted(offsets, hits + start, side="right") - 1] = True  # the text each byte is in
    return cells


def _cells(spec_type: str, column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """One column as its CSV cells (as pandas wrote them: a null is an empty
    cell, a float is ``format_float``, a whole number its digits, a text
    quoted where ``csv.writer`` quotes it)."""
    if spec_type == "float":  # each distinct number formatted once (a column holds few)
        if isinstance(column, pa.ChunkedArray):
            column = pa.concat_arrays(column.chunks)
        encoded = call("dictionary_encode", column)
        formatted = strings([format_float(x) for x in encoded.dictionary.to_pylist()])
        return fill_null(take(formatted, encoded.indices), scalar(""))
    text = column if column.type == pa.string() else cast(column, pa.string())  # a date: its ISO text
    if spec_type == "Int":
        return fill_null(text, scalar(""))
    pieces = text.chunks if isinstance(text, pa.ChunkedArray) else [text]
    needs = [_quoted_cells(piece) for piece in pieces]
    if any(n is not None for n in needs):
        needs = [from_numpy(np.zeros(len(p), dtype=bool) if n is None else n) for p, n in zip(pieces, needs)]
        quoted = call("binary_join_element_wise", scalar('"'), replaced(text, '"', '""'), scalar('"'), scalar(""))
        text = call("if_else", pa.chunked_array(needs, pa.bool_()) if isinstance(text, pa.ChunkedArray) else needs[0],
                    quoted, text)
    return fill_null(text, scalar(""))


def chunk_to_csv(spec: TableSpec, table: pa.Table, fh: BinaryIO) -> None:
    """Rows as CSV lines, the bytes ``csv.writer`` writes (``_cells``):
    each column formatted whole, the cells joined by Arrow and the lines'
    bytes written as one piece."""
    if not table.num_rows:
        return
    if QUOTED is None or len(spec.columns) < 2:  # a lone empty cell is written ``""``
        chunk_to_csv_rows(spec, table, fh)
        return
    cells = [_cells(c.type, column) for c, column in zip(spec.columns, table.columns)]
    cells[-1] = call("binary_join_element_wise", cells[-1], scalar(""), scalar("\n"))  # the line's end
    lines = call("binary_join_element_wise", *cells, scalar(","))
    if isinstance(lines, pa.ChunkedArray):
        chunks = lines.chunks
    else:
        chunks = [lines]
    for chunk in chunks:
        if len(chunk):
            offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32, count=len(chunk) + 1, offset=chunk.offset * 4)
            fh.write(memoryview(chunk.buffers()[2])[offsets[0]:offsets[-1]])


def chunk_to_csv_rows(spec: TableSpec, table: pa.Table, fh: BinaryIO) -> None:
    """Rows as CSV lines by ``csv.writer``, ``CSV_ROWS`` at a time."""
    floats = [c.type == "float" for c in spec.columns]
    text = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for batch in table.to_batches(max_chunksize=CSV_ROWS):
        columns = [[format_float(x) for x in column.to_pylist()] if is_float else column.to_pylist()
                   for column, is_float in zip(batch.columns, floats)]
        writer.writerows(zip(*columns))
    text.flush()
    text.detach()
