"""Issue 16: hostile inputs, one test (or a few) per numbered case, each
built by code in ``tmp_path``. Nothing hangs, nothing is lost, nothing
outside ``--out`` is touched. Each test holds its own deadline (``deadline``),
so a hang fails it instead of stopping the suite."""
from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

import pandas as pd
import pytest

import hostileinputs
from conftest import BROCHURE
from extract.cli import main
from extract.read.ingest import ingest

PROFILE = BROCHURE.parent / "web-profile-kaunas.txt"
BROCHURE_TEXT = BROCHURE.read_text(encoding="utf-8")


class Hung(Exception):
    """The code under test ran past the test's deadline."""


@contextmanager
def deadline(seconds: float):
    """Raise ``Hung`` in the block once ``seconds`` have passed. A watchdog
    thread signals the main thread (SIGUSR1, every second from then on), so
    the deadline holds whatever the code does with SIGALRM, and a blocking
    ``open`` or ``read`` is interrupted too."""
    done = threading.Event()
    main_thread = threading.main_thread().ident

    def expire(signum, frame):
        raise Hung(f"still running after {seconds} s")

    def watch():
        if not done.wait(seconds):
            while not done.is_set():
                signal.pthread_kill(main_thread, signal.SIGUSR1)
                done.wait(1)

    previous = signal.signal(signal.SIGUSR1, expire)
    watchdog = threading.Thread(target=watch, daemon=True)
    watchdog.start()
    try:
        yield
    finally:
        done.set()
        watchdog.join()
        signal.signal(signal.SIGUSR1, previous)


def rows_of(path: Path, rules) -> dict[str, list[dict]]:
    from extract.pipeline import document_rows
    with deadline(60):
        return document_rows(path, rules)


def findings_of(out: Path) -> list[tuple[str, str, str]]:
    """``(document_id, code, message)`` of each finding of a run's output."""
    f = pd.read_csv(out / "findings.csv", dtype=str, keep_default_na=False)
    return list(zip(f["document_id"], f["code"], f["message"]))


def cities_of(out: Path) -> list[tuple[str, str]]:
    c = pd.read_csv(out / "cities.csv", dtype=str, keep_default_na=False)
    return sorted(zip(c["document_id"], c["city_id"]))


# 1. A FIFO or a device named as an input is refused unopened, within the budget.

def test_case1_a_fifo_or_a_device_is_refused_not_waited_on(tmp_path, capsys):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    with deadline(30):
        assert main(["run", str(fifo), str(zero), str(PROFILE), "--out", str(tmp_path / "o"),
                     "--time-budget", "5"]) == 0
    err = capsys.readouterr().err
    assert f"{fifo}: is a FIFO (named pipe), not a regular file" in err
    assert f"{zero}: is a character device, not a regular file" in err
    assert ("pipe.txt", "document_unreadable", "is a FIFO (named pipe), not a regular file") in findings_of(
        tmp_path / "o")
    assert cities_of(tmp_path / "o") == [("web-profile-kaunas.txt", "kaunas-ltu")]


# 2. A file name that is not UTF-8 is data: its id shows the bytes escaped.

