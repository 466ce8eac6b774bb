"""Arrow's compute functions, called without importing ``pyarrow.compute``.

``import pyarrow.compute`` builds a Python wrapper, with its documentation,
for each of Arrow's ~500 compute functions: some 50 ms of every run's
start, for the dozen functions the tables stage calls. Its kernels are in
``pyarrow._compute``, which imports in a few milliseconds; ``call`` runs one
of them by name, as ``pyarrow.compute.<name>`` does with no options, and the
functions below those that take options (as ``pyarrow.compute`` builds
them). The methods of pyarrow's arrays and tables that compute (``take``,
``cast``, ``is_null``, ``sort_by``, …) import ``pyarrow.compute``: the
tables stage calls them here instead."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
from pyarrow import _compute


def call(name: str, *args: Any, options: Any = None) -> Any:
    """The compute function ``name`` on ``args`` (arrays, tables, scalars)."""
    return _compute.call_function(name, list(args), options)


def cast(data: Any, kind: pa.DataType) -> Any:
    """``data`` as ``kind`` (a safe cast: a value that does not fit raises)."""
    return call("cast", data, options=_compute.CastOptions.safe(kind))


def sort_indices(data: Any, keys: Sequence[tuple[str, str, str]] = ()) -> pa.Array:
    """The row numbers of ``data`` in the order of ``keys`` ((column, order,
    where nulls go) each; an array: ascending, nulls last), a stable sort."""
    return call("sort_indices", data, options=_compute.SortOptions(keys) if keys else None)


def take(data: Any, indices: Any) -> Any:
    """The rows of ``data`` at ``indices``."""
    return call("take", data, indices, options=_compute.TakeOptions(boundscheck=True))


def fill_null(values: Any, fill: pa.Scalar) -> Any:
    """``values`` with each null ``fill`` (a scalar of their type)."""
    return call("coalesce", values, fill)


def matches(text: Any, pattern: str) -> Any:
    """Whether each text holds a match of the regular expression ``pattern`` (RE2)."""
    return call("match_substring_regex", text, options=_compute.MatchSubstringOptions(pattern))


def replaced(text: Any, pattern: str, replacement: str) -> Any:
    """Each text with every ``pattern`` (plain text) replaced by ``replacement``."""
    return call("replace_substring", text, options=_compute.ReplaceSubstringOptions(pattern, replacement))


def is_in(values: Any, allowed: pa.Array) -> Any:
    """Whether each value is one of ``allowed`` (a null is not, unless ``allowed`` holds one)."""
    return call("is_in", values, options=_compute.SetLookupOptions(allowed))
