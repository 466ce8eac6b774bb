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


def _pdf_without_text(path):
    """A PDF whose only page is a drawing (a scan has no text layer either)."""
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))


def test_bad_document_does_not_stop_the_batch(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(BROCHURE, raw)
    shutil.copy(BROCHURE.parent / "web-profile-kaunas.txt", raw)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "notes.txt").write_text("Nothing here looks like a portrait.\n", encoding="utf-8")
    _pdf_without_text(raw / "scan.pdf")
    (raw / "truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    out = tmp_path / "out"
    assert main(["run", str(raw), "--out", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    problems = {line.split(": ", 1)[0].rsplit("/", 1)[-1]: line.split(": ", 1)[1] for line in err[:-1]}
    assert problems["empty.txt"] == "is empty"
    assert problems["notes.txt"].startswith("unknown format (looked for brochure: member-list")
    assert problems["scan.pdf"].startswith("has no text layer")
    assert problems["truncated.pdf"].startswith("is not a readable PDF")
    assert len(err) == 5  # one line per bad document, then the summary
    findings = (out / "findings.csv").read_text(encoding="utf-8")
    for doc, code in [("empty.txt", "document_unreadable"), ("notes.txt", "format_unknown"),
                      ("scan.pdf", "document_unreadable"), ("truncated.pdf", "document_unreadable")]:
        assert f"{doc},,documents,document,error,{code}" in findings
    cities = (out / "cities.csv").read_text(encoding="utf-8")
    assert cities.count("gnlc-portraits-2016.txt") == 37
    assert cities.count("web-profile-kaunas.txt") == 1
    assert main(["run", str(raw), "--out", str(out), "--strict"]) == 1


def test_broken_rules_exit_3(tmp_path, capsys):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "headings.yaml").write_text("kind: headings\nrules: [{id: h}]\n", encoding="utf-8")
    assert main(["run", str(BROCHURE), "--out", str(tmp_path / "o"), "--rules", str(rules)]) == 3
    assert "extract:" in capsys.readouterr().err
