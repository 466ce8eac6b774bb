"""How fast the pipeline is: the measurements of ``extract bench``.

- ``bench(n)``: the whole pipeline (``pipeline.run``, Parquet and CSV
  written) over a synthetic corpus of ``n`` portraits (``synthetic.py``), in
  a fresh process of its own → a ``BenchResult``: wall seconds, portraits per
  second, peak resident memory, seconds per stage, and, for scale, a bare
  spaCy tokenizer over the same text in that process.
- ``pdf_bench()``: pdfplumber's word extraction alone against the whole
  pipeline on the brochure set as a PDF → a ``PdfResult``.
- ``startup_seconds()``: ``extract run raw`` as a command, Python start-up included.
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
from pathlib import Path

from extract.bench.memory import child_peaks
from extract.bench.results import BenchReport, BenchResult, PdfResult
from extract.bench.synthetic import BROCHURE, Brochure, brochure_parts, build_corpus

RAW = BROCHURE.parent


def workers_supported() -> bool:
    """Whether ``pipeline.run`` takes ``workers`` (documents in parallel processes)."""
    from extract.pipeline import run as pipeline_run
    return "workers" in inspect.signature(pipeline_run).parameters


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
    from extract.bench.textpdf import text_to_pdf
    from extract.pipeline import run
    from extract.rules import load_rules
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
