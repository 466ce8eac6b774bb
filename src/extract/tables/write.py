"""Write the output tables.

Input: per table name, its rows in key order: an Arrow table (``arrow.rows_to_table``)
or a callable that yields them as Arrow tables a chunk at a time
(``spill.TableSpill.chunks``). Output: ``<table>.csv`` and ``<table>.parquet``
per table and ``datapackage.json`` in ``out_dir``, byte-identical when re-run
on the same rows (a chunk is a Parquet row group). The new folder is built next
to ``out_dir`` and swapped in at once, so a run killed at any moment leaves
either the whole previous output or the whole new one.
"""
from __future__ import annotations

import csv
import ctypes
import errno
import fcntl
import functools
import json
import math
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.errors import NotAnOutputFolder
from extract.tables.arrow import arrow_schema
from extract.tables.dictionary import datapackage
from extract.tables.schemas import TABLES, TableSpec

SUFFIXES = (".csv", ".parquet")
OURS = frozenset({"datapackage.json", "run.json"} | {f"{t}{s}" for t in TABLES for s in SUFFIXES})
AT_FDCWD, RENAME_EXCHANGE = -100, 2
UNSUPPORTED = frozenset({errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.EOPNOTSUPP})
CSV_ROWS = 2048  # rows turned into Python values at a time for the CSV
Rows = pa.Table | Callable[[], Iterable[pa.Table]]


def _format_float(x: float | None) -> str:
    """15 significant digits: ``80006``, ``268.05``, ``21705000``, no float noise."""
    if x is None or math.isnan(x):
        return ""
    if math.isinf(x):
        return "INF" if x > 0 else "-INF"
    return "0" if x == 0 else format(x, ".15g")


def _checked(spec: TableSpec, table: pa.Table) -> pa.Table:
    if tuple(table.schema.names) != spec.names:
        raise ValueError(f"{spec.name}: columns {table.schema.names} are not the spec's {list(spec.names)};"
                         " build the table with arrow.rows_to_table")
    return table


def _chunk_to_csv(spec: TableSpec, table: pa.Table, writer) -> None:
    """Rows as CSV lines (as pandas wrote them: a null is an empty cell, a
    float is ``_format_float``), ``CSV_ROWS`` at a time."""
    floats = [c.type == "float" for c in spec.columns]
    for batch in table.to_batches(max_chunksize=CSV_ROWS):
        columns = [[_format_float(x) for x in column.to_pylist()] if is_float else column.to_pylist()
                   for column, is_float in zip(batch.columns, floats)]
        writer.writerows(zip(*columns))


def _table_to_files(spec: TableSpec, rows: Rows, folder: Path) -> None:
    """One table as CSV and Parquet (a row group per chunk)."""
    schema = arrow_schema(spec.name)
    chunks = [rows] if isinstance(rows, pa.Table) else rows()
    with open(folder / f"{spec.name}.csv", "w", encoding="utf-8", newline="") as fh, \
            pq.ParquetWriter(folder / f"{spec.name}.parquet", schema, compression="zstd") as parquet:
        writer = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(spec.names)
        for chunk in chunks:
            chunk = _checked(spec, chunk)
            _chunk_to_csv(spec, chunk, writer)
            parquet.write_table(pa.Table.from_batches(chunk.to_batches(), schema=schema))


