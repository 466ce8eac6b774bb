"""An output folder → its tables, typed as the data dictionary says (``load_tables``).

Input: a folder ``extract run`` wrote (or one holding only the CSVs, such as an
older output). Output: table name → a pyarrow Table, or a pandas frame with the
pipeline's own dtypes (``string``, ``Int64``, ``float64``; a date column as
``date32[pyarrow]``). Each table is read from its Parquet file, else from its
CSV with the types of ``schemas`` (every cell of a ``*_raw`` or other text
column stays text: ``n/a`` is not a null, ``2020-12-31`` not a date), and cast
to the spec's types where its file predates them. Columns the spec does not
know are kept as read (text from a CSV).
"""
from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from extract.tables.schemas import TABLES, TableSpec

ARROW: Mapping[str, pa.DataType] = {"string": pa.string(), "float": pa.float64(), "Int": pa.int64(), "date": pa.date32()}


def _csv_to_arrow(path: Path, spec: TableSpec) -> pa.Table:
    with open(path, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh), [])
    types = {c.name: ARROW[c.type] for c in spec.columns}
    return pacsv.read_csv(path, parse_options=pacsv.ParseOptions(newlines_in_values=True),
                          convert_options=pacsv.ConvertOptions(
                              column_types={name: types.get(name, pa.string()) for name in header},
                              null_values=[""], strings_can_be_null=True))


def _typed(table: pa.Table, spec: TableSpec) -> pa.Table:
    """Each column the spec knows cast to the spec's type (an older file's text date to a date)."""
    types = {c.name: ARROW[c.type] for c in spec.columns}
    for i, field in enumerate(table.schema):
        want = types.get(field.name)
        if want is not None and field.type != want:
            try:
                table = table.set_column(i, pa.field(field.name, want, metadata=field.metadata),
                                         table.column(i).cast(want))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass  # a value the type cannot hold: the column stays as stored
    return table


def _to_pandas(table: pa.Table) -> Any:
    import pandas as pd
    mapping = {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype(),
               pa.date32(): pd.ArrowDtype(pa.date32())}
    return table.to_pandas(types_mapper=mapping.get)


def load_tables(folder: str | os.PathLike[str] = "output", tables: Iterable[str] | None = None,
                arrow: bool = False) -> dict[str, Any]:
    """The tables of ``folder`` (all it holds, or those named), typed: pyarrow
    Tables with ``arrow``, else pandas frames. ``KeyError`` for a name that is
    not a table, ``FileNotFoundError`` for a named table the folder lacks."""
    folder = Path(folder)
    names = list(tables) if tables is not None else [
        t for t in TABLES if (folder / f"{t}.parquet").exists() or (folder / f"{t}.csv").exists()]
    unknown = sorted(set(names) - set(TABLES))
    if unknown:
        raise KeyError(f"not a table: {', '.join(unknown)}")
    out = {}
    for name in names:
        parquet, text = folder / f"{name}.parquet", folder / f"{name}.csv"
        if not parquet.exists() and not text.exists():
            raise FileNotFoundError(f"{folder} has neither {parquet.name} nor {text.name}")
        table = pq.read_table(parquet) if parquet.exists() else _csv_to_arrow(text, TABLES[name])
        table = _typed(table, TABLES[name])
        out[name] = table if arrow else _to_pandas(table)
    return out
