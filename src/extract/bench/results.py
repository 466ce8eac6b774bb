"""What a benchmark measured: the figures ``bench`` produces and ``bench_render`` prints.

``BenchResult``: one run of the pipeline over a synthetic corpus in a fresh
process (wall and CPU seconds, portraits per CPU-second, peak memory of the
process and of its workers, seconds per stage, the spaCy tokenizer and the
``Floor`` over the same text, the load average before and after).
``Floor``: the least work on that corpus (``floor``). ``PdfResult``:
pdfplumber alone and the whole pipeline on one PDF. ``CommandTime``: a
command in a process of its own. ``BenchReport``: all of them, with notes on
what was not measured. Frozen dataclasses, no behaviour beyond derived
ratios, and ``best_runs``, the run of each size the targets are judged by."""
from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Floor:
    """CPU seconds of the floor's four parts on one corpus, and what they found."""

    decode_seconds: float    # the files read and decoded
    match_seconds: float     # one regex alternation of labels and headings over every text
    phrase_seconds: float    # one Aho-Corasick automaton of the theme phrases over every text
    write_seconds: float     # every table of the run written again to Parquet
    chars: int = 0
    matches: int = 0         # label and heading matches
    phrases: int = 0         # theme phrases in the automaton
    phrase_hits: int = 0
    rows: int = 0            # rows written

    @property
    def seconds(self) -> float:
        return self.decode_seconds + self.match_seconds + self.phrase_seconds + self.write_seconds


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
    tokenizer_seconds: float | None = None  # CPU seconds; None: spaCy not installed, or not asked for
    floor: Floor | None = None               # None: not asked for (the run with workers)
    load: tuple[float, float] = (0.0, 0.0)   # the machine's 1-minute load average before and after
    repeat: int = 1                          # which of the suite's rounds (1, 2, …) measured it

    @property
    def portraits_per_second(self) -> float:
        """Portraits per second of wall time."""
        return self.portraits / self.wall_seconds if self.wall_seconds > 0 else 0.0

    @property
    def portraits_per_cpu_second(self) -> float:
        """Portraits per CPU-second of the measuring process (with workers, its own share only)."""
        return self.portraits / self.cpu_seconds if self.cpu_seconds > 0 else 0.0

    @property
    def tokenizer_ratio(self) -> float | None:
        """Pipeline CPU seconds / spaCy tokenizer CPU seconds over the same text."""
        return self.cpu_seconds / self.tokenizer_seconds if self.tokenizer_seconds else None

    @property
    def floor_ratio(self) -> float | None:
        """Pipeline CPU seconds / the floor's CPU seconds on the same corpus."""
        return self.cpu_seconds / self.floor.seconds if self.floor and self.floor.seconds > 0 else None

    @property
    def floor_per_second(self) -> float | None:
        """Portraits per CPU-second at the floor."""
        return self.portraits / self.floor.seconds if self.floor and self.floor.seconds > 0 else None


@dataclass(frozen=True)
class PdfResult:
    """One PDF read by pdfplumber's word extraction alone, read by the PDF
    path (``ingest``: the same words, the resource limits, lines and soft
    breaks from the words' positions), and run through the whole pipeline
    (tables written): CPU seconds, best of the repeats."""

    pages: int
    pdfplumber_seconds: float
    pipeline_seconds: float
    reading_seconds: float | None = None

    @property
    def own_share(self) -> float | None:
        """(PDF path − pdfplumber) / pdfplumber: what reading a PDF adds to
        pdfplumber's words (the text stages after it are the text path's,
        measured by the corpus runs)."""
        if self.reading_seconds is None:
            return None
        return max(0.0, self.reading_seconds - self.pdfplumber_seconds) / self.pdfplumber_seconds

    @property
    def pipeline_share(self) -> float:
        """(whole pipeline − pdfplumber) / pdfplumber: the text stages and the writing of the tables too."""
        return (self.pipeline_seconds - self.pdfplumber_seconds) / self.pdfplumber_seconds


@dataclass(frozen=True)
class CommandTime:
    """A command run in a process of its own, Python start-up included (the
    median of the repeats): wall and CPU (user + system) seconds."""

    command: str
    wall_seconds: float
    cpu_seconds: float


@dataclass(frozen=True)
class BenchReport:
    """Everything ``render_bench`` prints; a figure that was not measured is
    None, and ``notes`` say why."""

    runs: tuple[BenchResult, ...]
    pdf: PdfResult | None = None
    startup: CommandTime | None = None    # extract run raw
    version: CommandTime | None = None    # extract --version
    seed: int = 0
    notes: tuple[str, ...] = ()
    load: tuple[float, ...] = ()        # the machine's load averages (1, 5, 15 min) at the end
    load_start: tuple[float, ...] = ()  # … and at the start
    repeats: int = 1                    # rounds of runs; the targets take each size's best (``best_runs``)


def best_runs(runs: tuple[BenchResult, ...]) -> tuple[BenchResult, ...]:
    """The best run of each size and number of workers, in the order of
    their first rounds: least CPU with one worker, least wall time with
    more (what each is judged by); its peak memory the highest of the
    rounds, since memory does not drift with the machine's speed, and the
    tokenizer's seconds of the round that measured them."""
    groups: dict[tuple[int, int], list[BenchResult]] = {}
    for r in runs:
        groups.setdefault((r.n, r.workers), []).append(r)
    out = []
    for (_, workers), rounds in groups.items():
        best = min(rounds, key=(lambda r: r.cpu_seconds) if workers == 1 else (lambda r: r.wall_seconds))
        tokenizer = next((r.tokenizer_seconds for r in rounds if r.tokenizer_seconds is not None), None)
        out.append(replace(best, peak_rss_mb=max(r.peak_rss_mb for r in rounds),
                           tokenizer_seconds=best.tokenizer_seconds or tokenizer))
    return tuple(out)
