"""How fast the pipeline is: the measurements of ``extract bench``.

- ``bench(n)``: the whole pipeline (``pipeline.run``, Parquet and CSV
  written) over a synthetic corpus of ``n`` portraits (``synthetic.py``), in
  a fresh process of its own → a ``BenchResult``: wall and CPU seconds,
  portraits per CPU-second, peak resident memory, seconds per stage, and,
  for scale, a bare spaCy tokenizer and the floor (``floor.measure_floor``:
  decoding, one regex pass of labels and headings, one automaton of the
  theme phrases, the Parquet write) over the same text in that process; the
  load average before and after.
- ``pdf_bench()``: pdfplumber's word extraction alone against the PDF path
  (``ingest``) and the whole pipeline on the brochure set as a PDF, in CPU
  seconds → a ``PdfResult``.
- ``command_time(args)``: ``extract ARGS`` as a command in a process of its
  own, Python start-up included, wall and CPU → a ``CommandTime``.
- ``bench_suite()`` runs them all → a ``BenchReport``.

The results are defined in ``results``; ``bench_render.render_bench`` turns a
report into one printout, each figure next to its target, met or missed by how
much; ``profiling.profile_pipeline(n)`` shows where the time of one run goes
(cProfile); ``memory.child_peaks`` samples the workers' peak memory.

Timings are measured, never asserted: they depend on the machine."""
from __future__ import annotations

import importlib.util
import inspect
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

from extract.bench.memory import child_peaks
from extract.bench.results import BenchReport, BenchResult, CommandTime, PdfResult
from extract.bench.synthetic import BROCHURE, Brochure, brochure_parts, build_corpus

RAW = BROCHURE.parent


def workers_supported() -> bool:
    """Whether ``pipeline.run`` takes ``workers`` (documents in parallel processes)."""
    from extract.pipeline import run as pipeline_run
    return "workers" in inspect.signature(pipeline_run).parameters


def tokenizer_seconds(texts: list[str]) -> float | None:
    """CPU seconds a bare ``spacy.blank("en")`` tokenizer (no pipeline
    components) takes over ``texts``; None without spaCy."""
    try:
        import spacy
    except ImportError:
        return None
    nlp = spacy.blank("en")
    start = time.process_time()
    for text in texts:
        nlp.tokenizer(text)
    return time.process_time() - start


def measure_folder(corpus: str, out: str, n: int, workers: int, tokenizer: bool, floor: bool = True,
                   ) -> BenchResult:
    """The pipeline over the folder ``corpus`` into ``out``, then the tokenizer
    and the floor over the same texts → a ``BenchResult``. Meant to run first
    thing in a fresh process, so that the peak memory is this run's."""
    from extract.bench.floor import measure_floor
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
    files = [p for p in sorted(Path(corpus).iterdir()) if p.is_file()]
    texts = [p.read_bytes().decode("utf-8") for p in files]
    return BenchResult(n, workers, summary.documents, summary.portraits, summary.errors, sum(map(len, texts)),
                       wall, cpu, peak, tuple(sorted((p for p in children.values() if p), reverse=True)),
                       dict(summary.seconds), tokenizer_seconds(texts) if tokenizer else None,
                       measure_floor(files, rules, out) if floor else None)


def _measure_into(conn, *args) -> None:
    """``measure_folder(*args)`` sent back through ``conn`` (the child's side)."""
    try:
        conn.send(("ok", measure_folder(*args)))
    except BaseException as exc:  # reported in the parent, which raises it
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def measure_in_fresh_process(corpus: Path, n: int, workers: int = 1, tokenizer: bool = True,
                             floor: bool = True) -> BenchResult:
    """``measure_folder`` in a new (spawned) Python process, so that runs
    share no memory; the tables go to a temporary folder. The 1-minute load
    average is taken before and after."""
    ctx = multiprocessing.get_context("spawn")
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="extract-bench-out-") as tmp:
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_measure_into, args=(child, str(corpus), str(Path(tmp) / "out"), n, workers,
                                                       tokenizer, floor))
        proc.start()
        child.close()
        try:
            status, value = parent.recv()
        except EOFError:
            status, value = "failed", f"the measuring process died (exit code {proc.exitcode})"
        proc.join()
    if status != "ok":
        raise RuntimeError(f"benchmark of {n:,} portraits with {workers} worker(s) failed: {value}")
    return replace(value, load=(before, os.getloadavg()[0]))


def bench(n: int, workers: int = 1, seed: int = 0, tokenizer: bool = True,
          brochure: Brochure | None = None) -> BenchResult:
    """A seeded corpus of ``n`` portraits through the whole pipeline with
    ``workers`` processes, measured in a fresh process → a ``BenchResult``."""
    with tempfile.TemporaryDirectory(prefix="extract-bench-") as tmp:
        build_corpus(n, Path(tmp) / "corpus", seed, brochure)
        return measure_in_fresh_process(Path(tmp) / "corpus", n, workers, tokenizer)


