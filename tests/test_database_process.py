"""``extract.db`` built in a process of its own (a run with workers): the same
bytes as the thread builds, its failures raised in the caller, and ended at
once by ``abort``."""
from __future__ import annotations

import os
import signal

import pyarrow.parquet as pq
import pytest

from extract.pipeline.database_process import DatabaseProcess
from extract.tables.arrow import rows_to_table
from extract.tables.schemas import TABLES
from extract.tables.write import write_tables

CITY = {"city_id": "alpha-arg", "city": "Alpha", "document_id": "a.txt"}


def test_the_same_database_as_the_thread_builds(raw_out, tmp_path):
    arrow = {t: pq.read_table(raw_out / f"{t}.parquet") for t in TABLES}
    write_tables(arrow, tmp_path / "out", database=DatabaseProcess)
    assert (tmp_path / "out" / "extract.db").read_bytes() == (raw_out / "extract.db").read_bytes()


def test_a_failure_in_the_process_is_raised_in_the_caller(tmp_path):
    database = DatabaseProcess(tmp_path / "x.db", ["cities"])
    database.add("sections", rows_to_table("cities", [CITY]))
    with pytest.raises(ValueError, match="in the order of TABLES"):
        database.close()


def test_a_process_that_died_is_a_runtime_error(tmp_path):
    database = DatabaseProcess(tmp_path / "x.db", ["cities"])
    os.kill(database._process.pid, signal.SIGKILL)
    database._process.join()
    with pytest.raises(RuntimeError, match="SIGKILL|-9"):
        database.add("cities", rows_to_table("cities", [CITY]))
        database.close()


def test_abort_ends_the_process(tmp_path):
    database = DatabaseProcess(tmp_path / "x.db", ["cities"])
    database.add("cities", rows_to_table("cities", [CITY]))
    database.abort()
    assert not database._process.is_alive()
