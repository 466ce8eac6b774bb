"""Rows of a table → a typed pandas frame, and a frame → its schema failures
(pandera): the reference the run's Arrow tables (``arrow``, ``checks``,
``spill``) are held to in the tests; a run imports neither pandas nor pandera.

Input: records as plain dicts (one per row) from the extractors and
``validate``, and the table specs of ``schemas``. Output: typed, key-sorted
pandas frames (``to_frame``), their schema failures as plain dicts
(``validate_frame``, against the pandera schema ``pandera_schema`` builds from
the spec), and ``plain_value``, a cell as a plain Python value.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pandas as pd
import pandera.pandas as pa

from extract.tables.arrays import iso_date
from extract.tables.schemas import TABLES, ColumnSpec

# A date column holds its ISO text here (``YYYY-MM-DD``, checked); ``write`` stores it as a date.
DTYPES: Mapping[str, str] = MappingProxyType({"string": "string", "float": "float64", "Int": "Int64", "date": "string"})


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def to_frame(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows -> a frame with exactly the spec's columns and dtypes, sorted by key.

    A missing key or an empty string is a null. A key that is not a column of the
    table raises ``ValueError``: that is a fault of the caller, not of the data."""
    spec = TABLES[table]
    unknown = sorted({k for row in rows for k in row} - set(spec.names))
    if unknown:
        raise ValueError(f"{table}: unknown column(s) {', '.join(unknown)}")
    data = {}
    for c in spec.columns:
        values = [None if _is_empty(row.get(c.name)) else row.get(c.name) for row in rows]
        data[c.name] = pd.array(values, dtype=DTYPES[c.type])
    frame = pd.DataFrame(data, columns=list(spec.names))
    return frame.sort_values(list(spec.key), na_position="first", kind="stable").reset_index(drop=True)


def _column_checks(c: ColumnSpec) -> list[pa.Check]:
    checks = []
    if c.allowed:
        checks.append(pa.Check.isin(list(c.allowed)))
    if c.minimum is not None and c.maximum is not None:
        checks.append(pa.Check.in_range(c.minimum, c.maximum))
    elif c.minimum is not None:
        checks.append(pa.Check.ge(c.minimum))
    if c.pattern:
        checks.append(pa.Check.str_matches(f"^(?:{c.pattern})$"))
    if c.type == "date":
        checks.append(pa.Check(lambda s: s.map(lambda v: iso_date(v) is not None).astype(bool), name="is_date"))
    return checks


def _pair_check(low: str, high: str) -> pa.Check:
    def holds(frame: pd.DataFrame) -> pd.Series:
        a, b = frame[low], frame[high]
        return (a.isna() | b.isna() | (a <= b)).astype(bool)

    return pa.Check(holds, name=f"{low} <= {high}")  # with error=..., pandera reports the error, not the name


@functools.cache
def pandera_schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of a table: dtypes, nullability, value checks, key
    (built once per table: the specs do not change)."""
    spec = TABLES[table]
    columns = {c.name: pa.Column(DTYPES[c.type], _column_checks(c), nullable=c.nullable) for c in spec.columns}
    return pa.DataFrameSchema(columns, checks=[_pair_check(a, b) for a, b in spec.ordered_pairs], name=table,
                              unique=list(spec.key), report_duplicates="all", strict=True, ordered=True)


def plain_value(value: Any) -> Any:
    """A cell as a plain Python value: None for any null, numpy numbers as int or float."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def validate_frame(table: str, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Schema failures of a frame as ``{table, column, check, value, row}`` dicts
    (``row`` is the frame's index label); ``[]`` when the frame is fine."""
    try:
        pandera_schema(table).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    pairs = {f"{a} <= {b}": (a, b) for a, b in TABLES[table].ordered_pairs}
    found = []
    for case in cases.to_dict("records"):
        column, check, value = plain_value(case["column"]), str(case["check"]), plain_value(case["failure_case"])
        if check in pairs and column not in pairs[check]:
            continue  # a row-wise check reports every column of the row; keep the pair
        if check in ("column_in_dataframe", "column_in_schema"):  # pandera puts the table name in `column`
            column = value
        found.append({"table": table, "column": column, "check": check, "value": value,
                      "row": plain_value(case["index"])})
    return sorted(found, key=lambda f: (str(f["column"]), f["check"], str(f["row"]), str(f["value"])))
