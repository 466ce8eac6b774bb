"""``output/run.json`` and what the command says while it runs."""
from __future__ import annotations

import hashlib
import io
import json
import shutil

import pandas as pd

import extract.pipeline.progress
from conftest import BROCHURE
from extract.cli import main
from extract.pipeline.progress import Reporter
from extract.rules import load_rules
from extract.tables.runinfo import STAGES


def test_run_json_records_inputs_rules_counts_and_stages(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(BROCHURE, raw)
    (raw / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    assert main(["run", str(raw), "--out", str(out), "--quiet"]) == 0
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["rules_sha256"] == load_rules().digest
    assert [(i["document_id"], i["source_format"], i["portraits"], i["bytes"]) for i in record["inputs"]] == [
        ("empty.txt", "", 0, 0), (BROCHURE.name, "brochure", 37, BROCHURE.stat().st_size)]
    assert record["inputs"][1]["sha256"] == hashlib.sha256(BROCHURE.read_bytes()).hexdigest()
    for table, n in record["rows"].items():
        assert len(pd.read_parquet(out / f"{table}.parquet")) == n
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    assert record["findings_by_code"] == findings["code"].value_counts().sort_index().to_dict()
    assert record["findings_by_severity"]["error"] == 1
    assert set(record["seconds"]) == set(STAGES) - {"challenge_pages"}
    assert record["limits"]["max_file_bytes"] == 20_000_000


def test_quiet_says_only_problems_and_verbose_says_more(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(BROCHURE), "--out", str(out), "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["run", str(BROCHURE), str(tmp_path / "empty.txt"), "--out", str(out), "--quiet"]) == 0
    assert capsys.readouterr().err.splitlines() == [f"{tmp_path / 'empty.txt'}: is empty"]
    assert main(["run", str(BROCHURE), "--out", str(out), "--verbose"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"extract: {BROCHURE.name}: 37 portraits"
    assert err[1].startswith("extract: 1 document, 37 portraits")
    assert err[2].startswith("extract: seconds per stage: ingest ")


def test_piped_output_has_no_progress_bar(tmp_path, capsys):
    assert main(["run", str(BROCHURE), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and len(err.splitlines()) == 1


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_progress_bar_with_counts(monkeypatch):
    monkeypatch.setattr(extract.pipeline.progress, "DELAY", 0.0)
    stream = _Terminal()
    reporter = Reporter(stream)
    reporter.start(2)
    reporter.advance("a.txt", 37)
    reporter.say("a.txt: is empty")
    reporter.advance("b.txt", 1)
    reporter.summary("extract: done", {})
    text = stream.getvalue()
    assert "documents" in text and "38 portraits" in text
    assert "a.txt: is empty" in text and "extract: done" in text
