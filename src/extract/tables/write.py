"""Write the output tables.

Input: per table name, its rows in key order: an Arrow table (``arrow.rows_to_table``)
or a callable that yields them as Arrow tables a chunk at a time
(``spill.TableSpill.chunks``). Output: ``<table>.csv`` and ``<table>.parquet``
per table (the CSV lines made by ``csvlines``), ``extract.db`` (all tables
in SQLite, ``database``, built in a thread of its own while the other files
are written) and ``datapackage.json`` in ``out_dir``, byte-identical when
re-run on the same rows (a chunk is a Parquet row group); each chunk goes to
the three files as it comes, so no table is held whole. The new folder is built next to
``out_dir`` and swapped in at once, so a run killed at any moment leaves
either the whole previous output or the whole new one. A run's tables wait
in a spill folder next to ``out_dir`` (``spill_folder``), marked and locked
as the run's own.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

import pyarrow as pa
from pyarrow import _parquet

from extract.errors import NotAnOutputFolder, OutputError
from extract.tables import csvlines
from extract.tables.arrow import arrow_schema, to_output
from extract.tables.database import DatabaseThread, DatabaseWriter
from extract.tables.dictionary import datapackage
from extract.tables.schemas import TABLES, TableSpec

SUFFIXES = (".csv", ".parquet")
DATABASE = "extract.db"
OURS = frozenset({"datapackage.json", "run.json", DATABASE} | {f"{t}{s}" for t in TABLES for s in SUFFIXES})
MARKER = ".extract-run"  # in a folder this program made: the token of its name, `.<out>.tmp-<token>`
_TOKEN = re.compile(r"[0-9a-f]{16}")
AT_FDCWD, RENAME_EXCHANGE = -100, 2
UNSUPPORTED = frozenset({errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.EOPNOTSUPP})
Rows = pa.Table | Callable[[], Iterable[pa.Table]]
Database = Callable[[Path, list[str]], DatabaseThread]  # DatabaseThread, or what has its add, close and abort
_format_float = csvlines.format_float  # read here by qa.diff_render and the tests


def _checked(spec: TableSpec, table: pa.Table) -> pa.Table:
    if tuple(table.schema.names) != spec.names:
        raise ValueError(f"{spec.name}: columns {table.schema.names} are not the spec's {list(spec.names)};"
                         " build the table with arrow.rows_to_table")
    return table


@contextmanager
def _parquet_file(path: Path, schema: pa.Schema) -> Iterator[_parquet.ParquetWriter]:
    """A Parquet file written a row group per ``write_table``, zstd-compressed,
    as ``pyarrow.parquet.ParquetWriter`` writes it (its defaults spelled out):
    ``pyarrow.parquet`` imports pyarrow's file systems, S3 and SSL with them,
    some 20 ms of a run's start, for a writer of its kernels'. (``pyarrow._parquet`` is not
    public: a version whose writer takes other arguments gets the public writer.)"""
    try:
        writer = _parquet.ParquetWriter(str(path), schema, version="2.6", use_dictionary=True, compression="zstd",
                                        write_statistics=True, writer_engine_version="V2", data_page_version="1.0")
    except TypeError:  # a pyarrow whose private writer takes other arguments: the public one, as before
        import pyarrow.parquet as pq
        writer = pq.ParquetWriter(path, schema, compression="zstd")
    try:
        yield writer
    finally:
        writer.close()


def _table_to_files(spec: TableSpec, rows: Rows, folder: Path,
                    database: DatabaseWriter | DatabaseThread) -> None:
    """One table as CSV, Parquet (a row group per chunk) and rows of the database."""
    schema = arrow_schema(spec.name)
    chunks = [rows] if isinstance(rows, pa.Table) else rows()
    with open(folder / f"{spec.name}.csv", "wb") as fh, \
            _parquet_file(folder / f"{spec.name}.parquet", schema) as parquet:
        fh.write(csvlines.header(spec))
        for chunk in chunks:
            chunk = _checked(spec, chunk)
            database.add(spec.name, chunk)
            csvlines.chunk_to_csv(spec, chunk, fh)
            parquet.write_table(to_output(spec.name, chunk))


def _tables_to_folder(tables: Mapping[str, Rows], folder: Path, database_writer: Database) -> None:
    """Every table as CSV and Parquet and into the SQLite database of them all
    (by ``database_writer``), then ``datapackage.json``, into ``folder``."""
    names = [t for t in TABLES if t in tables]
    database = database_writer(folder / DATABASE, names)  # built while the CSV and Parquet files are written
    try:
        for name in names:
            _table_to_files(TABLES[name], tables[name], folder, database)
    except BaseException:
        database.abort()
        raise
    database.close()
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
    return sorted(name for name, _ in found if name not in OURS and name != MARKER)


def _new_folder(parent: Path, prefix: str) -> Path:
    """A fresh folder ``<prefix><token>`` in ``parent``, with the usual umask
    mode, marked as this program's by ``MARKER`` holding its token."""
    while True:
        token = secrets.token_hex(8)
        path = parent / f"{prefix}{token}"
        with suppress(FileExistsError):
            path.mkdir(mode=0o777)
            (path / MARKER).write_text(token + "\n", encoding="ascii")
            return path


