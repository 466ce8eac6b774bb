"""The output folder is replaced in one step: a run killed at any moment (SIGKILL)
leaves the previous output whole, and a finished run leaves exactly the new tables."""
from __future__ import annotations

import ctypes
import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from conftest import BROCHURE
from extract.errors import NotAnOutputFolder, UsageError
from extract.tables import csvlines, write
from extract.tables.arrow import rows_to_table
from extract.tables.schemas import TABLES
from extract.tables.write import spill_folder, write_tables

FIRST = {
    "cities": [{"city_id": "alpha-arg", "city": "Alpha", "population": 1200.5, "population_year": 2015}],
    "quotes": [{"city_id": "alpha-arg", "position": 1, "text": "Learn.", "char_start": 0, "char_end": 6}],
    "findings": [],
}
SECOND = {
    "cities": [{"city_id": "beta-bra", "city": "Beta", "population": 80006.0},
               {"city_id": "gamma-chl", "city": "Gamma", "area_km2": 268.05}],
    "sections": [{"city_id": "beta-bra", "section": "intro", "text": 'A "quote",\nnext', "char_start": 0,
                  "char_end": 16}],
    "findings": [{"document_id": "b.txt", "city_id": "beta-bra", "code": "x", "field": "f", "severity": "info"}],
}
NOTES = {"notes.md": b"# kept\n"}


def frames(rows: dict[str, list[dict]]) -> dict[str, pa.Table]:
    return {t: rows_to_table(t, r) for t, r in rows.items()}


def files(folder: Path) -> dict[str, bytes]:
    """The files of ``folder`` and their bytes, but the mark of a folder this
    program made (left in ``out`` by a run killed right after its swap)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != write.MARKER}


def previous_output(out: Path) -> dict[str, bytes]:
    """``out`` holding the FIRST tables and a file of someone else's; its bytes."""
    write_tables(frames(FIRST), out)
    (out / "notes.md").write_bytes(NOTES["notes.md"])
    return files(out)


@pytest.fixture(scope="module")
def second(tmp_path_factory) -> dict[str, bytes]:
    """The bytes of the SECOND tables written into a fresh folder, with the foreign file."""
    out = tmp_path_factory.mktemp("second") / "out"
    write_tables(frames(SECOND), out)
    return files(out) | NOTES


def assert_only(out: Path, expected: dict[str, bytes]) -> None:
    """``out`` holds exactly ``expected`` and nothing of a run is left next to it."""
    assert files(out) == expected
    assert sorted(os.listdir(out.parent)) == [out.name]


def renameat2_failing_with(code: int):
    """A stand-in for ``write._renameat2`` whose call fails with ``errno`` ``code``."""
    def renameat2(*args) -> int:
        ctypes.set_errno(code)
        return -1
    return lambda: renameat2


@pytest.mark.parametrize("swap", ["exchange", "no renameat2", "EINVAL"])
def test_second_write_leaves_exactly_the_second_tables(tmp_path, monkeypatch, second, swap) -> None:
    if swap == "no renameat2":
        monkeypatch.setattr(write, "_renameat2", lambda: None)
    elif swap == "EINVAL":
        monkeypatch.setattr(write, "_renameat2", renameat2_failing_with(errno.EINVAL))
    out = tmp_path / "work" / "out"
    before = previous_output(out)
    assert sorted(before) == ["cities.csv", "cities.parquet", "datapackage.json", "extract.db", "findings.csv",
                              "findings.parquet", "notes.md", "quotes.csv", "quotes.parquet"]
    os.utime(out / "notes.md", (1_000_000_000, 1_000_000_000))
    out.chmod(0o750)
    write_tables(frames(SECOND), out)
    assert_only(out, second)
    assert (out / "notes.md").stat().st_mtime == 1_000_000_000
    assert out.stat().st_mode & 0o777 == 0o750


def test_an_exchange_error_other_than_unsupported_is_raised(tmp_path, monkeypatch) -> None:
    out = tmp_path / "work" / "out"
    before = previous_output(out)
    monkeypatch.setattr(write, "_renameat2", renameat2_failing_with(errno.EXDEV))
    with pytest.raises(OSError, match="cross-device"):
        write_tables(frames(SECOND), out)
    assert_only(out, before)


def killed_between_renames(out: Path) -> Path:
    """``out`` moved aside as a run killed between its two renames leaves it:
    ``.out.old-<token>`` beside the marked ``.out.tmp-<token>`` holding half the tables."""
    tmp = write._new_folder(out.parent, ".out.tmp-")
    (tmp / "cities.csv").write_text("half\n")
    return out.rename(tmp.with_name(tmp.name.replace(".tmp-", ".old-")))


