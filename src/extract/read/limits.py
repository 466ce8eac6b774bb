"""Bounds on the work one document may cost: its size, its pages, its
longest line, its time, and a PDF's resources.

A file over ``max_file_bytes`` or a PDF over ``max_pages`` is refused before
it is parsed (an ``InputError``); so is a PDF whose streams inflate to more
than ``max_inflated_bytes``, with a page wider or taller than
``max_page_points`` or drawing more than ``max_page_objects`` objects
(``pdf_limits``). A line longer than ``max_line_chars`` is
kept out of extraction and reported (``line_too_long``). ``time_budget``
stops a document that takes longer than ``document_seconds``: it interrupts
Python code and the ``regex`` module's matching alike (both check for
signals), so a pattern that backtracks badly on odd input cannot hang a run."""
from __future__ import annotations

import math
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

MAX_SECONDS = 1e6  # the longest time budget (``--time-budget``): 11 days


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20_000_000
    max_pages: int = 1_000
    max_line_chars: int = 100_000
    document_seconds: float = 60.0
    max_inflated_bytes: int = 200_000_000  # what a PDF's streams may inflate to, together
    max_page_points: float = 14_400.0      # a PDF page's width or height (200 inches)
    max_page_objects: int = 100_000        # characters, paths and images one PDF page may draw


class TimeBudgetExceeded(BaseException):
    """A document ran over its time budget. A ``BaseException``, like
    ``KeyboardInterrupt``, so that no ``except Exception`` in a stage or a
    library swallows it; ``pipeline.run`` catches it per document."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"took longer than its time budget of {seconds:g} s")


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise ``TimeBudgetExceeded`` in the block once ``seconds`` have passed.

    Uses a real-time interval timer, so it works only in the main thread of
    a POSIX process; elsewhere (or with ``seconds <= 0``, infinite or over
    ``MAX_SECONDS``, more than the timer holds) the block runs unbounded."""
    usable = (math.isfinite(seconds) and 0 < seconds <= MAX_SECONDS and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise TimeBudgetExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def outside_budget() -> Iterator[None]:
    """Pause a running ``time_budget`` for the block: for one-off work that is
    the run's, not the document's (loading the gazetteer the first time)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    left = signal.setitimer(signal.ITIMER_REAL, 0)[0] if usable else 0.0
    try:
        yield
    finally:
        if left > 0:
            signal.setitimer(signal.ITIMER_REAL, left)
