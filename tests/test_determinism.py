"""Two runs on the same input give byte-identical CSVs and identical Parquet
data, also across processes whose string hashing differs (so no result
depends on the order of a set or a dict built from one). ``run.json`` is the
same but for the seconds the stages took."""
from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from conftest import BROCHURE
from extract.pipeline.workers import YOUNG_THRESHOLD, collector_tuned


def test_runs_in_two_processes_are_identical(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("gnlc-portraits-2016.txt", "web-profile-kaunas.txt", "challenge-page-kaunas.txt"):
        shutil.copy(BROCHURE.parent / name, raw)
    runs = []
    for seed in ("0", "4242"):
        out = tmp_path / f"out-{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        runs.append((out, subprocess.Popen([sys.executable, "-m", "extract.cli", "run", str(raw), "--out", str(out)],
                                           env=env, stderr=subprocess.DEVNULL)))
    assert [proc.wait(timeout=300) for _, proc in runs] == [0, 0]
    (a, _), (b, _) = runs
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert any(n.endswith(".csv") for n in names) and any(n.endswith(".parquet") for n in names)
    for name in names:
        if name.endswith(".parquet"):
            assert pq.read_table(a / name).equals(pq.read_table(b / name), check_metadata=True), name
        elif name == "run.json":
            first, second = (json.loads((d / name).read_text(encoding="utf-8")) for d in (a, b))
            assert first.pop("seconds").keys() == second.pop("seconds").keys()
            assert first == second
        else:
            assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_two_workers_give_the_same_tables_as_one(tmp_path):
    from extract.cli import main
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("gnlc-portraits-2016.txt", "web-profile-kaunas.txt", "challenge-page-kaunas.txt"):
        shutil.copy(BROCHURE.parent / name, raw)
    (raw / "empty.txt").write_bytes(b"")
    for workers in ("1", "2"):
        assert main(["run", str(raw), "--out", str(tmp_path / workers), "--workers", workers, "--quiet"]) == 0
    for csv in (tmp_path / "1").glob("*.csv"):
        assert csv.read_bytes() == (tmp_path / "2" / csv.name).read_bytes(), csv.name


def test_a_run_collects_the_young_generation_less_often_and_puts_it_back(tmp_path):
    """The collector's thresholds are raised while a run reads documents
    (``collector_tuned``) and are as before once it ends, failed or not."""
    before = gc.get_threshold()
    with collector_tuned():
        assert gc.get_threshold()[0] == max(before[0], YOUNG_THRESHOLD)
        assert gc.get_threshold()[1:] == before[1:]
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), collector_tuned():
        raise RuntimeError("a run that fails")
    assert gc.get_threshold() == before