def test_case2_a_file_name_that_is_not_utf8_does_not_stop_the_batch(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_bytes(PROFILE.read_bytes())
    # not byte-identical to good.txt, which would be read once (input_duplicated)
    (Path(os.fsdecode(bytes(raw) + b"/bad\xff\xfename.txt"))).write_bytes(PROFILE.read_bytes() + b"\n")
    (Path(os.fsdecode(bytes(raw) + b"/empty\xff.txt"))).write_bytes(b"")
    with deadline(60):
        assert main(["run", str(raw), "--out", str(tmp_path / "o")]) == 0
    assert cities_of(tmp_path / "o") == [("bad\\xff\\xfename.txt", "kaunas-ltu"), ("good.txt", "kaunas-ltu")]
    assert f"{raw}/empty\\xff.txt: is empty" in capsys.readouterr().err
    run = (tmp_path / "o" / "run.json").read_text(encoding="utf-8")
    assert '"document_id": "bad\\\\xff\\\\xfename.txt"' in run


# 9. What cannot be read in a folder is one line and a finding each.

def test_case9_special_files_and_unreadable_folders_in_a_folder_are_reported(tmp_path, capsys, monkeypatch):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "locked").mkdir()
    (raw / "sub" / "profile.txt").write_bytes(PROFILE.read_bytes())
    os.mkfifo(raw / "pipe.txt")
    (raw / "zero.txt").symlink_to("/dev/zero")
    (raw / "broken.txt").symlink_to("nowhere")
    (raw / "loop-a").symlink_to("loop-b")
    (raw / "loop-b").symlink_to("loop-a")
    scandir = os.scandir

    def refusing(path="."):  # root may enter any folder: refuse one as for a user without the right
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    with deadline(60):
        assert main(["run", str(raw), "--out", str(tmp_path / "o"), "--time-budget", "5"]) == 0
    monkeypatch.undo()
    err = capsys.readouterr().err.splitlines()
    assert err[:-1] == [f"{raw}/broken.txt: is a symbolic link to nothing (a broken link)",
                        f"{raw}/locked: is a folder that cannot be read (Permission denied)",
                        f"{raw}/loop-a: is a symbolic link loop (Too many levels of symbolic links)",
                        f"{raw}/loop-b: is a symbolic link loop (Too many levels of symbolic links)",
                        f"{raw}/pipe.txt: is a FIFO (named pipe), not a regular file",
                        f"{raw}/zero.txt: is a character device, not a regular file"]
    assert [(d, c) for d, c, _ in findings_of(tmp_path / "o") if c == "document_unreadable"] == [
        (d, "document_unreadable") for d in ("broken.txt", "locked", "loop-a", "loop-b", "pipe.txt", "zero.txt")]
    assert cities_of(tmp_path / "o") == [("sub/profile.txt", "kaunas-ltu")]


