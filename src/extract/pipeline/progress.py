"""What the command tells a person while it runs.

``Reporter`` shows a progress bar with counts (documents, portraits) when
stderr is a terminal, the run is not ``--quiet`` and it has taken more than
``DELAY`` seconds (a short run shows no bar); piped or in CI it shows no bar.
Problem lines (one per problem, from the pipeline) always go to
stderr, above the bar; ``--verbose`` adds a line per document and the
seconds per stage at the end."""
from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

DELAY = 0.5

class Reporter:
    """A ``pipeline.Progress`` and the ``say`` of a run, for one stream."""

    def __init__(self, stream: TextIO = sys.stderr, quiet: bool = False, verbose: bool = False):
        self.quiet, self.verbose = quiet, verbose
        self.stream = stream
        self._console: Console | None = None  # rich, imported when the first line is said or a bar shown
        self.portraits = 0
        self._bar: Progress | None = None
        self._task = None
        self._started = 0.0
        self._shown = False
        if stream.isatty() and not quiet:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
            self._bar = Progress(TextColumn("extract"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("documents · {task.fields[portraits]} portraits"), TimeElapsedColumn(),
                                 console=self.console, transient=True)

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console
            self._console = Console(file=self.stream, highlight=False, soft_wrap=True)
        return self._console

    def say(self, line: str) -> None:
        self.console.out(line, highlight=False)

    def start(self, documents: int) -> None:
        self._started = time.monotonic()
        if self._bar is not None:
            self._task = self._bar.add_task("documents", total=documents, portraits=0)

    def advance(self, document_id: str, portraits: int) -> None:
        self.portraits += portraits
        if self.verbose:
            self.say(f"extract: {document_id}: {portraits} portrait{'' if portraits == 1 else 's'}")
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, portraits=self.portraits)
            if not self._shown and time.monotonic() - self._started > DELAY:
                self._bar.start()
                self._shown = True

    def close(self) -> None:
        if self._bar is not None and self._shown:
            self._bar.stop()
            self._shown = False

    def summary(self, line: str, seconds: dict[str, float]) -> None:
        self.close()
        if self.quiet:
            return
        self.say(line)
        if self.verbose:
            self.say("extract: seconds per stage: " + ", ".join(f"{k} {v:.3f}" for k, v in seconds.items()))
