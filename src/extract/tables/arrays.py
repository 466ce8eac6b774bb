"""Python and numpy values ↔ Arrow arrays, without pandas.

pyarrow imports pandas (a second or more, and tens of MB) the first time it
converts a Python list, a numpy array or a Python scalar (``pa.array``,
``pa.scalar``, ``Array.to_numpy``, a plain number passed to a compute
function): it looks for pandas objects first. A run needs none of that, so
the tables stage builds its arrays here, from buffers: ``strings``,
``floats`` and ``ints`` (Python values, ``None`` a null), ``dates`` (ISO
text → dates, ``iso_date``), ``text_columns`` (several text columns of one
length at once, an empty text a null: the columns of a document's rows), ``from_numpy``
(an int64, float64 or bool array without nulls), ``to_numpy`` (back, a null
boolean as False), ``filled`` (whole numbers, a null as a given number) and
``scalar`` (a value to compare with, of the type of the array compared)."""
from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from datetime import date
from itertools import chain
from typing import Any

import numpy as np
import pyarrow as pa

from extract.tables.kernels import call

_NUMPY = {pa.int64(): np.int64, pa.uint64(): np.uint64, pa.int32(): np.int32, pa.uint32(): np.uint32,
          pa.float64(): np.float64}


def _validity(valid: np.ndarray) -> pa.Buffer | None:
    return None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))


def from_numpy(values: np.ndarray) -> pa.Array:
    """An int64, float64 or bool numpy array (no nulls) as an Arrow array."""
    if values.dtype == np.bool_:
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(np.packbits(values,
                                                                                              bitorder="little"))])
    if values.dtype.kind in "iu":
        kind, values = pa.int64(), values.astype(np.int64, copy=False)
    else:
        kind, values = pa.float64(), values.astype(np.float64, copy=False)
    return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(np.ascontiguousarray(values))])


def strings(values: Sequence[Any]) -> pa.Array:
    """Text values (``None`` a null) as an Arrow string array; a value that
    is not text is written as ``str`` makes it (as pandas did)."""
    builder = pa.lib.StringBuilder()
    try:
        builder.append_values(values)
    except TypeError:
        builder = pa.lib.StringBuilder()
        builder.append_values([v if v is None or isinstance(v, str) else str(v) for v in values])
    return builder.finish()


def _validities(valid: np.ndarray, count: int, n: int) -> list[pa.Buffer | None]:
    """Which values of ``count`` columns of ``n`` laid end to end are not
    null → each column's validity bitmap (None for a column without nulls, as ``_validity``)."""
    valid = valid.reshape(count, n)
    full = valid.all(axis=1).tolist()
    if all(full):
        return [None] * count
    bits = np.packbits(valid, axis=1, bitorder="little")
    return [None if f else pa.py_buffer(bits[k]) for k, f in enumerate(full)]


def text_columns(columns: Sequence[Sequence[Any]]) -> list[pa.Array]:
    """Columns of one length as ``strings`` makes each, an empty text a null
    as ``None`` is, from one buffer of their UTF-8 bytes: each text encoded
    once, the bytes joined, each column's offsets a piece of theirs. Columns
    holding a value that is not text (or over 2 GiB of texts) are made by
    ``strings``, a column at a time."""
    flat = list(chain.from_iterable(columns))
    if None in flat:
        flat = ["" if v is None else v for v in flat]
    def one_by_one() -> list[pa.Array]:
        return [strings([None if v == "" else v for v in c]) for c in columns]

    try:
        encoded = list(map(str.encode, flat))
    except TypeError:  # not all text
        return one_by_one()
    sizes = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    if offsets[-1] > np.iinfo(np.int32).max:
        return one_by_one()
    offsets = offsets.astype(np.int32)
    n = len(columns[0]) if columns else 0
    body = pa.py_buffer(b"".join(encoded))
    return [pa.Array.from_buffers(pa.string(), n, [bitmap, pa.py_buffer(offsets[k * n:(k + 1) * n + 1]), body])
            for k, bitmap in enumerate(_validities(sizes != 0, len(columns), n))]  # an empty text, or None: a null


def floats(values: Sequence[Any]) -> pa.Array:
    """Numbers (``None`` or NaN a null) as an Arrow float64 array."""
    if None in values:
        values = [math.nan if v is None else v for v in values]
    data = np.array(values, dtype=np.float64)
    valid = ~np.isnan(data)
    return pa.Array.from_buffers(pa.float64(), len(data), [_validity(valid), pa.py_buffer(data)])


def ints(values: Sequence[Any]) -> pa.Array:
    """Whole numbers (``None`` a null; ``2015.0`` is 2015) as an Arrow int64 array."""
    if None not in values and set(map(type, values)) <= {int}:  # whole numbers already: numpy reads them
        data = np.array(values, dtype=np.int64)
        return pa.Array.from_buffers(pa.int64(), len(data), [None, pa.py_buffer(data)])
    valid = np.array([v is not None for v in values], dtype=bool)
    data = np.array([0 if v is None else int(v) for v in values], dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(data), [_validity(valid), pa.py_buffer(data)])


def iso_date(value: Any) -> date | None:
    """``YYYY-MM-DD`` text → the date it names; None for anything else (``2021-02-30``)."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


_EPOCH = date(1970, 1, 1).toordinal()


def dates(values: Sequence[Any]) -> pa.Array:
    """ISO date texts (``iso_date``; ``None`` or anything else a null) as an
    Arrow date32 array."""
    days = [None if (d := iso_date(v)) is None else d.toordinal() - _EPOCH for v in values]
    valid = np.array([d is not None for d in days], dtype=bool)
    data = np.array([0 if d is None else d for d in days], dtype=np.int32)
    return pa.Array.from_buffers(pa.date32(), len(data), [_validity(valid), pa.py_buffer(data)])


def to_numpy(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An int64 or float64 array without nulls, or a boolean array (a null
    is False), as a numpy array."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    n, offset = len(array), array.offset
    if pa.types.is_boolean(array.type):
        if array.null_count:
            array = call("and_kleene", array, call("is_valid", array))  # a null and False is False
            offset = array.offset
        bits = np.unpackbits(np.frombuffer(array.buffers()[1], dtype=np.uint8), bitorder="little")
        return bits[offset:offset + n].astype(bool)
    if array.null_count:
        raise ValueError("to_numpy: the array holds nulls (filled: ``filled``)")
    dtype = _NUMPY[array.type]
    return np.frombuffer(array.buffers()[1], dtype=dtype, count=n, offset=offset * np.dtype(dtype).itemsize)


def filled(array: pa.Array | pa.ChunkedArray, fill: int) -> np.ndarray:
    """A whole-number array as a new numpy array, each null as ``fill``."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    dtype = _NUMPY[array.type]
    values = np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array),
                           offset=array.offset * np.dtype(dtype).itemsize).astype(np.int64)
    if array.null_count:
        values[~to_numpy(call("is_valid", array))] = fill
    return values


@functools.cache
def scalar(value: Any) -> pa.Scalar:
    """An Arrow scalar of a text, a whole number, a float or a bool."""
    if isinstance(value, bool):
        return from_numpy(np.array([value]))[0]
    if isinstance(value, str):
        return strings([value])[0]
    return (ints if isinstance(value, int) else floats)([value])[0]
