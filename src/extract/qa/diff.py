"""Compare two output folders table by table: what a run added, removed or changed.

Input: two output folders (an earlier output, say from git, and a new run);
each table is read from its ``<table>.parquet``, or, in a folder with only
CSVs, from its ``<table>.csv`` with the data dictionary's types
(``tables.load``). Output: ``TableDiffs``, one ``TableDiff`` per table of the
contract, in the order of ``schemas.TABLES``: rows added and removed (by the
table's key, each with its values), every changed cell as
``CellChange(table, key, column, old, new)``, columns on one side only, and
keys that repeat within one side. Floats are equal within a relative and an
absolute tolerance, integers exactly, text after white space is normalized
(runs of white space are one space, ends stripped), a cell the dictionary
calls a set (``ColumnSpec.set_separator``) as a set of items; null equals
null, and null against a value is a change. Rendering is
``diff_render.render``.

Written with pandas rather than a table-diff library: datacompy requires
pandas < 3.1 (this project runs 3.1), pulls in polars, compares text with its
ends stripped but not its inner white space, and gives its per-cell result only
as a text report or as its internal merged frame; daff is pure Python
generated from Haxe (about 0.3 s for five unchanged tables here), knows only an
absolute tolerance, applied to every column, strips text ends only, and returns
its result as a highlighter table whose ``old->new`` cells must be parsed back.
"""
from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from extract.errors import UsageError
from extract.pipeline import run
from extract.read.limits import Limits
from extract.rules import Rules
from extract.tables.frames import plain_value
from extract.tables.load import load_tables
from extract.tables.schemas import TABLES, TableSpec

Key = tuple[Any, ...]
Values = tuple[tuple[str, Any], ...]  # (column, value) of a row's cells that are not null, key columns left out
SUFFIXES = (".parquet", ".csv")
RUN_RECORD = "run.json"


@dataclass(frozen=True)
class Tolerance:
    """Two floats are equal when ``|a - b| <= max(relative * max(|a|, |b|), absolute)``."""

    relative: float = 1e-9
    absolute: float = 1e-9


@dataclass(frozen=True)
class CellChange:
    table: str
    key: Key
    column: str
    old: Any  # None for a null
    new: Any


@dataclass(frozen=True)
class DuplicateKey:
    """A key that ``count`` rows of one side (``baseline`` or ``new``) share;
    only the first of them is compared."""

    table: str
    side: str
    key: Key
    count: int


@dataclass(frozen=True)
class TableDiff:
    """What changed in one table. ``missing_in`` is ``baseline`` or ``new``
    when the table's file is on one side only (its rows then all count as
    added or removed), else empty."""

    table: str
    key_columns: tuple[str, ...]
    added: tuple[Key, ...] = ()
    removed: tuple[Key, ...] = ()
    changed: tuple[CellChange, ...] = ()
    added_values: tuple[Values, ...] = ()  # one per row of ``added``
    removed_values: tuple[Values, ...] = ()
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    duplicates: tuple[DuplicateKey, ...] = ()
    missing_in: str = ""

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.columns_added or self.columns_removed
                     or self.missing_in)

    @property
    def reported(self) -> bool:
        """A change or a problem worth a line of the summary."""
        return self.has_changes or bool(self.duplicates)


@dataclass(frozen=True)
class TableDiffs:
    tables: tuple[TableDiff, ...]
    # What changed in the runs themselves (inputs, rules, version), from their ``run.json``.
    notes: tuple[str, ...] = ()

    @property
    def has_changes(self) -> bool:
        return any(t.has_changes for t in self.tables)

    def flatten(self) -> list[tuple[str, Key, str, Any, Any]]:
        """Every changed cell as ``(table, key, column, old, new)``, in report order."""
        return [(c.table, c.key, c.column, c.old, c.new) for t in self.tables for c in t.changed]

    def flatten_rows(self) -> list[tuple[str, str, Key]]:
        """Every row added (``+``) or removed (``-``) as ``(table, sign, key)``."""
        return [(t.table, sign, k) for t in self.tables
                for sign, keys in (("+", t.added), ("-", t.removed)) for k in keys]