def test_recovery_puts_back_the_folder_moved_aside_and_removes_temporary_ones(tmp_path, second) -> None:
    out = tmp_path / "work" / "out"
    before = previous_output(out)
    killed_between_renames(out)
    write._new_folder(out.parent, ".out.tmp-")
    with pytest.raises(ValueError, match="sections"):  # the recovery happens before the frames are checked
        write_tables({"sections": pa.table({"city_id": ["a-arg"]})}, out)
    assert_only(out, before)
    killed_between_renames(out)
    write_tables(frames(SECOND), out)
    assert_only(out, second)


def test_recovery_removes_a_folder_moved_aside_when_the_new_one_is_in_place(tmp_path, second) -> None:
    """Killed after the second rename: the new folder, still marked, names the old one."""
    out = tmp_path / "work" / "out"
    previous_output(out)
    old = killed_between_renames(out)
    old.with_name(old.name.replace(".old-", ".tmp-")).rename(out)
    (out / "notes.md").write_bytes(NOTES["notes.md"])  # the new folder holds copies of the files not ours
    for name in ("keep", ".outer.tmp-1", ".other.old-1"):
        (out.parent / name).mkdir()
    write_tables(frames(SECOND), out)
    assert files(out) == second
    assert sorted(os.listdir(out.parent)) == [".other.old-1", ".outer.tmp-1", "keep", "out"]


def test_a_spill_folder_is_removed_after_the_run_and_when_left_by_a_killed_one(tmp_path, second) -> None:
    out = tmp_path / "work" / "out"
    previous_output(out)
    with spill_folder(out) as folder:
        assert folder.parent == out.parent and folder.name.startswith(".out.spill-")
        assert (folder / write.MARKER).read_text() == folder.name.removeprefix(".out.spill-") + "\n"
        (folder / "cities.arrows").write_bytes(b"rows")
        write_tables(frames(SECOND), out)  # a run's own spill folder is held: left alone
        assert folder.is_dir()
    assert not folder.exists()
    left = write._new_folder(out.parent, ".out.spill-")  # one a killed run left: marked, nobody holds it
    (left / "cities.arrows").write_bytes(b"rows")
    theirs = out.parent / ".out.spill-notes"  # named like one, not marked: someone else's
    theirs.mkdir()
    (theirs / "notes.txt").write_text("keep\n")
    write_tables(frames(SECOND), out)
    assert files(out) == second
    assert sorted(os.listdir(out.parent)) == [".out.spill-notes", "out"]
    assert (theirs / "notes.txt").read_text() == "keep\n"


def test_recovery_removes_a_folder_killed_while_it_was_being_marked(tmp_path, second) -> None:
    out = tmp_path / "work" / "out"
    before = previous_output(out)
    (out.parent / ".out.tmp-0123456789abcdef").mkdir()  # killed before its mark
    (out.parent / ".out.tmp-00112233445566ff").mkdir()  # killed while writing its mark
    (out.parent / ".out.tmp-00112233445566ff" / write.MARKER).write_text("")
    with pytest.raises(ValueError, match="sections"):
        write_tables({"sections": pa.table({"city_id": ["a-arg"]})}, out)
    assert_only(out, before)


def test_refuses_what_is_not_an_output_folder(tmp_path, monkeypatch) -> None:
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "code.py").write_text("pass\n")
    (tmp_path / "file").write_text("text\n")
    (tmp_path / "link").symlink_to(project / "src")
    empty = tmp_path / "empty"
    empty.mkdir()
    for target, why in [(project, "sub-folders"), (tmp_path / "file", "not a folder"),
                        (tmp_path / "link", "symbolic link")]:
        with pytest.raises(NotAnOutputFolder, match=why) as caught:
            write_tables(frames(FIRST), target)
        assert str(target) in str(caught.value)
        assert isinstance(caught.value, ValueError) and isinstance(caught.value, UsageError)  # one line from the CLI
    monkeypatch.chdir(empty)
    with pytest.raises(ValueError, match="current folder"):
        write_tables(frames(FIRST), ".")
    assert sorted(os.listdir(tmp_path)) == ["empty", "file", "link", "project"]
    assert os.listdir(empty) == [] and os.listdir(project) == ["src"]


