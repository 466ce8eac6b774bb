"""The documents of a batch extracted one after another, or in worker
processes (forkserver) when a run has several: each document's
``DocumentOutput`` (its rows as Arrow record batches and small summaries, no
Python row or portrait objects), in input order.

Each worker has a pipe of its own and one document at a time, so the run
always knows which document a worker holds. A worker that dies (killed by
the out-of-memory killer, say) costs only that document: it becomes an
``error`` finding (``worker_died``) naming the signal, a new worker takes
the worker's place and the batch goes on. The workers never see Ctrl-C
(the forkserver is started with SIGINT ignored, and its workers inherit
that), so only the main process is interrupted: it ends every worker and
exits (130, by the command) with no traceback. A worker dies
with its forkserver (``PR_SET_PDEATHSIG``), which ends when the main
process does, so no process outlives the main one, killed or not."""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection, wait

from extract.findings import make_finding
from extract.pipeline.batch import Batch
from extract.pipeline.document import one_document
from extract.pipeline.inputs import Input
from extract.pipeline.output import DocumentOutput, batch_to_output
from extract.read.limits import Limits
from extract.rules import Rules
from extract.tables.records import finding_to_row

PR_SET_PDEATHSIG = 1
# The collector's first threshold while documents are read: a document makes
# hundreds of thousands of short-lived containers and almost no cycles, so
# collecting every 700 allocations (Python's default) costs some 3% of a run
# for nothing it frees.
YOUNG_THRESHOLD = 20_000


@contextmanager
def collector_tuned() -> Iterator[None]:
    """The block runs with the collector's first threshold at
    ``YOUNG_THRESHOLD`` (not lower than it was); the thresholds are put back after."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], YOUNG_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _start_server(context) -> None:
    """Start the forkserver (if it is not running) with SIGINT ignored: a
    Python started so keeps it ignored, and every worker forked from it
    inherits that, from its first instruction on."""
    from multiprocessing import forkserver

    context.set_forkserver_preload([__name__, "extract.pipeline.database_process"])
    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()  # spawns it and returns: main ignores Ctrl-C for no longer than that
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _sigint_deferred() -> Iterator[None]:
    """A Ctrl-C in the block is held until its end (then ``KeyboardInterrupt``):
    a worker being sent its start-up data gets all of it, or it would die of
    a truncated pickle, with a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt


def _die_with_parent() -> None:
    """Have the kernel kill this process when its parent (the forkserver) ends."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent ended before the request was made
        os._exit(1)


def _serve(conn: Connection, rules: Rules, limits: Limits) -> None:
    """A worker: documents from ``conn``, one at a time, each result sent
    back, until the pipe says no more (``None``) or closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    with collector_tuned():
        while True:
            try:
                item = conn.recv()
            except (EOFError, OSError):
                return
            if item is None:
                return
            conn.send(document_output(item, rules, limits))


def _death(item: Input, exitcode: int | None, rules: Rules) -> DocumentOutput:
    """What is kept of a document whose worker died: its ``worker_died`` finding."""
    if exitcode is not None and exitcode < 0:
        how = f"was killed by {signal.Signals(-exitcode).name}"
    else:
        how = f"ended with exit code {exitcode}"
    batch = Batch()
    batch.rows["findings"].append(finding_to_row(make_finding(
        rules.findings, item.document_id, "", "worker_died", "documents", "document",
        f"the worker process extracting it {how} (out of memory?); nothing of it was extracted")))
    return batch_to_output(item.document_id, batch, 0, rules)


class _Worker:
    """One worker process, its end of the pipe and the document it holds."""

    def __init__(self, context, rules: Rules, limits: Limits):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, rules, limits), daemon=True)
        with _sigint_deferred():
            self.process.start()
        child.close()
        self.holds: tuple[int, Input] | None = None

    def give(self, index: int, item: Input) -> None:
        self.holds = (index, item)
        self.conn.send(item)

    def end(self) -> None:
        with suppress(OSError):
            self.conn.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _started(context, rules: Rules, limits: Limits, tries: int = 3) -> _Worker:
    """A new worker; one killed while it is sent its start-up data (a broken
    pipe) is replaced, up to ``tries`` times."""
    for attempt in range(tries):
        try:
            return _Worker(context, rules, limits)
        except (BrokenPipeError, ConnectionResetError):
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


def document_output(item: Input, rules: Rules, limits: Limits) -> DocumentOutput:
    """One document through the stages → what the run keeps of it."""
    batch, portraits = one_document(item, rules, limits)
    return batch_to_output(item.document_id, batch, portraits, rules)


def _pooled(items: list[Input], rules: Rules, limits: Limits, workers: int) -> Iterator[DocumentOutput]:
    context = multiprocessing.get_context("forkserver")
    _start_server(context)
    todo = deque(enumerate(items))
    pool: list[_Worker] = []
    done: dict[int, DocumentOutput] = {}
    given = 0
    try:
        while given < len(items):
            for w in [w for w in pool if w.holds is None and not w.process.is_alive()]:
                w.end()  # died between documents: nothing lost, its place is free
                pool.remove(w)
            while todo and (len(pool) < workers or any(w.holds is None for w in pool)):
                worker = next((w for w in pool if w.holds is None), None)
                if worker is None:
                    worker = _started(context, rules, limits)
                    pool.append(worker)
                worker.give(*todo.popleft())
            busy = [w for w in pool if w.holds is not None]
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for w in busy:
                index, item = w.holds
                if w.conn in ready:
                    with suppress(EOFError, OSError):
                        done[index] = w.conn.recv()
                        w.holds = None
                if w.holds is not None and w.process.sentinel in ready:
                    w.process.join()
                    done[index] = _death(item, w.process.exitcode, rules)
                    w.end()
                    pool.remove(w)
            while given in done:
                yield done.pop(given)
                given += 1
    finally:
        for w in pool:
            with suppress(OSError):
                w.conn.send(None)
            w.end()


def documents(items: list[Input], rules: Rules, limits: Limits, workers: int) -> Iterator[DocumentOutput]:
    """``document_output`` of each item, in the items' order, over ``workers``
    processes (forked from a server process started before any thread)."""
    if workers <= 1 or len(items) < 2:
        yield from (document_output(item, rules, limits) for item in items)
        return
    yield from _pooled(items, rules, limits, min(workers, len(items)))