def key_order(key: Key) -> tuple:
    """A sort key for a row key: nulls first, then by value within each type."""
    return tuple((v is not None, type(v).__name__, v if v is not None else 0) for v in key)


def folder_to_frame(folder: Path, table: str) -> pd.DataFrame | None:
    """``<folder>/<table>.parquet``, else ``<table>.csv`` read with the dictionary's
    types, as a typed frame; None when the folder has neither."""
    path = next((p for p in (folder / f"{table}.parquet", folder / f"{table}.csv") if p.is_file()), None)
    if path is None:
        return None
    try:
        return load_tables(folder, [table])[table]
    except Exception as exc:  # a truncated or foreign file
        kind = "Parquet" if path.suffix == ".parquet" else "CSV"
        raise UsageError(f"{path} is not a readable {kind} file ({type(exc).__name__}: {exc}).") from None


def frame_to_keys(frame: pd.DataFrame, key_columns: tuple[str, ...]) -> list[Key]:
    """The key of each row, as plain values; a key column the frame lacks is null."""
    columns = [frame[c].astype(object).tolist() if c in frame.columns else [None] * len(frame)
               for c in key_columns]
    return [tuple(plain_value(v) for v in row) for row in zip(*columns)] if columns else [()] * len(frame)


def keys_to_duplicates(table: str, side: str, keys: list[Key]) -> list[DuplicateKey]:
    """The keys that occur more than once in ``keys``."""
    return [DuplicateKey(table, side, k, n) for k, n in Counter(keys).items() if n > 1]


def first_positions(keys: list[Key]) -> dict[Key, int]:
    """Each key's first row position."""
    positions: dict[Key, int] = {}
    for i, k in enumerate(keys):
        positions.setdefault(k, i)
    return positions


def series_kind(series: pd.Series) -> str:
    """``float``, ``Int`` or ``string``: how a column's values are compared."""
    if pd.api.types.is_float_dtype(series.dtype):
        return "float"
    if pd.api.types.is_integer_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return "Int"
    return "string"


def normalized_text(values: pd.Series) -> list[str | None]:
    """Each value as text with runs of white space made one space and the ends stripped."""
    return [None if v is None else " ".join(str(v).split()) for v in map(plain_value, values.astype(object))]


def floats_equal(old: pd.Series, new: pd.Series, tol: Tolerance) -> np.ndarray:
    """Where two float columns agree: both null, equal, or within the tolerance."""
    a = old.to_numpy(dtype="float64", na_value=np.nan)
    b = new.to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        close = np.abs(a - b) <= np.maximum(tol.relative * np.maximum(np.abs(a), np.abs(b)), tol.absolute)
    return (a == b) | (np.isnan(a) & np.isnan(b)) | close


def ints_equal(old: pd.Series, new: pd.Series) -> np.ndarray:
    """Where two integer columns agree exactly (null equals null)."""
    a, b = old.astype("Int64"), new.astype("Int64")
    same = (a == b).fillna(False).to_numpy(dtype=bool)
    return same | (a.isna() & b.isna()).to_numpy(dtype=bool)


def sets_equal(old: pd.Series, new: pd.Series, separator: str) -> np.ndarray:
    """Where two columns of ``separator``-separated sets hold the same items, in any order."""
    def items(v: str | None) -> frozenset[str] | None:
        return None if v is None else frozenset(p for p in (" ".join(x.split()) for x in v.split(separator)) if p)
    return np.array([items(x) == items(y) for x, y in zip(normalized_text(old), normalized_text(new))], dtype=bool)


def texts_equal(old: pd.Series, new: pd.Series) -> np.ndarray:
    """Where two columns agree as text after white space is normalized."""
    return np.array([x == y for x, y in zip(normalized_text(old), normalized_text(new))], dtype=bool)


def columns_equal(old: pd.Series, new: pd.Series, tol: Tolerance) -> np.ndarray:
    """Where two aligned columns agree, compared by their kind: integers exactly,
    floats (or an integer against a float) within ``tol``, anything else as text."""
    kinds = {series_kind(old), series_kind(new)}
    if kinds == {"Int"}:
        return ints_equal(old, new)
    if kinds <= {"float", "Int"}:
        return floats_equal(old, new, tol)
    return texts_equal(old, new)


