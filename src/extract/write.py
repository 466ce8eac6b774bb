"""Write the output tables.

Input: typed frames from ``schemas.to_frame``, keyed by table name.
Output: ``<table>.csv`` and ``<table>.parquet`` per table and ``datapackage.json``
in ``out_dir``, replaced all together only once every file has been written, and
byte-identical when re-run on the same frames.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from extract.schemas import TABLES, TableSpec, datapackage

ARROW_TYPES: Mapping[str, pa.DataType] = MappingProxyType({"string": pa.string(), "float": pa.float64(), "Int": pa.int64()})
SUFFIXES = (".csv", ".parquet")


def _format_float(x: float) -> str:
    """15 significant digits: ``80006``, ``268.05``, ``21705000``, no float noise."""
    if pd.isna(x):
        return ""
    if math.isinf(x):
        return "INF" if x > 0 else "-INF"
    return "0" if x == 0 else format(x, ".15g")


def _checked(spec: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    if tuple(frame.columns) != spec.names:
        raise ValueError(f"{spec.name}: columns {list(frame.columns)} are not the spec's {list(spec.names)};"
                         " build the frame with schemas.to_frame")
    return frame.reset_index(drop=True)


def _frame_to_csv(spec: TableSpec, frame: pd.DataFrame, path: Path) -> None:
    text = frame.copy()
    for c in spec.columns:
        if c.type == "float":
            text[c.name] = [_format_float(x) for x in frame[c.name].to_numpy(dtype="float64", na_value=math.nan)]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        text.to_csv(fh, index=False, na_rep="", lineterminator="\n")


def _frame_to_parquet(spec: TableSpec, frame: pd.DataFrame, path: Path) -> None:
    schema = pa.schema([pa.field(c.name, ARROW_TYPES[c.type], nullable=True,
                                 metadata={"description": c.description}) for c in spec.columns])
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    pq.write_table(table, path, compression="zstd")


def write_tables(frames: dict[str, pd.DataFrame], out_dir: str | os.PathLike[str]) -> None:
    """Write every frame as CSV and Parquet plus ``datapackage.json`` into ``out_dir``.

    Everything is first written into a temporary directory next to ``out_dir``;
    then the files replace the old ones, and table files of tables not produced
    this time are removed. Names of files that are not ours are never touched."""
    unknown = sorted(set(frames) - set(TABLES))
    if unknown:
        raise KeyError(f"not a table: {', '.join(unknown)}")
    names = [t for t in TABLES if t in frames]
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        for name in names:
            spec = TABLES[name]
            frame = _checked(spec, frames[name])
            _frame_to_csv(spec, frame, tmp / f"{name}.csv")
            _frame_to_parquet(spec, frame, tmp / f"{name}.parquet")
        package = json.dumps(datapackage(names), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
        (tmp / "datapackage.json").write_text(package, encoding="utf-8", newline="")
        out.mkdir(exist_ok=True)
        for path in sorted(tmp.iterdir()):
            os.replace(path, out / path.name)
        for name in TABLES:
            if name not in frames:
                for suffix in SUFFIXES:
                    (out / f"{name}{suffix}").unlink(missing_ok=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
