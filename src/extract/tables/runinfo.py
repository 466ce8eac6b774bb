"""What a run was: the record written as ``output/run.json``.

It holds the package version, the digest of the rules, each input file with
its SHA-256 and what became of it, the rows per table, the findings per code
and severity, the limits, and the seconds spent per stage, so that a diff of
two outputs can say whether the inputs or the rules changed as well."""
from __future__ import annotations

import hashlib
import json
import os
import platform
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from extract import installed
from extract.read.limits import Limits
from extract.read.textutil import shown_name

STAGES = ("ingest", "layout", "detect", "segment", "portraits", "themes", "challenge_pages", "validate", "tables",
          "write")


@dataclass
class Stopwatch:
    """Seconds spent per stage, summed over the documents of a run."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


@dataclass(frozen=True)
class InputRecord:
    """One input file: where it was, its bytes, and what became of it."""

    document_id: str
    path: str
    bytes: int
    sha256: str | None  # None for a file over the size limit (not read)
    source_format: str  # "" when it could not be read or recognized
    portraits: int


def file_sha256(path: Path, limit: int) -> tuple[int, str | None]:
    """(size, SHA-256 hex digest) of a regular file; no digest for one over
    ``limit`` bytes or for anything that is not a regular file (a FIFO, a
    device: never opened, so never waited on)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return (info.st_size if stat.S_ISREG(info.st_mode) else 0), None
        digest, size = hashlib.sha256(), 0
        with open(path, "rb") as fh:
            while size <= limit and (chunk := fh.read(1 << 20)):
                digest.update(chunk)
                size += len(chunk)
        return size, (digest.hexdigest() if size <= limit else None)
    except OSError:
        return 0, None


def _version() -> str:
    return installed.version("extract") or "unknown"


def run_record(inputs: list[InputRecord], rows: dict[str, int], findings: dict[str, dict[str, int]],
               rules_digest: str, limits: Limits, seconds: dict[str, float]) -> dict:
    """The run as plain data (see the module docstring): ``rows`` per table,
    ``findings`` counted per ``severity`` and per ``code``."""
    return {
        "extract_version": _version(),
        "python": platform.python_version(),
        "rules_sha256": rules_digest,
        "limits": asdict(limits),
        "inputs": [dict(asdict(i), document_id=shown_name(i.document_id), path=shown_name(i.path)) for i in inputs],
        "rows": dict(rows),
        "findings_by_severity": dict(sorted(findings["severity"].items())),
        "findings_by_code": dict(sorted(findings["code"].items())),
        "seconds": {s: round(seconds[s], 3) for s in STAGES if s in seconds},
    }


def record_to_json(record: dict) -> str:
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"