def shared_columns(spec: TableSpec, old: pd.DataFrame, new: pd.DataFrame) -> list[str]:
    """Columns on both sides, in the spec's order, then any others in the new frame's order."""
    both = set(old.columns) & set(new.columns)
    extra = [c for c in new.columns if c in both and c not in spec.names]
    return [c for c in spec.names if c in both] + extra


def frames_to_changes(spec: TableSpec, old: pd.DataFrame, new: pd.DataFrame, keys: list[Key],
                      old_at: dict[Key, int], new_at: dict[Key, int], tol: Tolerance) -> list[CellChange]:
    """The cells that differ between the rows of ``keys`` in ``old`` and ``new``."""
    if not keys:
        return []
    a = old.iloc[[old_at[k] for k in keys]].reset_index(drop=True)
    b = new.iloc[[new_at[k] for k in keys]].reset_index(drop=True)
    columns = [c for c in shared_columns(spec, old, new) if c not in spec.key]
    sets = {c.name: c.set_separator for c in spec.columns if c.set_separator}
    found = []
    for column in columns:
        same = sets_equal(a[column], b[column], sets[column]) if column in sets else columns_equal(a[column], b[column], tol)
        for i in np.flatnonzero(~same):
            found.append(CellChange(spec.name, keys[i], column, plain_value(a[column].iloc[i]), plain_value(b[column].iloc[i])))
    order = {c: n for n, c in enumerate(columns)}
    return sorted(found, key=lambda c: (key_order(c.key), order[c.column]))


def row_values(spec: TableSpec, frame: pd.DataFrame, at: int) -> Values:
    """The cells of row ``at`` that are not null, key columns left out, in column order."""
    row = frame.iloc[at]
    return tuple((c, v) for c in frame.columns if c not in spec.key
                 for v in (plain_value(row[c]),) if v is not None)


def frames_to_diff(spec: TableSpec, old: pd.DataFrame | None, new: pd.DataFrame | None,
                   tol: Tolerance = Tolerance()) -> TableDiff:
    """Compare one table's baseline frame with its new frame (None: no such file)."""
    if old is None and new is None:
        return TableDiff(spec.name, spec.key)
    missing_in = "baseline" if old is None else "new" if new is None else ""
    old = pd.DataFrame(columns=list(new.columns)) if old is None else old
    new = pd.DataFrame(columns=list(old.columns)) if new is None else new
    old_keys, new_keys = frame_to_keys(old, spec.key), frame_to_keys(new, spec.key)
    old_at, new_at = first_positions(old_keys), first_positions(new_keys)
    common = sorted((k for k in new_at if k in old_at), key=key_order)
    added = tuple(sorted((k for k in new_at if k not in old_at), key=key_order))
    removed = tuple(sorted((k for k in old_at if k not in new_at), key=key_order))
    return TableDiff(
        spec.name, spec.key, added=added, removed=removed,
        changed=tuple(frames_to_changes(spec, old, new, common, old_at, new_at, tol)),
        added_values=tuple(row_values(spec, new, new_at[k]) for k in added),
        removed_values=tuple(row_values(spec, old, old_at[k]) for k in removed),
        columns_added=() if missing_in else tuple(c for c in new.columns if c not in old.columns),
        columns_removed=() if missing_in else tuple(c for c in old.columns if c not in new.columns),
        duplicates=tuple(sorted(keys_to_duplicates(spec.name, "baseline", old_keys)
                                + keys_to_duplicates(spec.name, "new", new_keys),
                                key=lambda d: (d.side, key_order(d.key)))),
        missing_in=missing_in)


def diff_tables(baseline_dir: str | Path, new_dir: str | Path, tables: Mapping[str, TableSpec] = TABLES,
                rel_tol: float = 1e-9, abs_tol: float = 1e-9) -> TableDiffs:
    """Compare the tables of two output folders (Parquet, else CSV); one ``TableDiff`` per table of ``tables``."""
    tol = Tolerance(rel_tol, abs_tol)
    base, new = Path(baseline_dir), Path(new_dir)
    for folder in (base, new):
        if not folder.is_dir():
            raise UsageError(f"{folder} is not a folder of output tables.")
    return TableDiffs(tuple(frames_to_diff(spec, folder_to_frame(base, name), folder_to_frame(new, name), tol)
                            for name, spec in tables.items()),
                      records_to_notes(_record(base), _record(new)))


