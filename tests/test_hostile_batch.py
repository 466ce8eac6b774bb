"""Issue 16, done when: a batch of every hostile input a folder can hold
(``hostileinputs.build``) with the 2016 brochure finishes within its time
budgets, exits 0 (1 with ``--strict``), still yields the brochure's 37
cities, and peaks under 1 GB. Each file gives its one stderr line and
finding. Marked slow: the batch runs twice (one worker and two), in
processes of their own. (That review reads nothing a run refused is
``test_hostile.py``'s case 13.)"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pandas as pd
import pytest

import hostileinputs
from conftest import BROCHURE
from extract.pipeline import one_line

pytestmark = pytest.mark.slow
BUDGET = 30  # seconds per document (--time-budget)
THEIRS = {".out.tmp-1": "a draft", ".out.old-0123456789abcdef": "old notes"}  # case 3: named like a run's


def _command(*args: str) -> tuple[int, list[str], float, int]:
    """``extract`` in a process of its own: (exit code, stderr lines,
    seconds, its peak resident memory in bytes, from ``wait4``)."""
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "extract", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, err.splitlines(), time.monotonic() - start, usage.ru_maxrss * 1024


def _lines_about(lines: list[str], raw, name: str) -> list[str]:
    prefix = one_line(str(raw / name)) + ": "
    return [ln for ln in lines if ln.startswith(prefix)]


def test_the_hostile_batch(tmp_path):
    """One test, so that the batch runs once whatever the tests are spread
    over; every problem it finds is listed, as ``(what, details)``."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in THEIRS.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "notes.txt").write_text(text)
    cases = hostileinputs.build(raw, BROCHURE.read_text(encoding="utf-8"),
                                (BROCHURE.parent / "web-profile-kaunas.txt").read_text(encoding="utf-8"),
                                (BROCHURE.parent / "challenge-page-kaunas.txt").read_text(encoding="utf-8"))
    shutil.copy(BROCHURE, raw)
    limits = ["--time-budget", str(BUDGET)]
    strict = _command("run", str(raw), "--out", str(tmp_path / "out"), "--strict", *limits)
    workers = _command("run", str(raw), "--out", str(tmp_path / "out2"), "--workers", "2", *limits)
    problems = []

    # exit 1 with --strict, 0 without; within the budgets; under 1 GB; no traceback
    problems += [("exit codes", strict[0], workers[0])] if (strict[0], workers[0]) != (1, 0) else []
    problems += [("seconds", strict[2], workers[2])] if max(strict[2], workers[2]) > 3 * BUDGET else []
    problems += [("peak bytes", strict[3])] if strict[3] >= 1 << 30 else []
    problems += [("traceback", ln) for ln in strict[1] + workers[1] if "Traceback" in ln]
    findings = pd.read_csv(tmp_path / "out" / "findings.csv", dtype=str, keep_default_na=False)
    problems += [("failed as a whole", d, c) for d, c in zip(findings["document_id"], findings["code"])
                 if c in {"time_budget_exceeded", "extractor_failed", "worker_died"}]

    # the brochure's 37 cities, with one worker and two, the same tables
    for out in ("out", "out2"):
        cities = pd.read_csv(tmp_path / out / "cities.csv", dtype=str, keep_default_na=False)
        if (cities["document_id"] == BROCHURE.name).sum() != 37:
            problems.append(("brochure cities", out, (cities["document_id"] == BROCHURE.name).sum()))
    problems += [("differs with two workers", csv.name) for csv in sorted((tmp_path / "out").glob("*.csv"))
                 if csv.read_bytes() != (tmp_path / "out2" / csv.name).read_bytes()]

    # each file: its one line, its finding, its cities; every line names a file of the batch
    lines = strict[1]
    cities = pd.read_csv(tmp_path / "out" / "cities.csv", dtype=str, keep_default_na=False)
    for c in cases:
        said = _lines_about(lines, raw, c.file)
        codes = set(findings.loc[findings["document_id"] == c.file, "code"])
        got = ((len(said) == 1 and c.says in said[0]) if c.says else said == [],
               c.code is None or c.code in codes, (cities["document_id"] == c.file).sum() == c.cities)
        if not all(got):
            problems.append(("case", c.case, c.file, said, sorted(codes), got))
    named = [ln for c in cases for ln in _lines_about(lines, raw, c.file)]
    problems += [("line of no file", ln) for ln in lines[:-1] if ln not in named]

    # case 3: folders of someone else's named like a run's are left alone
    if {name: (tmp_path / name / "notes.txt").read_text() for name in THEIRS} != THEIRS:
        problems.append(("folders named like a run's", sorted(p.name for p in tmp_path.iterdir())))
    assert problems == []
