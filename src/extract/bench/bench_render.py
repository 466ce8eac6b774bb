"""A ``BenchReport`` → the printout of ``extract bench``.

Input: a ``BenchReport`` (``results``). Output: one string: the machine and
its load average at the start and the end, the runs (wall and CPU seconds,
portraits per CPU-second, peak memory, the spaCy tokenizer and the floor),
the floor's parts, seconds per stage, the PDF figure, the commands, then
every target of issue 14 next to its measure (``Figure``), met or not met
and by how much (``figure_verdict``)."""
from __future__ import annotations

import os
import platform
from dataclasses import dataclass

from extract.bench.results import BenchReport, BenchResult, CommandTime, PdfResult, best_runs
from extract.tables.runinfo import STAGES


@dataclass(frozen=True)
class Figure:
    """One measure and its target: met when ``measured`` is at least
    (``at_least``) or at most ``goal``; ``measured`` None if not measured."""

    label: str
    measured: float | None
    goal: float
    at_least: bool
    fmt: str = "{:,.2f}"


def figure_verdict(fig: Figure) -> str:
    """``met (k× to spare)`` or ``NOT MET (k× off)``, k the factor between the measure and the goal."""
    if fig.measured is None:
        return "not measured"
    if fig.measured <= 0:
        return "NOT MET" if fig.at_least else "met"
    k = fig.goal / fig.measured if fig.at_least else fig.measured / fig.goal
    return f"met ({1 / k:.2f}× to spare)" if k <= 1 else f"NOT MET ({k:.2f}× off)"


def report_to_figures(report: BenchReport) -> list[Figure]:
    """A report → every target of ``extract bench`` (issue 14's, and the
    tokenizer ratio of before) with what was measured for it: each size's
    best round (``best_runs``)."""
    best = best_runs(report.runs)
    single = [r for r in best if r.workers == 1]
    figs = []
    for r in single:
        figs += [Figure(f"portraits per CPU-second, 1 worker, N={r.n:,}", r.portraits_per_cpu_second, 1_000, True,
                        "{:,.0f}"),
                 Figure("  aim", r.portraits_per_cpu_second, 2_000, True, "{:,.0f}"),
                 Figure(f"pipeline / floor (CPU), N={r.n:,}", r.floor_ratio, 4, False, "{:.1f}×"),
                 Figure("  aim", r.floor_ratio, 2, False, "{:.1f}×"),
                 Figure(f"pipeline / spaCy tokenizer (CPU), N={r.n:,}", r.tokenizer_ratio, 0.5, False, "{:.2f}×")]
    first, last = (single[0], single[-1]) if single else (None, None)
    figs.append(Figure(f"peak memory, N={first.n:,}" if first else "peak memory",
                       first.peak_rss_mb if first else None, 400, False, "{:,.0f} MB"))
    if first and last is not first:
        figs += [Figure(f"peak memory, N={last.n:,} / N={first.n:,}", last.peak_rss_mb / first.peak_rss_mb,
                        1.1, False, "{:.2f}×"),
                 Figure(f"CPU time(N={last.n:,}) / time(N={first.n:,})", last.cpu_seconds / first.cpu_seconds,
                        1.05 * last.n / first.n, False, "{:.2f}×")]
    par = next((r for r in best if r.workers > 1), None)
    base = next((r for r in single if par and r.n == par.n), None)
    label = f"wall speed-up, {par.workers} workers vs 1, N={par.n:,}" if par and base else "wall speed-up, 2 workers vs 1"
    figs.append(Figure(label, base.wall_seconds / par.wall_seconds if par and base else None, 1.8, True, "{:.2f}×"))
    figs.append(Figure("extract run raw, CPU incl. start-up", report.startup.cpu_seconds if report.startup else None,
                       1.0, False, "{:.2f} s"))
    figs.append(Figure("extract --version, wall", report.version.wall_seconds if report.version else None,
                       0.3, False, "{:.2f} s"))
    own = report.pdf.own_share if report.pdf else None
    figs.append(Figure("PDF path's own share over pdfplumber's words",
                       own * 100 if own is not None else None, 15, False, "{:.0f}%"))
    return figs


