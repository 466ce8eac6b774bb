"""End to end through the command: determinism, a bad document in the batch, exit codes."""
from __future__ import annotations

import shutil

from conftest import BROCHURE
from extract.cli import main


def test_run_twice_is_byte_identical(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(BROCHURE, raw)
    for out in ("a", "b"):
        assert main(["run", str(raw), "--out", str(tmp_path / out)]) == 0
    for csv in (tmp_path / "a").glob("*.csv"):
        assert csv.read_bytes() == (tmp_path / "b" / csv.name).read_bytes(), csv.name
    assert (tmp_path / "a" / "datapackage.json").read_bytes() == (tmp_path / "b" / "datapackage.json").read_bytes()


def test_bad_document_does_not_stop_the_batch(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(BROCHURE, raw)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "notes.txt").write_text("Nothing here looks like a portrait.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(raw), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "empty.txt: is empty" in err
    assert "notes.txt: no portrait found" in err
    findings = (out / "findings.csv").read_text(encoding="utf-8")
    assert "empty.txt,,documents,document,error,document_unreadable" in findings
    assert "notes.txt,,documents,document,error,no_portraits" in findings
    assert (out / "cities.csv").read_text(encoding="utf-8").count("gnlc-portraits-2016.txt") == 37
    assert main(["run", str(raw), "--out", str(out), "--strict"]) == 1


def test_broken_rules_exit_3(tmp_path, capsys):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "headings.yaml").write_text("kind: headings\nrules: [{id: h}]\n", encoding="utf-8")
    assert main(["run", str(BROCHURE), "--out", str(tmp_path / "o"), "--rules", str(rules)]) == 3
    assert "extract:" in capsys.readouterr().err