def test_case9_a_symbolic_link_loop_named_is_no_missing_file(tmp_path, capsys):
    (tmp_path / "loop-a").symlink_to("loop-b")
    (tmp_path / "loop-b").symlink_to("loop-a")
    assert main(["run", str(tmp_path / "loop-a"), "--out", str(tmp_path / "o")]) == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{tmp_path}/loop-a: is a symbolic link loop (Too many levels of symbolic links)")
    assert main(["run", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o")]) == 2


# 3. Recovery touches only the folders a run made and marked, never one matched by name.

def test_case3_folders_named_like_a_runs_are_left_alone(tmp_path):
    out = tmp_path / "out"
    theirs = {".out.tmp-1": "draft", ".out.old-1": "old notes", ".out.tmp-0123456789abcdef": "kept",
              ".out.old-0123456789abcdef": "also kept"}
    for name, text in theirs.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "notes.txt").write_text(text)
    for _ in range(2):  # with no output yet (an old folder is not adopted), then with one
        assert main(["run", str(PROFILE), "--out", str(out)]) == 0
        assert {p.name: (p / "notes.txt").read_text() for p in tmp_path.iterdir() if p.name != "out"} == theirs
        assert cities_of(out) == [("web-profile-kaunas.txt", "kaunas-ltu")]
        assert not (out / "notes.txt").exists() and not (out / ".extract-run").exists()


# 12. An error of the file system on output is one line and exit 2; the previous output stays.

@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES], ids=["ENOSPC", "EROFS", "EACCES"])
def test_case12_an_os_error_on_output_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch, code):
    from extract.tables import write
    out = tmp_path / "out"
    assert main(["run", str(PROFILE), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()

    def failing(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(out.parent / "x"))

    monkeypatch.setattr(write, "_table_to_files", failing)
    monkeypatch.delenv("EXTRACT_DEBUG", raising=False)
    assert main(["run", str(PROFILE), "--out", str(out)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"extract: {out}: the output could not be written ({os.strerror(code)}); the previous output is left as it was"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_case12_an_output_path_through_a_file_or_a_report_into_no_folder_exits_2(tmp_path, capsys):
    (tmp_path / "file").write_text("text\n")
    assert main(["run", str(PROFILE), "--out", str(tmp_path / "file" / "out")]) == 2
    assert "the output could not be written (Not a directory)" in capsys.readouterr().err
    baseline = tmp_path / "baseline"
    assert main(["run", str(PROFILE), "--out", str(baseline)]) == 0
    capsys.readouterr()
    report = tmp_path / "missing" / "report.md"
    assert main(["diff", str(PROFILE), "--baseline", str(baseline), "--report", str(report)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == f"extract: {report}: the report could not be written (No such file or directory)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline", "file"]


# 11. Every option is checked by its argparse type: exit 2 and a line naming what is expected.

BAD_OPTIONS = [("run", "--time-budget", "inf"), ("run", "--time-budget", "nan"), ("run", "--time-budget", "-1"),
               ("run", "--time-budget", "1e300"), ("run", "--max-file-mb", "inf"), ("run", "--max-file-mb", "nan"),
               ("run", "--max-file-mb", "0"), ("run", "--max-file-mb", "-5"), ("run", "--max-pages", "-1"),
               ("run", "--max-pages", "0"), ("run", "--max-pages", "2.5"), ("run", "--max-line-chars", "-10"),
               ("run", "--workers", "-3"), ("run", "--workers", "0"), ("run", "--workers", "many"),
               ("diff", "--rel-tol", "nan"), ("diff", "--abs-tol", "-1"), ("bench", "--workers", "-1"),
               ("bench", "--sizes", "0")]


@pytest.mark.parametrize("command,option,value", BAD_OPTIONS, ids=[" ".join(o) for o in BAD_OPTIONS])
def test_case11_a_bad_option_value_exits_2_with_a_clear_line(tmp_path, capsys, command, option, value):
    with pytest.raises(SystemExit) as exit_:
        main([command, f"{option}={value}"] + (["--out", str(tmp_path / "o")] if command == "run" else []))
    assert exit_.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith(f"extract {command}: error: argument {option}: must be ")
    assert err[-1].endswith(f", not {value!r}")
    assert not (tmp_path / "o").exists()


# 7. Decoding loses at most the bad bytes; every Unicode line end is a line end.

DAMAGE = hostileinputs.DAMAGE


@pytest.fixture(scope="module")
def clean_head(tmp_path_factory, rules):
    path = tmp_path_factory.mktemp("clean") / "head.txt"
    path.write_text(hostileinputs.brochure_head(BROCHURE_TEXT, 4), encoding="utf-8")
    return rows_of(path, rules)


def _what(rows: dict) -> dict:
    return {"cities": sorted(r["city_id"] for r in rows["cities"]), "quotes": len(rows["quotes"]),
            "contacts": sorted(r["name"] for r in rows["contacts"]),
            "indicators": len(rows["indicators"]), "sections": len(rows["sections"])}


@pytest.mark.parametrize("how", list(DAMAGE))
def test_case7_decoding_loses_at_most_the_bad_bytes(tmp_path, rules, clean_head, how):
    path = tmp_path / "damaged.txt"
    path.write_bytes(hostileinputs.damaged(hostileinputs.brochure_head(BROCHURE_TEXT, 4), how))
    rows = rows_of(path, rules)
    codes = [f["code"] for f in rows["findings"] if f["severity"] != "info"]
    assert _what(rows) == _what(clean_head)
    assert not {"document_unreadable", "extractor_failed", "encoding_guessed", "encoding_repaired"} & set(codes)
    replaced = [f for f in rows["findings"] if f["code"] == "bytes_replaced"]
    assert [f["message"].split(" byte(s)")[0] for f in replaced] == ["1"] * DAMAGE[how]
    for f in replaced:
        assert f["char_end"] == f["char_start"] + 1


# 5. Member lists and tables degrade cell by cell.

def test_case5_a_misspelt_country_costs_only_its_own_entry(tmp_path, rules):
    from extract.portrait.segment import SegmentRules, segment
    from extract.read.ingest import ingest
    clean = tmp_path / "clean.txt"
    clean.write_text(hostileinputs.brochure_head(BROCHURE_TEXT, 2), encoding="utf-8")
    text, entry = hostileinputs.misspelt_first_entry(hostileinputs.brochure_head(BROCHURE_TEXT, 2))
    assert "Awardee" not in text
    damaged = tmp_path / "misspelt.txt"
    damaged.write_text(text, encoding="utf-8")
    before = segment(ingest(clean), SegmentRules.of(rules)).members
    seg = segment(ingest(damaged), SegmentRules.of(rules))
    assert [(m.city, m.country) for m in seg.members] == [(m.city, m.country) for m in before[1:]]
    assert [seg.document.text[s.start:s.end] for s in seg.member_unreadable] == [entry]
    codes = [f["code"] for f in rows_of(damaged, rules)["findings"]]
    assert codes.count("member_entry_unparsed") == 1


@pytest.mark.parametrize("digits", ["０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९"],
                         ids=["fullwidth", "arabic-indic", "devanagari"])
def test_case5_every_decimal_digit_is_a_digit(tmp_path, rules, clean_head, digits):
    path = tmp_path / "digits.txt"
    text = hostileinputs.brochure_head(BROCHURE_TEXT, 4)
    path.write_text(text.translate(str.maketrans("0123456789", digits)), encoding="utf-8")
    rows = rows_of(path, rules)
    assert _what(rows) == _what(clean_head)
    values = [(r["city_id"], r["indicator"], r["value"], r["year"]) for r in rows["indicators"]]
    assert values == [(r["city_id"], r["indicator"], r["value"], r["year"]) for r in clean_head["indicators"]]
    [note] = [f for f in rows["findings"] if f["code"] == "digits_converted"]
    ascii_digits = sum(c in "0123456789" for c in text)
    assert note["severity"] == "info" and note["message"].startswith(f"{ascii_digits:,} digit(s)")
    assert note["char_start"] == next(i for i, c in enumerate(text) if c in "0123456789")


# 6. A portrait the document ends inside, in its body, is portrait_truncated; --strict exits 1.

def test_case6_a_brochure_cut_in_a_portraits_body_is_truncated(tmp_path, capsys):
    cut = tmp_path / "cut.txt"
    cut.write_text(hostileinputs.cut_in_body(BROCHURE_TEXT, 3), encoding="utf-8")
    assert main(["run", str(cut), "--out", str(tmp_path / "o"), "--strict"]) == 1
    found = [(d, c) for d, c, m in findings_of(tmp_path / "o") if c == "portrait_truncated"]
    cities = cities_of(tmp_path / "o")
    assert len(cities) == 3 and found == [("cut.txt", "portrait_truncated")]
    assert "ends inside this portrait's body, before its challenges, plan, contact (cut off?)" in capsys.readouterr().err


def test_case6_a_section_no_portrait_of_the_brochure_prints_is_no_cut(tmp_path, capsys):
    # Portraits without contact blocks, the document ending after the last
    # one's plan: the brochure prints none, so nothing was cut off.
    whole = tmp_path / "whole"
    whole.mkdir()
    text = hostileinputs.without_contacts(hostileinputs.brochure_head(BROCHURE_TEXT, 3))
    (whole / "nocontacts.txt").write_text(text, encoding="utf-8")
    main(["run", str(whole), "--out", str(tmp_path / "o")])
    codes = [c for _, c, _ in findings_of(tmp_path / "o")]
    assert len(cities_of(tmp_path / "o")) == 3 and "portrait_truncated" not in codes
    assert codes.count("section_missing") == 3  # each portrait still says it has no contact block
    # The same brochure cut in the last portrait's challenges: a cut before its plan.
    cut = tmp_path / "cut"
    cut.mkdir()
    (cut / "nocontacts.txt").write_text(hostileinputs.cut_in(text, "Challenges"), encoding="utf-8")
    capsys.readouterr()
    assert main(["run", str(cut), "--out", str(tmp_path / "o2"), "--strict"]) == 1
    assert [c for _, c, _ in findings_of(tmp_path / "o2")].count("portrait_truncated") == 1
    assert "ends inside this portrait's body, before its plan (cut off?)" in capsys.readouterr().err


# 10. A long line (blanked, or a run of spaces under the limit) costs linear time on a challenge page.

def test_case10_a_challenge_page_with_a_long_line_stays_within_its_budget(tmp_path, rules):
    from extract.pipeline import document_rows
    from extract.read.limits import Limits
    lines = (BROCHURE.parent / "challenge-page-kaunas.txt").read_text(encoding="utf-8").split("\n")
    k = len(lines) // 2
    page = tmp_path / "page.txt"
    page.write_text("\n".join(lines[:k] + ["x" * 150_000, "x." + " " * 90_000 + "y"] + lines[k:]), encoding="utf-8")
    with deadline(60):
        rows = document_rows(page, rules, Limits(document_seconds=20))
    errors = [f["code"] for f in rows["findings"] if f["severity"] == "error"]
    assert errors == ["line_too_long"]
    assert len(rows["challenges"]) == 1


# 13. Reports escape what they print; review reads no changed or refused source; page names are unique.

HOSTILE_NAME = "<img src=x onerror=alert(1)>`x`\x1b[2J\x1b]0;title\x07\u202e.txt"


def _outside_code(markdown: str) -> str:
    """What a Markdown renderer reads as Markdown: the text outside fenced
    blocks and code spans (each closed by a run of as many backticks)."""
    outside, fence = [], None
    for line in markdown.split("\n"):
        run = re.match(r"`{3,}", line)
        if fence is None and run:
            fence = run.group()
        elif fence is not None:
            fence = None if line.strip() == fence else fence
        else:
            outside.append(re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", line))
    return "\n".join(outside)


def test_case13_diff_reports_escape_names_and_values(tmp_path):
    import json

    from extract.qa.diff import diff_tables
    from extract.qa.diff_render import render
    from extract.tables.arrow import rows_to_table
    from extract.tables.write import write_tables

    def output(folder: Path, city: str, names: list[str]) -> Path:
        record = {"inputs": [{"document_id": n, "sha256": "0"} for n in names]}
        write_tables({"cities": rows_to_table("cities", [{"document_id": names[0], "city_id": "a-arg", "city": city}])},
                     folder, extra=lambda seconds: {"run.json": json.dumps(record)})
        return folder

    diffs = diff_tables(output(tmp_path / "a", "Alpha", ["a.txt"]),
                        output(tmp_path / "b", f"Alpha {HOSTILE_NAME} ```", [HOSTILE_NAME, "a.txt"]))
    text, markdown, page = (render(diffs, f) for f in ("text", "markdown", "html"))
    for report in (text, markdown, page):
        assert "\x1b" not in report and "\u202e" not in report and "\x07" not in report
    assert "\\x1b[2J" in text and "input added: <img src=x onerror=alert(1)>" in text
    outside = _outside_code(markdown)
    assert "<" not in outside and "onerror" not in outside and outside.startswith("- run: ")
    assert "onerror" in markdown and "<img" not in page


def test_case13_review_reads_no_source_that_changed_or_was_refused(tmp_path, capsys, monkeypatch):
    import extract.qa.review_html as review_html
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "profile.txt").write_bytes(PROFILE.read_bytes())
    (raw / "big.txt").write_bytes(PROFILE.read_bytes() * 40)
    (raw / "bomb.pdf").write_bytes(hostileinputs.inflating_pdf(5_000_000))
    out, dest = tmp_path / "out", tmp_path / "review"
    assert main(["run", str(raw), "--out", str(out), "--max-file-mb", "0.05", "--max-inflated-mb", "1"]) == 0
    (raw / "profile.txt").write_bytes(PROFILE.read_bytes().replace(b"Vision", b"Mission", 1))
    read = []
    monkeypatch.setattr(review_html, "ingest", lambda path, limits: read.append(Path(path).name) or ingest(path, limits))
    capsys.readouterr()
    assert main(["review", "--out", str(out), "--dest", str(dest)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[:3] == ["extract: big.txt: not read again (the run did not extract it)",
                       "extract: bomb.pdf: not read again (the run did not extract it)",
                       "extract: profile.txt: changed since the run (its SHA-256 differs from run.json); "
                       "its pages show no source text"]
    assert read == ["profile.txt"]
    page = next((dest / "profile.txt").glob("*.html")).read_text(encoding="utf-8")
    assert "Mission" not in page


def test_case13_review_reads_again_within_the_runs_time_budget(tmp_path, capsys, monkeypatch):
    import time

    import extract.qa.review_html as review_html
    out = tmp_path / "out"
    assert main(["run", str(PROFILE), "--out", str(out), "--time-budget", "1"]) == 0

    def slow(path, limits):
        time.sleep(30)

    monkeypatch.setattr(review_html, "ingest", slow)
    capsys.readouterr()
    with deadline(20):
        assert main(["review", "--out", str(out), "--dest", str(tmp_path / "review")]) == 0
    assert "web-profile-kaunas.txt: not shown (took longer than its time budget of 1 s" in capsys.readouterr().err


def test_case13_review_page_names_are_unique_per_document():
    from extract.qa.review_paths import page_path, safe_name
    ids = ["A.txt", "a.txt", "a_txt", "a-txt", "a txt", "A-TXT", "a.txt.", safe_name("A.txt"), safe_name("a txt")]
    paths = {page_path(d, "city", "x-arg") for d in ids}
    assert len(paths) == len(ids)
    cities = {page_path("a.txt", "city", c) for c in ids}
    assert len(cities) == len(ids)



# 4. A PDF is bounded: what its streams inflate to, its page box, the objects of a page.

PDF_CASES = {
    "inflates": (lambda: hostileinputs.inflating_pdf(5_000_000), ["--max-inflated-mb", "1"],
                 "has streams that inflate to over 1 MB, the limit (--max-inflated-mb)"),
    "wide page": (lambda: hostileinputs.wide_page_pdf(10**9), [],
                  "has a page (page 1) of 1,000,000,000 × 842 points, over the limit of 14,400 (--max-page-points)"),
    "busy page": (lambda: hostileinputs.busy_page_pdf(3000), ["--max-page-objects", "1000"],
                  "has a page (page 1) of over 1,000 objects (characters, lines, images), the limit "
                  "(--max-page-objects)"),
}


@pytest.mark.parametrize("case", list(PDF_CASES))
def test_case4_a_pdf_over_a_resource_limit_is_refused_with_its_own_line(tmp_path, capsys, case):
    build, options, says = PDF_CASES[case]
    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(build())
    within = tmp_path / "within.pdf"  # the same PDF is read when it is within the limits
    within.write_bytes(hostileinputs.one_page_pdf(hostileinputs.text_ops(["Vision and motivation"])))
    with deadline(60):
        assert main(["run", str(pdf), str(within), "--out", str(tmp_path / "o"), *options]) == 0
    hostile, read = capsys.readouterr().err.splitlines()[:-1]
    assert hostile == f"{pdf}: {says}" and read.startswith(f"{within}: unknown format (looked for")
    assert ("hostile.pdf", "document_unreadable", says) in findings_of(tmp_path / "o")


# 8. Workers: a worker that dies costs its document; Ctrl-C ends every process with 130; none outlives main.

def _processes_of(token: str) -> list:
    """The processes that carry ``token`` in their environment (a run started by the test and its children)."""
    import psutil
    out = []
    for p in psutil.process_iter():
        with suppress(psutil.Error):
            if p.environ().get("EXTRACT_HOSTILE_TOKEN") == token:
                out.append(p)
    return out


@pytest.fixture
def started(tmp_path):
    """``start(**popen)``: ``extract run`` of four brochures (16 portraits) with two workers,
    in a process of its own; once a worker runs (``moment``: or only the
    forkserver, ``server``; or both workers, ``both``) and ``settle``
    seconds later: (process, token, workers, the oldest first). What a failed test leaves running is killed afterwards."""
    tokens = []

    def start(moment: str = "worker", settle: float = 1.0, **popen) -> tuple[subprocess.Popen, str, list]:
        raw = tmp_path / "raw"
        raw.mkdir()
        for n, name in enumerate("abcd"):  # not byte-identical: none is read once as another's copy
            (raw / f"{name}.txt").write_text(hostileinputs.brochure_head(BROCHURE_TEXT, 16) + "\n" * n,
                                             encoding="utf-8")
        token = uuid.uuid4().hex
        tokens.append(token)
        env = dict(os.environ, EXTRACT_HOSTILE_TOKEN=token, PYTHONPATH=os.pathsep.join(sys.path))
        proc = subprocess.Popen([sys.executable, "-m", "extract", "run", str(raw), "--out", str(tmp_path / "out"),
                                 "--workers", "2"], env=env, stderr=subprocess.PIPE, text=True, **popen)
        with deadline(120):
            while True:
                ours = _processes_of(token)
                server = [p for p in ours if p.ppid() == proc.pid and "forkserver" in " ".join(p.cmdline())]
                workers = [p for p in ours if server and p.ppid() == server[0].pid]
                if len(workers) >= {"server": 0, "worker": 1, "both": 2}[moment] and server:
                    time.sleep(settle)  # a worker holds its first document
                    return proc, token, sorted(workers, key=lambda p: p.create_time())
                assert proc.poll() is None, proc.stderr.read()
                time.sleep(0.05)

    yield start
    for token in tokens:
        for p in _processes_of(token):
            with suppress(OSError):
                p.kill()


def _none_left(token: str, seconds: float = 5) -> list:
    end = time.monotonic() + seconds
    while _processes_of(token) and time.monotonic() < end:
        time.sleep(0.1)
    return [(p.pid, " ".join(p.cmdline())[:80]) for p in _processes_of(token)]


@pytest.mark.slow
def test_case8_a_killed_worker_costs_only_its_document(tmp_path, started):
    proc, token, workers = started("both", 0.0)  # the first worker was given a document before the second began
    workers[0].send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    died = [(d, m) for d, c, m in findings_of(tmp_path / "out") if c == "worker_died"]
    assert len(died) == 1 and died[0][1].startswith("the worker process extracting it was killed by SIGKILL")
    assert f"{died[0][0]}: the worker process extracting it was killed by SIGKILL" in err
    cities = cities_of(tmp_path / "out")
    assert len(cities) == 3 * 16 and died[0][0] not in {d for d, _ in cities}
    assert _none_left(token) == []


@pytest.mark.slow
def test_case8_ctrl_c_ends_every_process_with_130_and_no_traceback(tmp_path, started):
    proc, token, _ = started("server", 0.5, start_new_session=True)  # the forkserver is loading the package
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does on Ctrl-C: the whole group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.splitlines() == ["extract: interrupted; output/ left as it was"]
    assert _none_left(token) == [] and not (tmp_path / "out").exists()


@pytest.mark.slow
def test_case8_no_process_outlives_a_killed_main_process(tmp_path, started):
    proc, token, _ = started()
    proc.kill()
    proc.wait()
    assert _none_left(token) == []
