"""End to end through the command: determinism, a bad document in the batch, exit codes."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import BROCHURE, read_tables
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


# Issue 15: each defect of the command line, with the test that failed before its fix.

def _usage_error(argv: list[str], capsys) -> str:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's error
        code = exc.code
    assert code == 2
    return capsys.readouterr().err


def test_a_bad_option_shows_the_subcommands_usage_with_a_close_match(capsys):
    err = _usage_error(["run", "raw", "--wrokers", "2"], capsys)
    assert err.startswith("usage: extract run ") and "extract run: error: unrecognized arguments: --wrokers" in err
    assert "(did you mean --workers?)" in err
    err = _usage_error(["diff", "--formt", "html"], capsys)
    assert err.startswith("usage: extract diff ") and "(did you mean --format?)" in err


def test_a_misspelt_command_gets_the_closest_command(capsys):
    err = _usage_error(["rn", "raw"], capsys)
    assert err.startswith("usage: extract ") and "extract: error: unknown command 'rn' (did you mean run?)" in err
    err = _usage_error(["--version-", "reveiw", "--out", "o"], capsys)
    assert "(did you mean review?)" in err
    err = _usage_error(["frobnicate"], capsys)
    assert "unknown command 'frobnicate'; the commands: run, diff," in err


def test_a_bad_option_far_from_any_gets_no_suggestion(capsys):
    err = _usage_error(["run", "raw", "--bogus"], capsys)
    assert err.startswith("usage: extract run ") and err.rstrip().endswith("unrecognized argument: --bogus")


@pytest.mark.parametrize("argv, says", [
    (["run", "raw", "--workers", "0"], "--workers: must be a whole number of processes from 1 to 256, not '0'"),
    (["run", "raw", "--workers", "two"], "--workers: must be a whole number of processes from 1 to 256, not 'two'"),
    (["run", "raw", "--time-budget", "-1"], "--time-budget: must be a number of seconds above 0, at most 1,000,000, not '-1'"),
    (["run", "raw", "--time-budget", "0"], "--time-budget: must be a number of seconds above 0, at most 1,000,000, not '0'"),
    (["run", "raw", "--max-pages", "0"], "--max-pages: must be a whole number from 1 to 10,000,000, not '0'"),
    (["bench", "--workers", "0"], "--workers: must be a whole number of processes from 1 to 256, not '0'"),
])
def test_numeric_options_are_checked(argv, says, capsys):
    assert says in _usage_error(argv, capsys)


def test_review_of_a_folder_that_does_not_exist_is_a_usage_error(tmp_path, capsys):
    assert main(["review", "--out", str(tmp_path / "nonexistent"), "--dest", str(tmp_path / "r")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()
    (tmp_path / "empty").mkdir()
    assert main(["review", "--out", str(tmp_path / "empty"), "--dest", str(tmp_path / "r")]) == 2
    assert "no tables in this folder" in capsys.readouterr().err


def test_the_summary_line_uses_the_singular_for_one(tmp_path, capsys):
    assert main(["run", str(BROCHURE.parent / "web-profile-kaunas.txt"), "--out", str(tmp_path / "o"), "--verbose"]) == 0
    err = capsys.readouterr().err
    assert "extract: web-profile-kaunas.txt: 1 portrait\n" in err and "extract: 1 document, 1 portrait → " in err


def test_byte_identical_inputs_are_read_once_with_a_finding(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(BROCHURE.parent / "web-profile-kaunas.txt", raw / name)
    assert main(["run", str(raw), "--out", str(tmp_path / "o")]) == 0
    assert "b.txt: is byte for byte the same as a.txt (SHA-256); read once, as that file" in capsys.readouterr().err
    tables = read_tables(tmp_path / "o")
    assert list(tables["cities"]["document_id"]) == ["a.txt"]
    assert [(f["document_id"], f["code"], f["value"]) for f in tables["findings"].to_dict("records")
            if f["code"] == "input_duplicated"] == [("b.txt", "input_duplicated", "a.txt")]
    assert not [f for f in tables["findings"].to_dict("records") if f["document_id"] == "b.txt" and
                f["code"] != "input_duplicated"]
    record = json.loads((tmp_path / "o" / "run.json").read_text(encoding="utf-8"))
    assert [(i["document_id"], i["portraits"]) for i in record["inputs"]] == [("a.txt", 1), ("b.txt", 0)]