def _record(folder: Path) -> dict | None:
    try:
        return json.loads((folder / RUN_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def records_to_notes(old: dict | None, new: dict | None) -> tuple[str, ...]:
    """What differs between two runs' records: the version, the rules, each
    input file (added, removed, or changed in content). Empty when either
    record is missing."""
    if not old or not new:
        return ()
    notes = []
    if old.get("extract_version") != new.get("extract_version"):
        notes.append(f"extract version: {old.get('extract_version')} → {new.get('extract_version')}")
    if old.get("rules_sha256") != new.get("rules_sha256"):
        notes.append("rules changed (rules_sha256 differs)")
    before = {i["document_id"]: i.get("sha256") for i in old.get("inputs", [])}
    after = {i["document_id"]: i.get("sha256") for i in new.get("inputs", [])}
    notes += [f"input added: {d}" for d in sorted(set(after) - set(before))]
    notes += [f"input removed: {d}" for d in sorted(set(before) - set(after))]
    notes += [f"input changed: {d}" for d in sorted(set(before) & set(after)) if before[d] != after[d]]
    return tuple(notes)


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed, so no baseline can be taken from a commit.") from None


def baseline_from_git(repo_dir: str | Path, dest: str | Path, rev: str = "HEAD", subdir: str = "output",
                      tables: Mapping[str, TableSpec] = TABLES) -> Path:
    """Write the table files (``<table>.parquet`` and ``.csv``) of ``subdir`` as
    they are at ``rev`` of the git repository ``repo_dir`` into ``dest``; a table
    without files there has none in ``dest``. Returns ``dest``. ``UsageError``
    when ``repo_dir`` is not a git repository, ``rev`` no commit, or ``subdir``
    holds no table at ``rev``."""
    repo, out = Path(repo_dir), Path(dest)
    if _git(repo, "rev-parse", "--git-dir").returncode != 0:
        raise UsageError(f"{repo} is not a git repository, so it has no committed {subdir}/ to compare with.")
    if _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise UsageError(f"{rev} is not a commit of the repository {repo}.")
    listing = _git(repo, "ls-tree", "--name-only", rev, f"{subdir}/")
    present = {Path(p).name for p in listing.stdout.decode("utf-8", "replace").splitlines()}
    names = [f"{t}{s}" for t in tables for s in SUFFIXES if f"{t}{s}" in present]
    if not names:
        raise UsageError(f"{repo} has no tables in {subdir}/ at {rev}.")
    out.mkdir(parents=True, exist_ok=True)
    for name in [f"{t}{s}" for t in tables for s in SUFFIXES] + [RUN_RECORD]:
        (out / name).unlink(missing_ok=True)
    if RUN_RECORD in present:
        names.append(RUN_RECORD)
    for name in names:
        shown = _git(repo, "show", f"{rev}:./{subdir}/{name}")
        if shown.returncode != 0:
            raise UsageError(f"git could not show {subdir}/{name} at {rev}: {shown.stderr.decode(errors='replace').strip()}")
        (out / name).write_bytes(shown.stdout)
    return out


def diff_run(paths: list[str | Path], rules: Rules, baseline_dir: str | Path, workdir: str | Path,
             say: Callable[[str], None] | None = None, limits: Limits = Limits(),
             rel_tol: float = 1e-9, abs_tol: float = 1e-9) -> TableDiffs:
    """Extract ``paths`` into ``<workdir>/new`` (a folder of its own, replaced
    whole) and compare it with ``baseline_dir``."""
    new = Path(workdir) / "new"
    if new.resolve() == Path(baseline_dir).resolve():
        raise UsageError(f"{new} is the baseline folder; give another work folder.")
    run(paths, new, rules, say=say, limits=limits)
    return diff_tables(baseline_dir, new, rel_tol=rel_tol, abs_tol=abs_tol)
