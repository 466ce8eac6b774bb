"""The benchmark's corpus and figures: the corpus is deterministic, has the
portraits asked for, and every document of it reads as a brochure; a tiny
benchmark in a fresh process gives sane figures (CPU, memory, the floor); a
command is timed in a process of its own; the printout names every target
with met or not met. Timings are measured by ``extract bench``, never
asserted here."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import Counter
from dataclasses import replace

import pandas as pd
import pytest

from conftest import BROCHURE
from extract.bench.bench import bench, command_time
from extract.bench.bench_render import Figure, figure_verdict, render_bench, report_to_figures
from extract.bench.floor import measure_floor, theme_phrases, vocabulary_re
from extract.bench.memory import child_peaks
from extract.bench.results import BenchReport, BenchResult, CommandTime, Floor, PdfResult, best_runs
from extract.bench.synthetic import (
    WRAP_WIDTHS,
    Variation,
    brochure_parts,
    build_corpus,
    corpus_plan,
    plain_numbers,
    plan_to_text,
    vary,
)
from extract.pipeline import document_rows, run
from extract.tables.runinfo import STAGES

HAS_SPACY = importlib.util.find_spec("spacy") is not None


@pytest.fixture(scope="module")
def parts(rules):
    return brochure_parts(BROCHURE, rules)


@pytest.fixture(scope="module")
def plain(parts, rules, tmp_path_factory):
    """The brochure put together from its parts, and its cities and indicators."""
    text = parts.front + "\n\n\n\n".join(parts.portraits) + parts.back
    path = tmp_path_factory.mktemp("plain") / "plain.txt"
    path.write_bytes(text.encode("utf-8"))
    return text, _indicators(path, rules)


def _indicators(path, rules) -> tuple[Counter, list[tuple]]:
    """Cities and indicator values of one document, offsets left out."""
    rows = document_rows(path, rules)
    return (Counter(c["city_id"] for c in rows["cities"]),
            sorted((i["city_id"], i["indicator"], i["scope"], i["group"], i["value"], i["value_min"], i["value_max"],
                    i["year"]) for i in rows["indicators"]))


def test_the_parts_make_the_brochure_again(parts):
    text = BROCHURE.read_text(encoding="utf-8")
    assert len(parts.portraits) == len(set(parts.city_ids)) == 37
    assert (parts.front + "\n\n\n\n".join(parts.portraits) + parts.back).strip() == text.strip()


@pytest.mark.parametrize("variation", [
    Variation(tab_stops=4), Variation(tab_stops=8), Variation(nbsp=True), Variation(typographic=True),
    Variation(unparagraphed=True), Variation(crlf=True),
    Variation(wrap_width=WRAP_WIDTHS[0]), Variation(wrap_width=WRAP_WIDTHS[-1]), "plain numbers",
], ids=lambda v: v if isinstance(v, str) else ",".join(f"{k}={x}" for k, x in vars(v).items() if x))
def test_each_variation_reads_like_the_plain_brochure(variation, parts, plain, rules, tmp_path):
    """A variation is in the corpus only if the brochure varied that way gives
    the same cities and indicator values as the plain one."""
    text, want = plain
    if variation == "plain numbers":
        varied = parts.front + "\n\n\n\n".join(map(plain_numbers, parts.portraits)) + parts.back
    else:
        varied = vary(text, variation)
    assert varied != text
    (tmp_path / "varied.txt").write_bytes(varied.encode("utf-8"))
    assert _indicators(tmp_path / "varied.txt", rules) == want


def test_the_corpus_is_deterministic_for_a_seed(parts, tmp_path):
    first = build_corpus(80, tmp_path / "a", seed=7, brochure=parts)
    again = build_corpus(80, tmp_path / "b", seed=7, brochure=parts)
    other = build_corpus(80, tmp_path / "c", seed=8, brochure=parts)
    assert [p.name for p in first] == [p.name for p in again]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]


@pytest.mark.parametrize("n", [1, 36, 37, 80, 10_000, 20_001])
def test_the_plan_prints_exactly_n_portraits_each_city_once_per_document(n):
    plans = corpus_plan(n, 37, seed=0)
    assert sum(len(p.portraits) for p in plans) == n
    assert all(len(set(p.portraits)) == len(p.portraits) for p in plans)
    assert all(len(p.plain_numbers) == len(p.portraits) for p in plans)
    assert len({p.name for p in plans}) == len(plans)


def test_the_plan_varies_every_kind(parts):
    plans = corpus_plan(2_000, 37, seed=0)
    kinds = Counter(k for p in plans for k, v in vars(p.variation).items() if v)
    assert set(kinds) == set(vars(Variation()))
    assert len({p.portraits[:5] for p in plans}) == len(plans)  # shuffled: no two documents open alike
    assert plan_to_text(plans[0], parts) != plan_to_text(replace(plans[0], variation=Variation()), parts)


def test_every_document_reads_as_a_brochure_with_all_its_portraits(parts, rules, tmp_path):
    n = 80
    paths = build_corpus(n, tmp_path / "corpus", seed=0, brochure=parts)
    summary = run([tmp_path / "corpus"], tmp_path / "out", rules, say=lambda line: None)
    cities = pd.read_csv(tmp_path / "out" / "cities.csv", dtype=str, keep_default_na=False)
    findings = pd.read_csv(tmp_path / "out" / "findings.csv", dtype=str, keep_default_na=False)
    assert summary.portraits == len(cities) == n
    assert findings[findings["severity"] == "error"].empty
    assert set(cities["source_format"]) == {"brochure"}
    want = {p.name: sorted(parts.city_ids[i] for i in plan.portraits)
            for p, plan in zip(paths, corpus_plan(n, len(parts.portraits), seed=0))}
    got = cities.groupby("document_id")["city_id"].apply(sorted).to_dict()
    assert got == want


def _sane(result: BenchResult, n: int, workers: int) -> None:
    assert (result.n, result.portraits, result.workers, result.errors) == (n, n, workers, 0)
    assert result.documents >= 1 and result.corpus_chars > 0
    assert result.wall_seconds > 0 and result.cpu_seconds > 0 and result.portraits_per_second > 0
    assert result.portraits_per_cpu_second > 0
    assert result.peak_rss_mb > 50  # the fresh process's own peak: Python, the rules and the run
    assert all(x >= 0 for x in result.load)
    assert {"ingest", "segment", "portraits", "tables", "write"} <= set(result.stage_seconds) <= set(STAGES)


def test_bench_in_a_fresh_process_gives_cpu_memory_and_the_floor(parts):
    result = bench(40, seed=1, brochure=parts)
    _sane(result, 40, 1)
    assert result.child_peaks_mb == ()
    floor = result.floor
    assert floor.chars == result.corpus_chars and floor.phrases > 400 and floor.rows > 40
    assert floor.matches > 40 * 5 and floor.phrase_hits > 0  # a portrait prints its labels and headings
    assert 0 < floor.seconds < result.cpu_seconds
    assert result.floor_ratio > 1 and result.floor_per_second > result.portraits_per_cpu_second
    if HAS_SPACY:
        assert result.tokenizer_seconds > 0 and result.tokenizer_ratio > 0
    else:
        assert result.tokenizer_seconds is None and result.tokenizer_ratio is None


def test_the_floor_on_a_tiny_corpus(parts, rules, tmp_path):
    """The floor of one brochure: every part timed, its labels, headings and
    theme phrases found, the tables written again row for row."""
    paths = build_corpus(37, tmp_path / "corpus", seed=0, brochure=parts)
    run([tmp_path / "corpus"], tmp_path / "out", rules, say=lambda line: None)
    floor = measure_floor(paths, rules, tmp_path / "out")
    assert all(x >= 0 for x in (floor.decode_seconds, floor.match_seconds, floor.phrase_seconds, floor.write_seconds))
    assert floor.seconds > 0 and floor.chars == sum(len(p.read_text(encoding="utf-8")) for p in paths)
    written = sum(len(pd.read_parquet(p)) for p in (tmp_path / "out").glob("*.parquet"))
    assert floor.rows == written > 0
    assert floor.phrases == len(theme_phrases()) > 400 and floor.phrase_hits > 0
    found = {m.group().casefold() for m in vocabulary_re(rules).finditer(paths[0].read_text(encoding="utf-8"))}
    assert {"population", "vision and motivation", "contact details"} <= found


def test_command_time_measures_a_process_of_its_own():
    timed = command_time(["--version"], repeats=1, warm_up=0)
    assert timed.command == "extract --version"
    assert timed.wall_seconds > 0 and timed.cpu_seconds > 0
    with pytest.raises(RuntimeError, match="exited 2"):
        command_time(["no-such-command"], repeats=1, warm_up=0)


def test_child_peaks_sees_a_child_process_and_its_memory():
    """How the memory of worker processes is measured: a child holding
    50 MB shows up with at least that much."""
    with child_peaks(every=0.05) as peaks:
        subprocess.run([sys.executable, "-c", "import time; x = bytearray(60_000_000); time.sleep(0.4)"], check=True)
    assert max(peaks.values()) >= 50


def _result(n: int, workers: int, wall: float, peak: float) -> BenchResult:
    return BenchResult(n, workers, n // 35, n, 0, n * 2_300, wall, wall * 0.9, peak, (90.0, 80.0) if workers > 1 else (),
                       {s: wall / 10 for s in STAGES}, 6.0 if workers == 1 else None,
                       Floor(0.1, 1.0, 0.3, 0.2) if workers == 1 else None, (1.0, 1.5))


REPORT = BenchReport(runs=(_result(10_000, 1, 12.0, 300.0), _result(10_000, 2, 7.5, 310.0),
                           _result(20_000, 1, 26.0, 420.0)),
                     pdf=PdfResult(28, 2.4, 3.6, 2.9), startup=CommandTime("extract run raw", 1.6, 1.4),
                     version=CommandTime("extract --version", 0.12, 0.1), seed=0,
                     load=(1.2, 1.1, 1.0), load_start=(0.9, 1.0, 1.0))
TARGETS = ["portraits per CPU-second, 1 worker, N=10,000", "portraits per CPU-second, 1 worker, N=20,000", "aim",
           "pipeline / floor (CPU), N=10,000", "pipeline / floor (CPU), N=20,000",
           "pipeline / spaCy tokenizer (CPU), N=10,000", "peak memory, N=10,000", "peak memory, N=20,000 / N=10,000",
           "CPU time(N=20,000) / time(N=10,000)", "wall speed-up, 2 workers vs 1, N=10,000",
           "extract run raw, CPU incl. start-up", "extract --version, wall",
           "PDF path's own share over pdfplumber's words"]


def test_render_bench_lists_every_target_with_met_or_not_met():
    text = render_bench(REPORT)
    for target in TARGETS:
        assert target in text
    lines = {f.label: figure_verdict(f) for f in report_to_figures(REPORT) if not f.label.startswith(" ")}
    assert lines["portraits per CPU-second, 1 worker, N=10,000"] == "NOT MET (1.08× off)"  # 926/s against 1,000
    assert lines["pipeline / floor (CPU), N=10,000"] == "NOT MET (1.69× off)"       # 10.8 s / 1.6 s against 4
    assert lines["peak memory, N=10,000"] == "met (1.33× to spare)"                 # 300 MB against 400
    assert lines["CPU time(N=20,000) / time(N=10,000)"] == "NOT MET (1.03× off)"     # 2.17 against 2.1
    assert lines["wall speed-up, 2 workers vs 1, N=10,000"] == "NOT MET (1.12× off)"  # 1.6 against 1.8
    assert lines["extract run raw, CPU incl. start-up"] == "NOT MET (1.40× off)"    # 1.4 s against 1.0
    assert lines["extract --version, wall"] == "met (2.50× to spare)"               # 0.12 s against 0.3
    assert lines["PDF path's own share over pdfplumber's words"] == "NOT MET (1.39× off)"  # 21% against 15%
    for section in ("Runs", "Floor", "Seconds per stage", "PDF", "Commands", "Targets"):
        assert any(line.startswith(section) for line in text.splitlines())
    assert "0.90 1.00 1.00 at the start, 1.20 1.10 1.00 at the end" in text
    assert "1.00→1.50" in text  # each run's load before and after


def test_render_bench_says_what_was_not_measured():
    text = render_bench(BenchReport(runs=(replace(_result(1_000, 1, 1.0, 200.0), tokenizer_seconds=None, floor=None),),
                                    notes=("spaCy is not installed",)))
    figs = {f.label: figure_verdict(f) for f in report_to_figures(BenchReport(runs=()))}
    assert set(figs.values()) == {"not measured"}
    assert "wall speed-up, 2 workers vs 1" in text and "not measured" in text and "- spaCy is not installed" in text


@pytest.mark.parametrize("fig,verdict", [
    (Figure("x", 2_500, 2_000, True), "met (1.25× to spare)"),
    (Figure("x", 500, 1_000, True), "NOT MET (2.00× off)"),
    (Figure("x", 0.2, 0.25, False), "met (1.25× to spare)"),
    (Figure("x", 0.0, 0.25, False), "met"),
    (Figure("x", None, 1, True), "not measured"),
])
def test_figure_verdict(fig, verdict):
    assert figure_verdict(fig) == verdict


def test_targets_take_each_sizes_best_round_and_its_highest_peak():
    """With two rounds, a size is judged by its least CPU (one worker) or
    least wall (workers), and by the highest peak memory of its rounds."""
    slow, fast = _result(10_000, 1, 12.0, 300.0), _result(10_000, 1, 9.0, 280.0)
    par_slow, par_fast = _result(10_000, 2, 8.0, 310.0), _result(10_000, 2, 6.0, 310.0)
    big = _result(20_000, 1, 20.0, 320.0)
    runs = (slow, par_fast, replace(big, repeat=1), replace(fast, repeat=2), replace(par_slow, repeat=2),
            replace(big, wall_seconds=30.0, cpu_seconds=27.0, peak_rss_mb=330.0, repeat=2))
    runs = tuple(replace(r, tokenizer_seconds=None) if r.repeat == 2 else r for r in runs)
    best = best_runs(runs)
    assert [(r.n, r.workers, r.repeat) for r in best] == [(10_000, 1, 2), (10_000, 2, 1), (20_000, 1, 1)]
    assert best[0].peak_rss_mb == 300.0 and best[2].peak_rss_mb == 330.0
    assert best[0].tokenizer_seconds == 6.0  # measured in the first round only
    figs = {f.label: f.measured for f in report_to_figures(BenchReport(runs=runs, repeats=2))}
    assert figs["CPU time(N=20,000) / time(N=10,000)"] == pytest.approx(18.0 / 8.1)
    assert figs["wall speed-up, 2 workers vs 1, N=10,000"] == pytest.approx(9.0 / 6.0)
    text = render_bench(BenchReport(runs=runs, repeats=2))
    assert "2 rounds" in text and len([line for line in text.splitlines() if line.startswith(" 10,000")]) >= 4