def _tables_to_folder(tables: Mapping[str, Rows], folder: Path) -> None:
    """Every table as CSV and Parquet, then ``datapackage.json``, into ``folder``."""
    names = [t for t in TABLES if t in tables]
    for name in names:
        _table_to_files(TABLES[name], tables[name], folder)
    package = json.dumps(datapackage(names), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
    (folder / "datapackage.json").write_text(package, encoding="utf-8", newline="")


def check_output_folder(out_dir: str | os.PathLike[str]) -> None:
    """``NotAnOutputFolder`` if ``out_dir`` cannot be the output folder (checked
    before a run's work, so a wrong ``--out`` fails at once)."""
    _foreign_files(Path(os.path.abspath(out_dir)))


def _foreign_files(out: Path) -> list[str]:
    """Names of the files in ``out`` that are not ours; raises ``NotAnOutputFolder``
    when ``out`` is a symlink, not a folder, the current folder, or holds anything but files."""
    if out.is_symlink():
        raise NotAnOutputFolder(f"{out} is a symbolic link; give the folder it points to as the output folder.")
    if not out.exists():
        return []
    if not out.is_dir():
        raise NotAnOutputFolder(f"{out} exists and is not a folder, so it cannot be the output folder.")
    if Path.cwd().resolve() == out.resolve():
        raise NotAnOutputFolder(f"{out} is the current folder, which cannot be replaced; give a folder below it.")
    with os.scandir(out) as entries:
        found = [(e.name, e.is_symlink() or e.is_file(follow_symlinks=False)) for e in entries]
    if not all(is_file for _, is_file in found):
        raise NotAnOutputFolder(f"{out} holds sub-folders or special files, so it is not an output folder.")
    return sorted(name for name, _ in found if name not in OURS)


def _new_folder(parent: Path, prefix: str) -> Path:
    """A fresh empty folder ``<prefix><random>`` in ``parent``, with the usual umask mode."""
    while True:
        path = parent / f"{prefix}{secrets.token_hex(4)}"
        with suppress(FileExistsError):
            path.mkdir(mode=0o777)
            return path


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """libc's ``renameat2`` (glibc 2.28 or later), or None where libc has none."""
    fn = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if fn is not None:
        fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        fn.restype = ctypes.c_int
    return fn


def _exchange(a: Path, b: Path) -> bool:
    """Swap the two existing paths in one step; False when the system or filesystem cannot."""
    fn = _renameat2()
    if fn is None:
        return False
    if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _swap_in(tmp: Path, out: Path) -> None:
    """Put the folder ``tmp`` at ``out``; afterwards ``tmp`` holds the old folder, if any.

    Without an exchange, ``out`` goes to ``.<name>.old-*`` for the moment between
    two renames: ``_recover`` puts it back when a run is killed in that moment."""
    if not out.exists():
        os.rename(tmp, out)
    elif not _exchange(tmp, out):
        old = out.with_name(tmp.name.replace(".tmp-", ".old-", 1))
        os.rename(out, old)
        os.rename(tmp, out)
        os.rename(old, tmp)


def _recover(out: Path) -> None:
    """Undo what a killed run left next to ``out``: an old folder moved aside is put
    back when ``out`` is missing, and temporary folders are removed (a spill
    folder only once no run holds it)."""
    stale, aside, spilled = f".{out.name}.tmp-", f".{out.name}.old-", f".{out.name}.spill-"
    for path in sorted(out.parent.iterdir()):
        if path.name.startswith(spilled) and path.is_dir() and not path.is_symlink() and not _held(path):
            shutil.rmtree(path, ignore_errors=True)
    left = sorted(p for p in out.parent.iterdir()
                  if p.name.startswith((stale, aside)) and p.is_dir() and not p.is_symlink())
    olds = [p for p in left if p.name.startswith(aside)]
    if olds and not os.path.lexists(out):
        os.rename(olds.pop(), out)
    for path in left:
        if path.name.startswith(stale) or path in olds:
            shutil.rmtree(path, ignore_errors=True)


def _held(folder: Path) -> bool:
    """Whether a live run holds the lock of ``folder`` (``spill_folder``)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    except OSError:  # a filesystem without locks: leave it be
        return True
    finally:
        os.close(fd)


@contextmanager
def spill_folder(out_dir: str | os.PathLike[str]) -> Iterator[Path]:
    """A fresh folder ``.<name>.spill-*`` next to ``out_dir`` for the tables of
    a run while it runs, locked (so that another run's ``_recover`` leaves it
    alone) and removed afterwards; one left by a killed run is removed by the
    next run's ``_recover``."""
    out = Path(os.path.abspath(out_dir))
    out.parent.mkdir(parents=True, exist_ok=True)
    folder = _new_folder(out.parent, f".{out.name}.spill-")
    try:
        with _locked(folder):
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (released also when the process is killed),
    so that runs writing next to each other do not take the other's folders as left over."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        with suppress(OSError):  # a filesystem without locks: runs are not expected to overlap there
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def write_tables(tables: Mapping[str, Rows], out_dir: str | os.PathLike[str],
                 extra: Callable[[float], Mapping[str, str]] | None = None) -> None:
    """Write every table as CSV and Parquet plus ``datapackage.json`` into ``out_dir``,
    and the files ``extra(seconds the tables took to write)`` names (``run.json``),
    all swapped in together.

    The new folder is built as ``.<name>.tmp-*`` next to ``out_dir``, with copies of
    the files in ``out_dir`` that are not ours, then swapped with ``out_dir`` in one
    step; table files of tables not produced this time are thus gone. Raises
    ``KeyError`` for an unknown table, ``ValueError`` for a table not built from its
    spec or an ``out_dir`` that is not an output folder (``NotAnOutputFolder``)."""
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise KeyError(f"not a table: {', '.join(unknown)}")
    out = Path(os.path.abspath(out_dir))
    _foreign_files(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with _locked(out.parent):
        _recover(out)
        tmp = _new_folder(out.parent, f".{out.name}.tmp-")
        try:
            start = time.perf_counter()
            _tables_to_folder(tables, tmp)
            for name, text in (extra(time.perf_counter() - start) if extra else {}).items():
                if name not in OURS or name.endswith(SUFFIXES) or name == "datapackage.json":
                    raise ValueError(f"{name}: not a name for an extra output file")
                (tmp / name).write_text(text, encoding="utf-8", newline="")
            for name in _foreign_files(out):
                shutil.copy2(out / name, tmp / name, follow_symlinks=False)
            if out.exists():
                shutil.copymode(out, tmp)
            _swap_in(tmp, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
