"""A ``BenchReport`` → the printout of ``extract bench``.

Input: a ``BenchReport`` (``results``). Output: one string: the machine, the
runs, seconds per stage, the PDF figure, then every target next to its
measure (``Figure``), met or missed by how much (``figure_verdict``)."""
from __future__ import annotations

import os
import platform
from dataclasses import dataclass

from extract.bench.results import BenchReport, BenchResult, PdfResult
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
    """``met (k× to spare)`` or ``MISSED by k×``, k the factor between the measure and the goal."""
    if fig.measured is None:
        return "not measured"
    if fig.measured <= 0:
        return "MISSED" if fig.at_least else "met"
    k = fig.goal / fig.measured if fig.at_least else fig.measured / fig.goal
    return f"met ({1 / k:.2f}× to spare)" if k <= 1 else f"MISSED by {k:.2f}×"


def report_to_figures(report: BenchReport) -> list[Figure]:
    """A report → every target of ``extract bench`` with what was measured for it."""
    single = [r for r in report.runs if r.workers == 1]
    figs = []
    for r in single:
        figs += [Figure(f"portraits/s, 1 worker, N={r.n:,}", r.portraits_per_second, 1_000, True, "{:,.0f}"),
                 Figure("  aim", r.portraits_per_second, 2_000, True, "{:,.0f}"),
                 Figure(f"pipeline / spaCy tokenizer, N={r.n:,}", r.tokenizer_ratio, 0.5, False, "{:.2f}×"),
                 Figure("  aim", r.tokenizer_ratio, 0.25, False, "{:.2f}×")]
    first, last = (single[0], single[-1]) if single else (None, None)
    figs.append(Figure(f"peak memory, N={first.n:,}" if first else "peak memory",
                       first.peak_rss_mb if first else None, 400, False, "{:,.0f} MB"))
    if first and last is not first:
        figs += [Figure(f"peak memory, N={last.n:,} / N={first.n:,}", last.peak_rss_mb / first.peak_rss_mb,
                        1.1, False, "{:.2f}×"),
                 Figure(f"time(N={last.n:,}) / time(N={first.n:,})", last.wall_seconds / first.wall_seconds,
                        1.05 * last.n / first.n, False, "{:.2f}×")]
    par = next((r for r in report.runs if r.workers > 1), None)
    base = next((r for r in single if par and r.n == par.n), None)
    label = f"speed-up, {par.workers} workers vs 1, N={par.n:,}" if par and base else "speed-up, 2 workers vs 1"
    figs.append(Figure(label, base.wall_seconds / par.wall_seconds if par and base else None, 1.7, True, "{:.2f}×"))
    figs.append(Figure("extract run raw, wall incl. start-up", report.startup_seconds, 2.0, False, "{:.2f} s"))
    figs.append(Figure("PDF: pipeline's own share of pdfplumber's time",
                       report.pdf.own_share * 100 if report.pdf else None, 10, False, "{:.0f}%"))
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
    """Runs → one line each: size, workers, documents, wall and CPU time (the
    measuring process's; well under the wall time when other work shares the
    machine), rate, memory, tokenizer."""
    lines = [f"{'N':>7} {'workers':>7} {'docs':>5} {'errors':>6} {'MB text':>7} {'wall s':>7} {'cpu s':>7} {'portraits/s':>11} "
             f"{'peak MB':>7} {'worker MB':>14} {'spaCy s':>7} {'ratio':>5}"]
    for r in runs:
        kids = "+".join(f"{p:,.0f}" for p in r.child_peaks_mb) or "—"
        tok = f"{r.tokenizer_seconds:.2f}" if r.tokenizer_seconds is not None else "—"
        ratio = f"{r.tokenizer_ratio:.2f}" if r.tokenizer_ratio is not None else "—"
        lines.append(f"{r.n:>7,} {r.workers:>7} {r.documents:>5} {r.errors:>6} {r.corpus_chars / 1e6:>7.1f} "
                     f"{r.wall_seconds:>7.2f} {r.cpu_seconds:>7.2f} {r.portraits_per_second:>11,.0f} {r.peak_rss_mb:>7,.0f} "
                     f"{kids:>14} {tok:>7} {ratio:>5}")
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
    """The PDF figure → its lines: per page for pdfplumber and the pipeline, the share."""
    if pdf is None:
        return ["not measured"]
    return [f"the brochure as a PDF, {pdf.pages} pages, best of 3",
            f"pdfplumber extract_words alone  {pdf.pdfplumber_seconds / pdf.pages * 1000:6.1f} ms/page "
            f"({pdf.pdfplumber_seconds:.2f} s)",
            f"whole pipeline                  {pdf.pipeline_seconds / pdf.pages * 1000:6.1f} ms/page "
            f"({pdf.pipeline_seconds:.2f} s)",
            f"pipeline's own share            {pdf.own_share:6.0%} of pdfplumber's time"]


def render_bench(report: BenchReport) -> str:
    """A ``BenchReport`` → the printout: the runs, seconds per stage, the PDF
    figure, then every target with its measure, met or missed by how much."""
    head = (f"extract bench: seed {report.seed}, Python {platform.python_version()}, "
            f"{os.cpu_count()} CPUs, {platform.machine()}")
    if report.load:
        head += ("\nload average at the end (1, 5, 15 min): " + " ".join(f"{x:.2f}" for x in report.load)
                 + " (the benchmark itself keeps one CPU busy; more means other work shared the machine)")
    parts = [head, "", "Runs (pipeline.run end to end, tables written; spaCy: blank('en') tokenizer, same text)",
             *runs_to_lines(report.runs), "", "Seconds per stage", *stages_to_lines(report.runs), "",
             "PDF", *pdf_to_lines(report.pdf), "", "Targets (by k×: the factor between the measure and the goal)",
             *figures_to_lines(report_to_figures(report))]
    if report.notes:
        parts += ["", "Notes", *(f"- {n}" for n in report.notes)]
    return "\n".join(parts) + "\n"