def figures_to_lines(figs: list[Figure]) -> list[str]:
    """Targets → aligned lines: figure, measured, goal, verdict."""
    width = max(len(f.label) for f in figs)
    lines = [f"{'target':<{width}}  {'measured':>10}  {'goal':>11}  verdict"]
    for f in figs:
        shown = f.fmt.format(f.measured) if f.measured is not None else "—"
        goal = ("≥ " if f.at_least else "≤ ") + f.fmt.format(f.goal)
        lines.append(f"{f.label:<{width}}  {shown:>10}  {goal:>11}  {figure_verdict(f)}")
    return lines


def runs_to_lines(runs: tuple[BenchResult, ...]) -> list[str]:
    """Runs → one line each: size, workers, round, documents, wall and CPU time (the
    measuring process's; with workers, theirs is not in it, nor in the rate
    per CPU-second), portraits per CPU-second, memory, the tokenizer's and
    the floor's CPU seconds and the pipeline's ratio to each, the 1-minute
    load average before and after."""
    lines = [f"{'N':>7} {'workers':>7} {'round':>5} {'docs':>5} {'errors':>6} {'MB text':>7} {'wall s':>7} {'cpu s':>7} "
             f"{'portraits/cpu-s':>15} {'peak MB':>7} {'worker MB':>14} {'spaCy s':>7} {'ratio':>5} "
             f"{'floor s':>7} {'floor p/s':>9} {'÷floor':>6} {'load':>11}"]
    for r in runs:
        kids = "+".join(f"{p:,.0f}" for p in r.child_peaks_mb) or "—"
        tok = f"{r.tokenizer_seconds:.2f}" if r.tokenizer_seconds is not None else "—"
        ratio = f"{r.tokenizer_ratio:.2f}" if r.tokenizer_ratio is not None else "—"
        rate = f"{r.portraits_per_cpu_second:,.0f}" if r.workers == 1 else "—"
        floor = f"{r.floor.seconds:.2f}" if r.floor else "—"
        floor_rate = f"{r.floor_per_second:,.0f}" if r.floor_per_second else "—"
        times = f"{r.floor_ratio:.1f}" if r.floor_ratio else "—"
        load = f"{r.load[0]:.2f}→{r.load[1]:.2f}"
        lines.append(f"{r.n:>7,} {r.workers:>7} {r.repeat:>5} {r.documents:>5} {r.errors:>6} {r.corpus_chars / 1e6:>7.1f} "
                     f"{r.wall_seconds:>7.2f} {r.cpu_seconds:>7.2f} {rate:>15} {r.peak_rss_mb:>7,.0f} "
                     f"{kids:>14} {tok:>7} {ratio:>5} {floor:>7} {floor_rate:>9} {times:>6} {load:>11}")
    return lines


def floors_to_lines(runs: tuple[BenchResult, ...]) -> list[str]:
    """The floor of each run → its parts in CPU seconds, and what each found."""
    measured = [r for r in runs if r.floor]
    if not measured:
        return ["not measured"]
    f0 = measured[0].floor
    lines = [f"{'N':>7} {'decode s':>8} {'labels+headings s':>17} {'theme phrases s':>15} {'Parquet s':>9} "
             f"{'total s':>7} {'portraits/cpu-s':>15}"]
    for r in measured:
        f = r.floor
        lines.append(f"{r.n:>7,} {f.decode_seconds:>8.3f} {f.match_seconds:>17.3f} {f.phrase_seconds:>15.3f} "
                     f"{f.write_seconds:>9.3f} {f.seconds:>7.2f} {r.floor_per_second:>15,.0f}")
    lines.append(f"(one regex alternation of the labels, scopes, groups and headings: {f0.matches:,} matches at "
                 f"N={measured[0].n:,}; one automaton of {f0.phrases} theme phrases: {f0.phrase_hits:,} hits; "
                 f"{f0.rows:,} rows written)")
    return lines