# A child process writes the SECOND tables and kills itself at one point of the write.
CHILD = """
import json, os, signal, sys
from extract.tables import csvlines, write
from extract.tables.arrow import rows_to_table

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def on_call(n, real, after=False):
    calls = []
    def wrapper(*args, **kwargs):
        calls.append(args)
        if len(calls) == n and not after:
            die()
        result = real(*args, **kwargs)
        if len(calls) == n:
            die()
        return result
    return wrapper

{patch}
write.write_tables({{t: rows_to_table(t, r) for t, r in json.loads(sys.argv[2]).items()}}, sys.argv[1])
"""
NO_EXCHANGE = "write._exchange = lambda a, b: False\n"
# where -> (patch, what out_dir holds after the kill: "before", "second" or None for nothing,
#           the folder next to it that holds the previous output whole, if any)
KILLS = {
    "some table files written": ("write._table_to_files = on_call(2, write._table_to_files)", "before", None),
    "temp folder written, before the swap": ("write._exchange = die", "before", None),
    "after the exchange": ("write._exchange = on_call(1, write._exchange, after=True)", "second", ".out.tmp-*"),
    "between the two renames": (NO_EXCHANGE + "os.rename = on_call(2, os.rename)", None, ".out.old-*"),
    "after the two renames": (NO_EXCHANGE + "os.rename = on_call(3, os.rename)", "second", ".out.old-*"),
}


@pytest.fixture(scope="module")
def killed(tmp_path_factory) -> dict[str, tuple[Path, dict[str, bytes], int, str]]:
    """where -> (out_dir, its bytes before, return code, stderr); the children run at once."""
    started = {}
    for where, (patch, *_) in KILLS.items():
        out = tmp_path_factory.mktemp("killed") / "out"
        before = previous_output(out)
        child = subprocess.Popen([sys.executable, "-c", CHILD.format(patch=patch), str(out), json.dumps(SECOND)],
                                 stderr=subprocess.PIPE, text=True)
        started[where] = (out, before, child)
    ended = {}
    for where, (out, before, child) in started.items():
        _, stderr = child.communicate(timeout=60)
        ended[where] = (out, before, child.returncode, stderr)
    return ended


@pytest.mark.parametrize("where", list(KILLS))
def test_a_write_killed_leaves_one_whole_output(killed, second, where) -> None:
    out, before, code, stderr = killed[where]
    assert code == -signal.SIGKILL, stderr
    _, at_out, aside = KILLS[where]
    if aside:
        [folder] = out.parent.glob(aside)
        assert files(folder) == before
    if at_out is None:
        assert not out.exists()
        with pytest.raises(ValueError, match="sections"):  # the recovery alone
            write_tables({"sections": pa.table({"city_id": ["a-arg"]})}, out)
        assert_only(out, before)
    else:
        assert files(out) == (before if at_out == "before" else second)
    write_tables(frames(SECOND), out)
    assert_only(out, second)


def assert_one_whole_output(out: Path, before: dict[str, bytes]) -> None:
    """``out`` is the previous output byte for byte, or a complete new one with no previous table file."""
    now = files(out)
    if now == before:
        return
    resources = json.loads(now["datapackage.json"])["resources"]
    assert [r["name"] for r in resources] == list(TABLES)
    assert set(now) == {"datapackage.json", "run.json", "extract.db", *NOTES} | {
        f"{t}{s}" for t in TABLES for s in (".csv", ".parquet")}
    assert now["notes.md"] == before["notes.md"]
    assert not [name for name in before if name != "notes.md" and now[name] == before[name]]
    for r in resources:
        names = [f["name"] for f in r["schema"]["fields"]]
        assert list(pd.read_csv(out / r["path"], dtype=str, keep_default_na=False).columns) == names
        assert list(pd.read_parquet(out / f"{r['name']}.parquet").columns) == names


