"""How fast the pipeline is: the figures of ``extract bench``.

- ``bench(n)``: the whole pipeline (``pipeline.run``, Parquet and CSV
  written) over a synthetic corpus of ``n`` portraits (``synthetic.py``), in
  a fresh process of its own → a ``BenchResult``: wall seconds, portraits per
  second, peak resident memory, seconds per stage, and, for scale, a bare
  spaCy tokenizer over the same text in that process.
- ``pdf_bench()``: pdfplumber's word extraction alone against the whole
  pipeline on the brochure set as a PDF → a ``PdfResult``.
- ``startup_seconds()``: ``extract run raw`` as a command, Python start-up included.
- ``bench_suite()`` runs them all → a ``BenchReport``; ``render_bench`` turns
  it into one printout, each figure next to its target, met or missed by how much.
- ``profile_pipeline(n)``: where the time of one run goes (cProfile).

Timings are measured, never asserted: they depend on the machine."""
from __future__ import annotations

import importlib.util
import inspect
import multiprocessing
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from extract.tables.runinfo import STAGES
from extract.bench.synthetic import BROCHURE, Brochure, brochure_parts, build_corpus

RAW = BROCHURE.parent


@dataclass(frozen=True)
class BenchResult:
    """One measured run of the pipeline over a synthetic corpus."""

    n: int                   # portraits asked for
    workers: int
    documents: int
    portraits: int           # portraits the run found (== n when all is well)
    errors: int              # error findings of the run
    corpus_chars: int
    wall_seconds: float      # pipeline.run, end to end (tables written)
    cpu_seconds: float       # CPU time of the measuring process in that run (workers' not included)
    peak_rss_mb: float       # the measuring process (it runs nothing before)
    child_peaks_mb: tuple[float, ...] = ()  # each process it started (workers), largest first
    stage_seconds: dict[str, float] = field(default_factory=dict)
    tokenizer_seconds: float | None = None  # None: spaCy not installed, or not asked for

    @property
    def portraits_per_second(self) -> float:
        return self.portraits / self.wall_seconds if self.wall_seconds > 0 else 0.0

    @property
    def tokenizer_ratio(self) -> float | None:
        """Pipeline seconds / spaCy tokenizer seconds over the same text."""
        return self.wall_seconds / self.tokenizer_seconds if self.tokenizer_seconds else None


@dataclass(frozen=True)
class PdfResult:
    """pdfplumber alone and the whole pipeline on one PDF (best of the repeats)."""

    pages: int
    pdfplumber_seconds: float
    pipeline_seconds: float

    @property
    def own_share(self) -> float:
        """(pipeline − pdfplumber) / pdfplumber: what the pipeline adds to reading the PDF."""
        return (self.pipeline_seconds - self.pdfplumber_seconds) / self.pdfplumber_seconds


@dataclass(frozen=True)
class BenchReport:
    """Everything ``render_bench`` prints; a figure that was not measured is
    None, and ``notes`` say why."""

    runs: tuple[BenchResult, ...]
    pdf: PdfResult | None = None
    startup_seconds: float | None = None
    seed: int = 0
    notes: tuple[str, ...] = ()
    load: tuple[float, ...] = ()  # the machine's load averages (1, 5, 15 min) at the end


def workers_supported() -> bool:
    """Whether ``pipeline.run`` takes ``workers`` (documents in parallel processes)."""
    from extract.pipeline import run as pipeline_run
    return "workers" in inspect.signature(pipeline_run).parameters