def _seconds(work, repeats: int) -> list[float]:
    """The CPU seconds (this process's) of ``repeats`` calls of ``work()``."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
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
    by pdfplumber alone, by the PDF path (``ingest``) and by the whole
    pipeline (tables written), the
    least CPU seconds of ``repeats`` each → a ``PdfResult``."""
    from extract.bench.textpdf import text_to_pdf
    from extract.pipeline import run
    from extract.read.ingest import ingest
    from extract.read.limits import Limits
    from extract.rules import load_rules
    rules = load_rules()
    with tempfile.TemporaryDirectory(prefix="extract-bench-pdf-") as tmp:
        pdf = text_to_pdf(Path(brochure).read_text(encoding="utf-8"), Path(tmp) / f"{Path(brochure).stem}.pdf")
        pages = pdfplumber_words(pdf)
        plumber = min(_seconds(lambda: pdfplumber_words(pdf), repeats))
        reading = min(_seconds(lambda: ingest(pdf, Limits()), repeats))
        whole = min(_seconds(lambda: run([pdf], Path(tmp) / "out", rules, say=lambda line: None), repeats))
    return PdfResult(pages, plumber, whole, reading)


def command_time(args: list[str], repeats: int = 3, warm_up: int = 1) -> CommandTime:
    """``python -m extract ARGS`` in a process of its own, ``repeats`` times
    after ``warm_up`` unmeasured runs (which fill the rules cache as any
    earlier run would): the median wall and CPU (user + system, from
    ``wait4``) seconds → a ``CommandTime``. (Not its peak memory: Linux
    counts in it this process's, which the child shares until it starts
    Python.) ``RuntimeError`` if the command fails."""
    walls, cpus = [], []
    for i in range(warm_up + repeats):
        with tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "extract", *args], stdout=subprocess.DEVNULL, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                err.seek(0)
                raise RuntimeError(f"extract {' '.join(args)} exited {proc.returncode}: "
                                   f"{err.read().decode(errors='replace').strip()[-500:]}")
        if i >= warm_up:
            walls.append(wall)
            cpus.append(usage.ru_utime + usage.ru_stime)
    return CommandTime(" ".join(["extract", *args]), statistics.median(walls), statistics.median(cpus))


def _compiled() -> bool:
    """Whether the package's modules have up-to-date bytecode (``compileall``)."""
    import importlib.util

    source = Path(importlib.util.find_spec("extract.cli").origin)  # found, not imported: cli imports this module
    try:
        return Path(importlib.util.cache_from_source(str(source))).stat().st_mtime >= source.stat().st_mtime
    except OSError:
        return False


def startup_time(raw: Path = RAW, repeats: int = 3) -> CommandTime:
    """``extract run RAW --out TMP`` (what ``make extract`` runs), as a command."""
    with tempfile.TemporaryDirectory(prefix="extract-bench-cli-") as tmp:
        timed = command_time(["run", str(raw), "--out", str(Path(tmp) / "out"), "--quiet"], repeats)
    return replace(timed, command=f"extract run {Path(raw).name}")


def bench_suite(sizes: tuple[int, ...] = (10_000, 20_000), workers: int = 2, seed: int = 0,
                pdf: bool = True, startup: bool = True, say=None, repeats: int = 2) -> BenchReport:
    """Every figure of the printout → a ``BenchReport``: each size with one
    worker, the tokenizer and the floor; the first size again with
    ``workers`` processes when ``pipeline.run`` can; all of it ``repeats``
    times, in rounds (every size once a round, on the same corpora), so that
    a drift of the machine's speed touches every size alike and the targets
    can take each size's best (``results.best_runs``), the tokenizer (as
    slow as the pipeline) in the first round only; the PDF figure; the
    commands ``extract run raw`` and ``extract --version``. ``say`` gets a
    line as each measurement starts."""
    say = say or (lambda line: None)
    load_start = os.getloadavg()
    notes, runs, brochure = [], [], brochure_parts()
    parallel = workers > 1 and workers_supported()
    with tempfile.TemporaryDirectory(prefix="extract-bench-") as tmp:
        corpora: dict[int, Path] = {}
        for n in sizes:
            say(f"corpus of {n:,} portraits")
            corpora[n] = Path(tmp) / f"corpus-{n}"
            build_corpus(n, corpora[n], seed, brochure)
        for repeat in range(1, repeats + 1):
            for i, n in enumerate(sizes):
                say(f"round {repeat} of {repeats}: {n:,} portraits, 1 worker")
                runs.append(replace(measure_in_fresh_process(corpora[n], n, 1, tokenizer=repeat == 1), repeat=repeat))
                if i == 0 and parallel:
                    say(f"round {repeat} of {repeats}: {n:,} portraits, {workers} workers")
                    runs.append(replace(measure_in_fresh_process(corpora[n], n, workers, tokenizer=False,
                                                                 floor=False), repeat=repeat))
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
    started = version = None
    if startup:
        say("extract run raw and extract --version, as commands")
        started, version = startup_time(), command_time(["--version"])
        if (sys.flags.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE")) and not _compiled():
            notes.append("PYTHONDONTWRITEBYTECODE is set and the package has no bytecode: each command compiled "
                         "the modules it imports, which a normal install does not (make bench compiles them first)")
    return BenchReport(tuple(runs), pdf_result, started, version, seed, tuple(notes), os.getloadavg(), load_start,
                       repeats)