def test_a_killed_cli_run_leaves_one_whole_output(tmp_path, second) -> None:
    """Runs killed after a fixed delay and once their temporary folder has appeared."""
    kills = [("start", 0.3), ("start", 0.8), ("temp folder", 0.0), ("temp folder", 0.1)]
    runs = []
    for i, (after, delay) in enumerate(kills):
        out = tmp_path / f"run{i}" / "out"
        before = previous_output(out)
        child = subprocess.Popen([sys.executable, "-m", "extract.cli", "run", str(BROCHURE), "--out", str(out)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        start = time.monotonic() if after == "start" else None  # else: when the temporary folder appears
        runs.append({"out": out, "before": before, "child": child, "start": start, "delay": delay})
    try:
        while any(r["child"].poll() is None for r in runs):
            now = time.monotonic()
            for r in runs:
                if r["start"] is None and list(r["out"].parent.glob(".out.tmp-*")):
                    r["start"] = now
                if r["start"] is not None and now >= r["start"] + r["delay"]:
                    r["child"].send_signal(signal.SIGKILL)
            time.sleep(0.002)
    finally:
        for r in runs:
            r["child"].kill()
            r["child"].wait(timeout=60)
    for r in runs:
        assert_one_whole_output(r["out"], r["before"])
        write_tables(frames(SECOND), r["out"])
        assert_only(r["out"], second)


HOSTILE_TEXT = ["", None, "plain", 'a "quoted" word', "a, comma", "two\nlines", "carriage\rreturn", "nul\x00",
                "line\u2028separator", "next\x85line", " spaced ", "tab\there", "'single'", "é ü 中文", '"', ",", "\n"]
HOSTILE_FLOATS = [None, float("nan"), 0.0, -0.0, 1e16, 1e-7, 268.05, 0.1 + 0.2, 21705000.0, float("inf"),
                  -float("inf"), 1 / 3, -5.5]


@pytest.mark.parametrize("table", ["cities", "sections", "indicators", "findings"])
def test_the_csv_formatted_by_columns_is_what_csv_writer_writes(table) -> None:
    """The CSV lines made a column at a time by Arrow are byte for byte those of
    ``csv.writer`` (its quoting, floats as ``_format_float``, nulls empty)."""
    import io

    spec = TABLES[table]
    n = 40
    rows = []
    for i in range(n):
        row = {}
        for j, c in enumerate(spec.columns):
            k = i * 7 + j
            if c.type == "float":
                row[c.name] = HOSTILE_FLOATS[k % len(HOSTILE_FLOATS)]
            elif c.type == "Int":
                row[c.name] = None if k % 5 == 0 else k - 20
            else:
                row[c.name] = HOSTILE_TEXT[k % len(HOSTILE_TEXT)]
        rows.append(row)
    data = rows_to_table(table, rows)
    data = pa.concat_tables([data.slice(0, 3), data.slice(3)])  # columns in pieces, one a slice
    by_columns, by_rows = io.BytesIO(), io.BytesIO()
    csvlines.chunk_to_csv(spec, data, by_columns)
    csvlines.chunk_to_csv_rows(spec, data, by_rows)
    assert by_columns.getvalue() == by_rows.getvalue()
    assert csvlines.QUOTED is not None  # this Python's csv.writer quotes as the fast path expects


def test_a_database_failure_in_its_thread_is_raised_in_the_caller(tmp_path) -> None:
    from extract.tables.database import DatabaseThread

    database = DatabaseThread(tmp_path / "x.db", ["cities", "quotes"])
    database.add("cities", rows_to_table("cities", FIRST["cities"]))
    database.add("quotes", rows_to_table("quotes", FIRST["quotes"]))
    with pytest.raises(ValueError, match="added once each"):
        for _ in range(5):  # the writer fails on the first; a later add or close says so
            database.add("cities", rows_to_table("cities", FIRST["cities"]))
        database.close()
    database.abort()


def test_parquet_files_are_the_same_through_the_public_writer(tmp_path, monkeypatch):
    """A pyarrow whose private Parquet writer takes other arguments gets
    ``pyarrow.parquet``'s: the same bytes."""
    import pyarrow.parquet as pq
    schema = pa.schema([pa.field("city_id", pa.string()), pa.field("value", pa.float64())])
    table = pa.table({"city_id": ["ATH", None, "KAU"], "value": [1.5, None, 3.0]}, schema=schema)
    with write._parquet_file(tmp_path / "private.parquet", schema) as writer:
        writer.write_table(table)
    calls, private = [], write._parquet.ParquetWriter

    def refused_once(*args, **kwargs):  # the public writer makes one too: only ours is refused
        calls.append(kwargs)
        if len(calls) == 1:
            raise TypeError("unexpected keyword argument")
        return private(*args, **kwargs)
    monkeypatch.setattr(write._parquet, "ParquetWriter", refused_once)
    with write._parquet_file(tmp_path / "public.parquet", schema) as writer:
        writer.write_table(table)
    assert len(calls) == 2
    assert (tmp_path / "private.parquet").read_bytes() == (tmp_path / "public.parquet").read_bytes()
    assert pq.read_table(tmp_path / "public.parquet").equals(table)
