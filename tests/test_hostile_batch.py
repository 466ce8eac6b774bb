"""Issue 16, done when: a batch of every hostile input a folder can hold
(``hostileinputs.build``) with the 2016 brochure finishes within its time
budgets, exits 0 (1 with ``--strict``), still yields the brochure's 37
cities, and peaks under 1 GB; its review reads nothing the run refused.
Each file gives its one stderr line and finding. Marked slow: the batch
runs twice (one worker and two) and is reviewed, in processes of their own."""
from __future__ import annotations

import resource
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


def _command(*args: str) -> tuple[int, list[str], float]:
    """``extract`` in a process of its own: (exit code, stderr lines, seconds)."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "extract", *args], capture_output=True, text=True, timeout=600)
    return proc.returncode, proc.stderr.splitlines(), time.monotonic() - start


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The batch built and run: (cases, raw folder, base folder, runs by
    name: (exit code, stderr lines, seconds), peak memory in bytes)."""
    base = tmp_path_factory.mktemp("hostile")
    raw = base / "raw"
    raw.mkdir()
    for name, text in THEIRS.items():
        (base / name).mkdir()
        (base / name / "notes.txt").write_text(text)
    cases = hostileinputs.build(raw, BROCHURE.read_text(encoding="utf-8"),
                                (BROCHURE.parent / "web-profile-kaunas.txt").read_text(encoding="utf-8"),
                                (BROCHURE.parent / "challenge-page-kaunas.txt").read_text(encoding="utf-8"))
    shutil.copy(BROCHURE, raw)
    limits = ["--time-budget", str(BUDGET)]
    runs = {"strict": _command("run", str(raw), "--out", str(base / "out"), "--strict", *limits)}
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    runs["workers"] = _command("run", str(raw), "--out", str(base / "out2"), "--workers", "2", *limits)
    runs["review"] = _command("review", "--out", str(base / "out"), "--dest", str(base / "review"))
    return cases, raw, base, runs, peak


def _lines_about(lines: list[str], raw, name: str) -> list[str]:
    prefix = one_line(str(raw / name)) + ": "
    return [ln for ln in lines if ln.startswith(prefix)]


def test_the_batch_ends_within_its_budgets_and_exits_0_or_1_with_strict(batch):
    cases, _, base, runs, peak = batch
    assert {name: code for name, (code, _, _) in runs.items()} == {"strict": 1, "workers": 0, "review": 0}
    assert not any("Traceback" in ln for _, lines, _ in runs.values() for ln in lines)
    findings = pd.read_csv(base / "out" / "findings.csv", dtype=str, keep_default_na=False)
    assert not set(findings["code"]) & {"time_budget_exceeded", "extractor_failed", "worker_died"}
    assert runs["strict"][2] < BUDGET * 3 and runs["workers"][2] < BUDGET * 3
    assert peak < 1 << 30


def test_the_brochure_still_gives_its_37_cities(batch):
    _, _, base, _, _ = batch
    for out in ("out", "out2"):
        cities = pd.read_csv(base / out / "cities.csv", dtype=str, keep_default_na=False)
        assert (cities["document_id"] == BROCHURE.name).sum() == 37


def test_one_worker_or_two_give_the_same_tables(batch):
    _, _, base, _, _ = batch
    for csv in sorted((base / "out").glob("*.csv")):
        assert csv.read_bytes() == (base / "out2" / csv.name).read_bytes(), csv.name


def test_each_file_gives_its_line_its_finding_and_its_cities(batch):
    cases, raw, base, runs, _ = batch
    _, lines, _ = runs["strict"]
    findings = pd.read_csv(base / "out" / "findings.csv", dtype=str, keep_default_na=False)
    cities = pd.read_csv(base / "out" / "cities.csv", dtype=str, keep_default_na=False)
    wrong = []
    for c in cases:
        said = _lines_about(lines, raw, c.file)
        codes = set(findings.loc[findings["document_id"] == c.file, "code"])
        got = ((len(said) == 1 and c.says in said[0]) if c.says else said == [],
               c.code is None or c.code in codes, (cities["document_id"] == c.file).sum() == c.cities)
        if not all(got):
            wrong.append((c.case, c.file, said, sorted(codes), got))
    assert wrong == []
    named = [ln for c in cases + [hostileinputs.Case(0, BROCHURE.name, None, None)]
             for ln in _lines_about(lines, raw, c.file)]
    assert sorted(named) == sorted(lines[:-1])  # every line names a file of the batch


def test_folders_named_like_a_runs_are_left_alone(batch):
    _, _, base, _, _ = batch
    assert {name: (base / name / "notes.txt").read_text() for name in THEIRS} == THEIRS
    assert sorted(p.name for p in base.iterdir()) == sorted([*THEIRS, "out", "out2", "raw", "review"])


def test_the_review_reads_nothing_the_run_refused(batch):
    cases, _, base, runs, _ = batch
    _, lines, seconds = runs["review"]
    refused = sorted(c.file for c in cases if c.code == "document_unreadable")
    assert sorted(ln.split(": ")[1] for ln in lines if ln.endswith("not read again (the run did not extract it)")) \
        == refused
    assert seconds < BUDGET * 3 and (base / "review" / "index.html").is_file()