def _marked(folder: Path) -> str | None:
    """The token of a folder's ``MARKER`` (a regular file in a real folder), or None."""
    marker = folder / MARKER
    try:
        if folder.is_symlink() or not folder.is_dir() or not marker.is_file() or marker.is_symlink():
            return None
        return marker.read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


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

    Without an exchange, ``out`` goes to ``.<name>.old-<token>`` (the token of
    ``tmp``) for the moment between two renames: ``_recover`` puts it back when
    a run is killed in that moment."""
    if not out.exists():
        os.rename(tmp, out)
    elif not _exchange(tmp, out):
        old = out.with_name(tmp.name.replace(".tmp-", ".old-", 1))
        os.rename(out, old)
        os.rename(tmp, out)
        os.rename(old, tmp)


def _remove(folder: Path) -> None:
    """Remove a folder of ours, its mark last: a run killed while removing
    it leaves it still marked, for the next run to finish."""
    with suppress(FileNotFoundError):
        for entry in sorted(os.scandir(folder), key=lambda e: e.name == MARKER):
            with suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
    with suppress(OSError):
        os.rmdir(folder)


def _recover(out: Path) -> None:
    """Undo what a killed run left next to ``out``. Only folders named
    ``.<name>.tmp-<token>`` or ``.<name>.old-<token>`` whose token is this
    program's are touched: the token is in the ``MARKER`` of the temporary
    folder or of ``out`` (the new folder, once swapped in). A folder of
    someone else's that merely has such a name is left alone (an empty one,
    as a run killed between making its folder and marking it leaves it, is
    removed: it holds nothing). An old folder moved aside is put back when
    ``out`` is missing; the others are removed."""
    stale, aside = f".{out.name}.tmp-", f".{out.name}.old-"
    left = sorted(p for p in out.parent.iterdir()
                  if p.name.startswith((stale, aside)) and p.is_dir() and not p.is_symlink())
    tokens = ({_marked(p) for p in left if p.name.startswith(stale)} | {_marked(out)}) - {None}
    ours = [p for p in left if p.name.removeprefix(stale).removeprefix(aside) in tokens]
    olds = [p for p in ours if p.name.startswith(aside)]
    if olds and not os.path.lexists(out):
        os.rename(olds.pop(), out)
    for path in ours:
        if path.name.startswith(stale) or path in olds:
            _remove(path)
    for path in left:  # made by a run killed before it could mark it: empty, so nothing is lost
        token = path.name.removeprefix(stale)
        if path.name.startswith(stale) and _TOKEN.fullmatch(token):
            with suppress(OSError):
                if _half_marked(path, token):
                    (path / MARKER).unlink()
                os.rmdir(path)
    with suppress(FileNotFoundError, NotADirectoryError):
        if _marked(out) is not None:
            (out / MARKER).unlink()


def _half_marked(folder: Path, token: str) -> bool:
    """Whether ``folder`` holds nothing but a ``MARKER`` cut short while it was
    written (a run killed then): its text a start of ``token``."""
    names = os.listdir(folder)
    if names != [MARKER] or not (folder / MARKER).is_file() or (folder / MARKER).is_symlink():
        return False
    return (token + "\n").startswith((folder / MARKER).read_text(encoding="ascii", errors="replace"))


def _recover_spills(out: Path) -> None:
    """Remove the spill folders of runs killed next to ``out``: a folder
    ``.<name>.spill-<token>`` marked with its token that no live run holds
    (``spill_folder``), or one left empty or half-marked by a run killed as
    it made it. A folder of someone else's that merely has such a name is
    left alone."""
    spilled = f".{out.name}.spill-"
    for path in sorted(out.parent.iterdir()):
        token = path.name.removeprefix(spilled)
        if not path.name.startswith(spilled) or not path.is_dir() or path.is_symlink() or _held(path):
            continue
        if _marked(path) == token:
            _remove(path)
        elif _TOKEN.fullmatch(token):
            with suppress(OSError):
                if _half_marked(path, token):
                    (path / MARKER).unlink()
                os.rmdir(path)


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
    """A fresh folder ``.<name>.spill-<token>`` next to ``out_dir`` (marked as
    ours, as the temporary folder is) for the tables of a run while it runs,
    locked (so that another run's recovery leaves it alone) and removed
    afterwards; one left by a killed run is removed by the next run's
    ``write_tables``. ``OutputError`` when it cannot be made."""
    out = Path(os.path.abspath(out_dir))
    try:
        _make_parent(out)
        folder = _new_folder(out.parent, f".{out.name}.spill-")
    except OutputError:
        raise
    except OSError as exc:
        raise _output_error(out, exc) from exc
    try:
        with _locked(folder):
            yield folder
    finally:
        _remove(folder)


def _make_parent(out: Path) -> None:
    """Make the folder ``out`` goes in, if it is missing."""
    above = next(p for p in out.parents if os.path.lexists(p))
    if not above.is_dir():  # mkdir would say "File exists"
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(above))
    out.parent.mkdir(parents=True, exist_ok=True)


def _output_error(out: Path, exc: OSError) -> OutputError:
    return OutputError(f"{out}: the output could not be written ({exc.strerror or exc}); "
                       "the previous output is left as it was", exc.errno)


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
                 extra: Callable[[float], Mapping[str, str]] | None = None,
                 database: Database = DatabaseThread) -> None:
    """Write every table as CSV, Parquet and into ``extract.db``, plus
    ``datapackage.json``, into ``out_dir``,
    and the files ``extra(seconds the tables took to write)`` names (``run.json``),
    all swapped in together; ``database(path, names)`` builds ``extract.db``
    (a ``DatabaseThread``, or a ``pipeline.database_process.DatabaseProcess``).

    The new folder is built as ``.<name>.tmp-*`` next to ``out_dir``, with copies of
    the files in ``out_dir`` that are not ours, then swapped with ``out_dir`` in one
    step; table files of tables not produced this time are thus gone. Raises
    ``KeyError`` for an unknown table, ``ValueError`` for a table not built from its
    spec or an ``out_dir`` that is not an output folder (``NotAnOutputFolder``),
    ``OutputError`` (exit code 2) for any error of the file system; in every
    case the previous output is left as it was."""
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise KeyError(f"not a table: {', '.join(unknown)}")
    out = Path(os.path.abspath(out_dir))
    try:
        _foreign_files(out)
        _make_parent(out)
        with _locked(out.parent):
            _recover(out)
            _recover_spills(out)
            _write_and_swap(tables, out, extra, database)
    except OutputError:
        raise
    except OSError as exc:
        raise _output_error(out, exc) from exc


def _write_and_swap(tables: Mapping[str, Rows], out: Path,
                    extra: Callable[[float], Mapping[str, str]] | None, database: Database) -> None:
    """The new folder built next to ``out`` and swapped in (see ``write_tables``)."""
    tmp = _new_folder(out.parent, f".{out.name}.tmp-")
    try:
        start = time.perf_counter()
        _tables_to_folder(tables, tmp, database)
        for name, text in (extra(time.perf_counter() - start) if extra else {}).items():
            if name not in OURS or name.endswith(SUFFIXES) or name in ("datapackage.json", DATABASE):
                raise ValueError(f"{name}: not a name for an extra output file")
            (tmp / name).write_text(text, encoding="utf-8", newline="")
        for name in _foreign_files(out):
            shutil.copy2(out / name, tmp / name, follow_symlinks=False)
        if out.exists():
            shutil.copymode(out, tmp)
        _swap_in(tmp, out)
    except BaseException:
        with suppress(OSError):
            _recover(out)  # a swap cut short: the old folder back in place
        raise
    finally:
        _remove(tmp)
        with suppress(OSError):
            if _marked(out) is not None:
                (out / MARKER).unlink()
