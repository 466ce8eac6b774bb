"""Peak memory of the processes a run starts, sampled from ``/proc``.

Input: a block of code (``with child_peaks() as peaks:``). Output: pid → peak
resident set (``VmHWM``) in MB of every process started below this one while
the block ran. Linux only; a process gone before it was sampled counts 0."""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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
