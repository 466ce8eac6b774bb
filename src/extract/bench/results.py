"""What a benchmark measured: the figures ``bench`` produces and ``bench_render`` prints.

``BenchResult``: one run of the pipeline over a synthetic corpus (wall and CPU
seconds, portraits per second, peak memory of the process and of its workers,
seconds per stage, the spaCy tokenizer over the same text). ``PdfResult``:
pdfplumber alone and the whole pipeline on one PDF. ``BenchReport``: all of
them, with notes on what was not measured. Frozen dataclasses, no behaviour
beyond derived ratios."""
from __future__ import annotations

from dataclasses import dataclass, field


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
