"""The files of a batch: paths named on the command line → ``Input`` records,
each file once, in a stable order (``input_files``); and which of them repeat
an earlier one byte for byte (``duplicate_inputs``)."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from extract.errors import UsageError


@dataclass(frozen=True)
class Input:
    """One file of the batch and the id its rows carry: its path relative to
    the folder named (``sub/brochure.txt``), or its name for a file named."""

    path: Path
    document_id: str


def input_files(paths: list[str | Path], skip: str | Path | None = None) -> list[Input]:
    """Files named, and the files of folders named (not hidden, symbolic links
    to folders not followed, not the folder ``skip``: the output folder), each
    once, in a stable order. ``UsageError`` for a path that does not exist."""
    out: list[Input] = []
    skipped = Path(skip).resolve() if skip is not None else None
    for p in map(Path, paths):
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".") and Path(root, d).resolve() != skipped]
                found += [Path(root, f) for f in files if not f.startswith(".")]
            out += sorted((Input(f, f.relative_to(p).as_posix()) for f in found if f.is_file()),
                          key=lambda i: i.document_id)
        elif p.exists():
            out.append(Input(p, p.name))
        else:
            raise UsageError(f"{p}: no such file or folder")
    seen: set[Path] = set()
    unique = []
    for i in out:
        key = i.path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(i)
    return unique


def duplicate_inputs(items: list[Input], max_bytes: int) -> dict[str, Input]:
    """``document_id`` of each input whose bytes (SHA-256) are those of an
    earlier input → that earlier input. Empty files, files over ``max_bytes``
    and files that cannot be read are not compared (each gets its own finding)."""
    first: dict[tuple[int, str], Input] = {}
    out: dict[str, Input] = {}
    for item in items:
        try:
            size = item.path.stat().st_size
            if size == 0 or size > max_bytes:
                continue
            with open(item.path, "rb") as fh:
                digest = (size, hashlib.file_digest(fh, "sha256").hexdigest())
        except OSError:
            continue
        if digest in first:
            out[item.document_id] = first[digest]
        else:
            first[digest] = item
    return out
