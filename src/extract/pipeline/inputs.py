"""The files of a batch: paths named on the command line → ``Input`` records,
each file once, in a stable order."""
from __future__ import annotations

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