def stages_to_lines(runs: tuple[BenchResult, ...]) -> list[str]:
    """Runs → seconds per stage (share of the wall time), a column per run.
    With workers, the stages of documents add up the workers' seconds."""
    names = [s for s in STAGES if any(s in r.stage_seconds for r in runs)]
    names += sorted({s for r in runs for s in r.stage_seconds} - set(names))
    lines = [f"{'stage':<16}" + "".join(f"{f'N={r.n:,} w={r.workers}':>20}" for r in runs)]
    for s in names:
        cells = [f"{r.stage_seconds[s]:.2f} s ({r.stage_seconds[s] / r.wall_seconds:4.0%})"
                 if s in r.stage_seconds else "—" for r in runs]
        lines.append(f"{s:<16}" + "".join(f"{c:>20}" for c in cells))
    return lines


def pdf_to_lines(pdf: PdfResult | None) -> list[str]:
    """The PDF figure → its lines: per page for pdfplumber, the PDF path and
    the whole pipeline, and the shares."""
    if pdf is None:
        return ["not measured"]
    lines = [f"the brochure as a PDF, {pdf.pages} pages, CPU, best of 3",
             f"pdfplumber extract_words alone  {pdf.pdfplumber_seconds / pdf.pages * 1000:6.1f} ms/page "
             f"({pdf.pdfplumber_seconds:.2f} s)"]
    if pdf.reading_seconds is not None:
        lines.append(f"PDF path (ingest: limits, words, lines, soft breaks) "
                     f"{pdf.reading_seconds / pdf.pages * 1000:6.1f} ms/page ({pdf.reading_seconds:.2f} s)")
    lines.append(f"whole pipeline (text stages, tables written) {pdf.pipeline_seconds / pdf.pages * 1000:6.1f} "
                 f"ms/page ({pdf.pipeline_seconds:.2f} s)")
    if pdf.own_share is not None:
        lines.append(f"PDF path's own share            {pdf.own_share:6.0%} of pdfplumber's time")
    lines.append(f"whole pipeline's share          {pdf.pipeline_share:6.0%} of pdfplumber's time")
    return lines


def commands_to_lines(commands: list[CommandTime | None]) -> list[str]:
    """Commands → one line each: wall and CPU seconds."""
    shown = [c for c in commands if c]
    if not shown:
        return ["not measured"]
    width = max(len(c.command) for c in shown)
    return [f"{c.command:<{width}}  {c.wall_seconds:5.2f} s wall  {c.cpu_seconds:5.2f} s CPU" for c in shown]


def _load(values: tuple[float, ...]) -> str:
    return " ".join(f"{x:.2f}" for x in values) if values else "—"


def render_bench(report: BenchReport) -> str:
    """A ``BenchReport`` → the printout: the runs, the floor, seconds per
    stage, the PDF figure, the commands, then every target with its measure,
    met or not met and by how much."""
    head = (f"extract bench: seed {report.seed}, Python {platform.python_version()}, "
            f"{os.cpu_count()} CPUs, {platform.machine()}")
    if report.load or report.load_start:
        head += (f"\nload average (1, 5, 15 min): {_load(report.load_start)} at the start, {_load(report.load)} "
                 "at the end (a run keeps one CPU busy; more means other work shared the machine: "
                 "CPU seconds are the fairer figure then)")
    best = best_runs(report.runs)
    rounds = (f"{report.repeats} rounds, each size once a round on the same corpus; the floor, the stages and the "
              "targets take each size's best round: least CPU with one worker, least wall with more, and the "
              "highest peak memory of the rounds") if report.repeats > 1 else "one round"
    parts = [head, "", "Runs (pipeline.run end to end, tables written, each in a fresh process; spaCy: "
                       "blank('en') tokenizer, same text, same process; floor: see below)",
             f"({rounds})", *runs_to_lines(report.runs), "",
             "Floor (same corpus, same process, CPU seconds: decode; one regex pass of labels and headings; "
             "Aho-Corasick over the theme phrases; every table written to Parquet)",
             *floors_to_lines(best), "",
             "Seconds per stage", *stages_to_lines(best), "",
             "PDF", *pdf_to_lines(report.pdf), "",
             "Commands (a process of their own, start-up included, median of 3 after one warm-up run)",
             *commands_to_lines([report.startup, report.version]), "",
             "Targets (issue 14's, and the tokenizer ratio kept from before; k×: the factor between the measure and the goal)",
             *figures_to_lines(report_to_figures(report))]
    if report.notes:
        parts += ["", "Notes", *(f"- {n}" for n in report.notes)]
    return "\n".join(parts) + "\n"