def _descendants(root: int) -> set[int]:
    """Pids of the processes below ``root`` (children, theirs, …), from ``/proc``."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:  # "pid (name) state ppid …"; the name may hold spaces and brackets
            children.setdefault(int(stat.read_text().rsplit(")", 1)[1].split()[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    found, todo = set(), [root]
    while todo:
        new = [c for c in children.get(todo.pop(), []) if c not in found]
        found.update(new)
        todo += new
    return found


def _high_water_mb(pid: int) -> float:
    """``VmHWM`` (peak resident set) of a live process, in MB; 0 once it is gone."""
    try:
        line = next(s for s in Path(f"/proc/{pid}/status").read_text().splitlines() if s.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration, ValueError):
        return 0.0


@contextmanager
def child_peaks(every: float = 0.25) -> Iterator[dict[int, float]]:
    """pid → peak resident MB of every process started below this one while
    in the block, sampled from ``/proc``. (``RUSAGE_CHILDREN`` cannot see
    them: a pool's workers are forked by a fork server, not by this process,
    and are still alive when the run returns.)"""
    peaks: dict[int, float] = {}
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(every):
            for pid in _descendants(os.getpid()):
                peaks[pid] = max(peaks.get(pid, 0.0), _high_water_mb(pid))
    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield peaks
    finally:
        stop.set()
        thread.join()


def tokenizer_seconds(texts: list[str]) -> float | None:
    """Seconds a bare ``spacy.blank("en")`` tokenizer (no pipeline
    components) takes over ``texts``; None without spaCy."""
    try:
        import spacy
    except ImportError:
        return None
    nlp = spacy.blank("en")
    start = time.perf_counter()
    for text in texts:
        nlp.tokenizer(text)
    return time.perf_counter() - start


def measure_folder(corpus: str, out: str, n: int, workers: int, tokenizer: bool) -> BenchResult:
    """The pipeline over the folder ``corpus`` into ``out``, then the tokenizer
    over the same texts → a ``BenchResult``. Meant to run first thing in a
    fresh process, so that the peak memory is this run's."""
    from extract.pipeline import run
    from extract.rules import load_rules
    if workers > 1 and not workers_supported():
        raise ValueError("pipeline.run takes no `workers`: only workers=1 can be measured")
    rules, options = load_rules(), ({"workers": workers} if workers > 1 else {})
    with child_peaks() if workers > 1 else nullcontext({}) as children:
        start, cpu = time.perf_counter(), time.process_time()
        summary = run([corpus], out, rules, say=lambda line: None, **options)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux counts kB
    texts = [p.read_bytes().decode("utf-8") for p in sorted(Path(corpus).iterdir()) if p.is_file()]
    return BenchResult(n, workers, summary.documents, summary.portraits, summary.errors, sum(map(len, texts)),
                       wall, cpu, peak, tuple(sorted((p for p in children.values() if p), reverse=True)),
                       dict(summary.seconds), tokenizer_seconds(texts) if tokenizer else None)


def _measure_into(conn, *args) -> None:
    """``measure_folder(*args)`` sent back through ``conn`` (the child's side)."""
    try:
        conn.send(("ok", measure_folder(*args)))
    except BaseException as exc:  # reported in the parent, which raises it
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def measure_in_fresh_process(corpus: Path, n: int, workers: int = 1, tokenizer: bool = True) -> BenchResult:
    """``measure_folder`` in a new (spawned) Python process, so that runs
    share no memory; the tables go to a temporary folder."""
    ctx = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="extract-bench-out-") as tmp:
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_measure_into, args=(child, str(corpus), str(Path(tmp) / "out"), n, workers,
                                                       tokenizer))
        proc.start()
        child.close()
        try:
            status, value = parent.recv()
        except EOFError:
            status, value = "failed", f"the measuring process died (exit code {proc.exitcode})"
        proc.join()
    if status != "ok":
        raise RuntimeError(f"benchmark of {n:,} portraits with {workers} worker(s) failed: {value}")
    return value


def bench(n: int, workers: int = 1, seed: int = 0, tokenizer: bool = True,
          brochure: Brochure | None = None) -> BenchResult:
    """A seeded corpus of ``n`` portraits through the whole pipeline with
    ``workers`` processes, measured in a fresh process → a ``BenchResult``."""
    with tempfile.TemporaryDirectory(prefix="extract-bench-") as tmp:
        build_corpus(n, Path(tmp) / "corpus", seed, brochure)
        return measure_in_fresh_process(Path(tmp) / "corpus", n, workers, tokenizer)


