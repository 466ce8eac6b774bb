"""``extract.db`` built in a process of its own (``DatabaseProcess``), for a
run with several workers: the main process writes the CSV and Parquet files
while the database is built on the other core (a ``DatabaseThread`` shares
the main process's Python lock, so only SQLite's own work overlaps).

The process is forked from the workers' forkserver (so it ignores Ctrl-C
and dies with the main process, as a worker does). Each chunk goes to it as
Arrow IPC bytes through a pipe, read there up to ``waiting`` chunks ahead of
the database: the pipe holds the main process back when the database falls
further behind, which keeps memory flat. ``add``, ``close`` and ``abort`` are ``DatabaseThread``'s;
a failure in the process is raised in the caller by the next ``add`` or by
``close``, and a process that died is a ``RuntimeError``."""
from __future__ import annotations

import multiprocessing
import multiprocessing.reduction
import os
import queue
import signal
import threading
from collections.abc import Iterable
from contextlib import suppress
from multiprocessing.connection import Connection

import pyarrow as pa

from extract.pipeline.workers import _die_with_parent, _sigint_deferred, _start_server
from extract.tables.arrow import to_ipc
from extract.tables.database import ABORT, ADD, CLOSE, feed


def _failure(exc: BaseException) -> BaseException:
    """``exc`` if it can be sent back through the pipe, else a ``RuntimeError`` naming it."""
    try:
        multiprocessing.reduction.ForkingPickler.dumps(exc)
        return exc
    except Exception:
        return RuntimeError(f"extract.db: {type(exc).__name__}: {exc}")


def _received(conn: Connection, into: queue.Queue) -> None:
    """Messages from ``conn`` (a chunk read as an Arrow table) into ``into``
    until the close or abort, or the end of the pipe (then an abort)."""
    message: tuple = (ABORT,)
    try:
        while True:
            message = conn.recv()
            if message[0] == ADD:
                with pa.ipc.open_stream(conn.recv_bytes()) as reader:
                    message = (ADD, message[1], reader.read_all())
            into.put(message)
            if message[0] != ADD:
                return
    except BaseException:  # the caller ended: nothing more comes
        into.put((ABORT,))


def _serve(conn: Connection, path: str, names: list[str], waiting: int) -> None:
    """The process: a ``DatabaseWriter`` fed from ``conn`` (by a thread that
    reads up to ``waiting`` chunks ahead, so the caller is held back only when
    the database is that far behind) until it is told to close (then ``None``
    or the failure is sent back) or to abort."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    messages: queue.Queue = queue.Queue(maxsize=waiting)
    threading.Thread(target=_received, args=(conn, messages), daemon=True).start()

    def failed(exc: BaseException) -> None:  # sent back at once, for the caller's next add
        with suppress(Exception):
            conn.send(_failure(exc))

    if feed(path, names, messages.get, failed):
        conn.send(None)


class DatabaseProcess:
    """A ``DatabaseWriter`` in a process of its own (see the module docstring)."""

    def __init__(self, path: str | os.PathLike[str], names: Iterable[str], waiting: int = 2):
        context = multiprocessing.get_context("forkserver")
        _start_server(context)
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, os.fspath(path), list(names), waiting),
                                        name="extract.db", daemon=True)
        with _sigint_deferred():
            self._process.start()
        child.close()

    def _raise(self) -> None:
        """The process's failure, if it sent one or died."""
        try:
            failure = self._conn.recv()
        except (EOFError, OSError):
            self._process.join()
            failure = RuntimeError(f"extract.db: the process building it ended with exit code {self._process.exitcode}")
        if failure is not None:
            raise failure

    def add(self, table: str, chunk: pa.Table) -> None:
        if self._conn.poll():
            self._raise()
        data = to_ipc(chunk)
        try:
            self._conn.send((ADD, table))
            self._conn.send_bytes(data)
        except OSError:  # the process ended: why
            self._raise()
            raise

    def close(self) -> None:
        try:
            with suppress(OSError):  # a process that ended says why below
                self._conn.send((CLOSE,))
            self._raise()
        except BaseException:
            self.abort()
            raise
        self._process.join()
        self._conn.close()

    def abort(self) -> None:
        """End the process at once (the unfinished file is the caller's to
        remove): a chunk cut short by Ctrl-C would leave it waiting for the
        rest."""
        self._conn.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
