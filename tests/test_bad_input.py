"""The bad-input corpus (``badinputs.py``) in one batch with the brochure:
each bad file gives one stderr line naming it and its problem, and its
finding; everything else is extracted. Then the exit codes, and paths.
The tests of the batch are marked slow (building and running it takes a
while); the others are not."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

import badinputs
from conftest import BROCHURE
from extract.cli import main
from extract.pipeline import document_rows, one_line


@pytest.fixture(scope="module")
def batch(tmp_path_factory, rules):
    """The corpus and the brochure run through the command once: (cases,
    raw folder, output folder, exit code, stderr lines)."""
    base = tmp_path_factory.mktemp("batch")
    raw = base / "raw"
    raw.mkdir()
    text = BROCHURE.read_text(encoding="utf-8")
    spans = sorted((c["char_start"], c["char_end"]) for c in document_rows(BROCHURE, rules)["cities"])
    cases = badinputs.build(raw, text, spans)
    shutil.copy(BROCHURE, raw)
    assert [c.file for c in cases] == list(badinputs.FILES)
    return cases, raw, base / "out"


@pytest.fixture(scope="module")
def ran(batch):
    """The command run on the batch in a process of its own: (exit code, stderr lines)."""
    cases, raw, out = batch
    proc = subprocess.run([sys.executable, "-m", "extract.cli", "run", str(raw), "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stderr.splitlines()


def _lines_about(lines: list[str], raw, name: str) -> list[str]:
    prefix = one_line(str(raw / name)) + ": "
    return [ln for ln in lines if ln.startswith(prefix)]


@pytest.mark.slow
def test_a_bad_batch_exits_0_with_one_summary_line(ran):
    code, lines = ran
    assert code == 0
    assert lines[-1].startswith("extract: ")
    assert not any("Traceback" in ln for ln in lines)


@pytest.mark.slow
def test_every_line_of_stderr_names_a_file_of_the_batch(batch, ran):
    cases, raw, _ = batch
    _, lines = ran
    named = [ln for c in cases for ln in _lines_about(lines, raw, c.file)]
    assert sorted(named) == sorted(lines[:-1])


@pytest.mark.slow
@pytest.mark.parametrize("case", badinputs.FILES)
def test_case(case, batch, ran):
    cases, raw, out = batch
    c = next(c for c in cases if c.file == case)
    _, lines = ran
    said = _lines_about(lines, raw, c.file)
    if c.says is None:
        assert said == []
    else:
        assert len(said) == 1 and c.says in said[0], said
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    codes = set(findings.loc[findings["document_id"] == c.file, "code"])
    if c.code:
        assert c.code in codes
    assert not codes & {"extractor_failed", "time_budget_exceeded"}
    cities = pd.read_csv(out / "cities.csv", keep_default_na=False)
    assert (cities["document_id"] == c.file).sum() == c.cities


@pytest.mark.slow
def test_the_good_documents_of_the_batch_are_extracted(batch, ran):
    _, _, out = batch
    cities = pd.read_csv(out / "cities.csv", keep_default_na=False)
    assert (cities["document_id"] == BROCHURE.name).sum() == 37


@pytest.mark.slow
def test_strict_exits_1_on_error_findings(batch, tmp_path):
    cases, raw, _ = batch
    assert main(["run", str(raw / "empty.txt"), "--out", str(tmp_path / "o"), "--strict"]) == 1
    assert main(["run", str(BROCHURE), "--out", str(tmp_path / "o"), "--strict"]) == 0


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o")]) == 2
    assert "missing.txt: no such file or folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--no-such-option"])
    assert exit_.value.code == 2


def test_limits_are_options(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["run", str(BROCHURE), "--out", str(out), "--max-file-mb", "0.01"]) == 0
    assert "over the limit of 0.01 MB" in capsys.readouterr().err
    assert main(["run", str(BROCHURE), "--out", str(out), "--max-line-chars", "50"]) == 0
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    assert (findings["code"] == "line_too_long").sum() > 10
    assert main(["run", str(BROCHURE), "--out", str(out), "--time-budget", "0.001"]) == 0
    assert "took longer than its time budget" in capsys.readouterr().err
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    assert list(findings["code"]) == ["time_budget_exceeded"]  # its rows were rolled back


@pytest.mark.slow
def test_page_limit(batch, tmp_path, capsys):
    _, raw, _ = batch
    assert main(["run", str(raw / "good.pdf"), "--out", str(tmp_path / "o"), "--max-pages", "2"]) == 0
    assert "has 3 pages, over the limit of 2 (--max-pages)" in capsys.readouterr().err


def test_a_fault_in_the_program_is_one_line_and_exit_4(monkeypatch, tmp_path, capsys):
    import extract.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("something the code did not expect")

    monkeypatch.setattr(extract.pipeline, "run", broken)  # the command imports it when it runs
    monkeypatch.delenv("EXTRACT_DEBUG", raising=False)
    assert main(["run", str(BROCHURE), "--out", str(tmp_path / "o")]) == 4
    err = capsys.readouterr().err.splitlines()
    assert err == ["extract: internal error: RuntimeError: something the code did not expect "
                   "(set EXTRACT_DEBUG=1 for the traceback)"]


def test_an_output_folder_that_is_not_one_is_refused_before_any_work(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    assert main(["run", str(BROCHURE), "--out", str(tmp_path)]) == 2
    assert "is not an output folder" in capsys.readouterr().err


@pytest.mark.slow
def test_output_goes_only_into_the_output_folder(batch, ran):
    """Whatever the documents are called or contain, the run writes only its
    own files, and only into the output folder."""
    cases, raw, out = batch
    tables = {p.stem for p in out.glob("*.csv")}
    assert {p.name for p in out.iterdir()} == {f"{t}{s}" for t in tables for s in (".csv", ".parquet")} | {
        "datapackage.json", "run.json", "extract.db"}
    assert sorted(p.name for p in out.parent.iterdir()) == ["out", "raw"]  # no temporary folder left beside it
    assert sorted(p.name for p in raw.iterdir()) == sorted([c.file for c in cases] + [BROCHURE.name])


def test_file_names_that_look_like_paths_or_commands_stay_values(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    names = ["..", "$(touch pwned).txt", "; rm -rf ~.txt", "-rf", "%2e%2e%2fescape.txt"]
    profile = (BROCHURE.parent / "web-profile-kaunas.txt").read_bytes()
    for n, name in enumerate(names[1:]):  # not byte-identical, or all but one would be read once (input_duplicated)
        (raw / name).write_bytes(profile + b"\n" * n)
    out = tmp_path / "out"
    assert main(["run", str(raw), "--out", str(out)]) == 0
    cities = pd.read_csv(out / "cities.csv", keep_default_na=False)
    assert sorted(cities["document_id"]) == sorted(names[1:])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "raw"]
    assert not (tmp_path / "pwned").exists()


def test_an_output_folder_inside_the_input_folder_is_not_read_as_input(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(BROCHURE.parent / "web-profile-kaunas.txt", raw)
    for _ in range(2):
        assert main(["run", str(raw), "--out", str(raw / "output"), "--strict"]) == 0
    findings = pd.read_csv(raw / "output" / "findings.csv", keep_default_na=False)
    assert set(findings["document_id"]) == {"web-profile-kaunas.txt"}