def _seconds(work, repeats: int) -> list[float]:
    """The wall seconds of ``repeats`` calls of ``work()``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def pdfplumber_words(path: Path) -> int:
    """The words of every page of a PDF, by pdfplumber alone → the page count."""
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
        return len(pdf.pages)


def pdf_bench(brochure: Path = BROCHURE, repeats: int = 3) -> PdfResult:
    """The brochure set as a PDF (``textpdf.text_to_pdf``; needs fpdf2), read
    by pdfplumber alone and by the whole pipeline (tables written), best of
    ``repeats`` each → a ``PdfResult``."""
    from extract.pipeline import run
    from extract.rules import load_rules
    from extract.bench.textpdf import text_to_pdf
    rules = load_rules()
    with tempfile.TemporaryDirectory(prefix="extract-bench-pdf-") as tmp:
        pdf = text_to_pdf(Path(brochure).read_text(encoding="utf-8"), Path(tmp) / f"{Path(brochure).stem}.pdf")
        pages = pdfplumber_words(pdf)
        plumber = min(_seconds(lambda: pdfplumber_words(pdf), repeats))
        whole = min(_seconds(lambda: run([pdf], Path(tmp) / "out", rules, say=lambda line: None), repeats))
    return PdfResult(pages, plumber, whole)


def startup_seconds(raw: Path = RAW, repeats: int = 3) -> float:
    """Wall seconds of ``python -m extract.cli run RAW --out TMP`` (what ``make
    extract`` runs), Python start-up included: the median of ``repeats``.
    ``RuntimeError`` if the command fails."""
    def command() -> None:
        done = subprocess.run([sys.executable, "-m", "extract.cli", "run", str(raw), "--out", str(Path(tmp) / "out")],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"extract run {raw} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    with tempfile.TemporaryDirectory(prefix="extract-bench-cli-") as tmp:
        return statistics.median(_seconds(command, repeats))


def bench_suite(sizes: tuple[int, ...] = (10_000, 20_000), workers: int = 2, seed: int = 0,
                pdf: bool = True, startup: bool = True, say=None) -> BenchReport:
    """Every figure of the printout → a ``BenchReport``: each size with one
    worker and the tokenizer; the first size again with ``workers`` processes
    when ``pipeline.run`` can; the PDF figure; the command's wall time.
    ``say`` gets a line as each measurement starts."""
    say = say or (lambda line: None)
    notes, runs, brochure = [], [], brochure_parts()
    for i, n in enumerate(sizes):
        with tempfile.TemporaryDirectory(prefix="extract-bench-") as tmp:
            say(f"corpus of {n:,} portraits; 1 worker")
            build_corpus(n, Path(tmp) / "corpus", seed, brochure)
            runs.append(measure_in_fresh_process(Path(tmp) / "corpus", n, 1))
            if i == 0 and workers > 1 and workers_supported():
                say(f"{n:,} portraits, {workers} workers")
                runs.append(measure_in_fresh_process(Path(tmp) / "corpus", n, workers, tokenizer=False))
    if workers > 1 and not workers_supported():
        notes.append("pipeline.run takes no `workers`: the parallel speed-up was not measured")
    if runs and runs[0].tokenizer_seconds is None:
        notes.append("spaCy is not installed (pip install -e '.[bench]'): no tokenizer yardstick")
    pdf_result = None
    if pdf and importlib.util.find_spec("fpdf") is None:  # textpdf needs fpdf2
        notes.append("fpdf2 is not installed (the test extra): no PDF figure")
    elif pdf:
        say("the brochure as a PDF")
        pdf_result = pdf_bench()
    if startup:
        say("extract run raw, as a command")
    started = startup_seconds() if startup else None
    return BenchReport(tuple(runs), pdf_result, started, seed, tuple(notes), os.getloadavg())


def profile_pipeline(n: int = 1_000, seed: int = 0, top: int = 25) -> str:
    """One run over ``n`` synthetic portraits under cProfile → the ``top``
    functions by cumulative and by own time, as text."""
    import cProfile
    import io
    import pstats

    from extract.pipeline import run
    from extract.rules import load_rules
    rules = load_rules()
    with tempfile.TemporaryDirectory(prefix="extract-profile-") as tmp:
        build_corpus(n, Path(tmp) / "corpus", seed)
        profiler = cProfile.Profile()
        profiler.runcall(run, [Path(tmp) / "corpus"], Path(tmp) / "out", rules, say=lambda line: None)
    out = io.StringIO()
    for order in ("cumulative", "tottime"):
        out.write(f"--- top {top} by {order} ---\n")
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
    return out.getvalue()


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
