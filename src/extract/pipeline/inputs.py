"""The files of a batch: paths named on the command line → ``Input`` records,
each file once, in a stable order (``input_files``); and which of them repeat
an earlier one byte for byte (``duplicate_inputs``).

File names are data: a name whose bytes are not UTF-8 gets an id with those
bytes shown as ``\\xNN`` (``shown_name``), and the file is read all the same.
What cannot be read as a file is an ``Input`` with a ``problem``, which the
document's run turns into one line and a finding: a folder that cannot be
entered, a symbolic-link loop, and (by ``ingest``) a FIFO, a device or a
socket. Only a path named that does not exist at all stops the run."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from extract.errors import UsageError
from extract.read.ingest import os_problem
from extract.read.textutil import shown_name


@dataclass(frozen=True)
class Input:
    """One file of the batch and the id its rows carry: its path relative to
    the folder named (``sub/brochure.txt``), or its name for a file named;
    ``problem`` says why it cannot be read, when that is known before reading."""

    path: Path
    document_id: str
    problem: str = ""


def _folder_inputs(folder: Path, skipped: Path | None) -> list[Input]:
    """The entries of ``folder`` and its sub-folders that are not folders
    (hidden ones, symbolic links to folders and ``skipped`` left out), and
    one ``Input`` with a problem per folder that cannot be read."""
    found: list[Input] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename is not None else folder
        name = where.relative_to(folder).as_posix() if where != folder else folder.name
        found.append(Input(where, shown_name(name), f"is a folder that cannot be read ({exc.strerror})"))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and Path(root, d).resolve() != skipped)
        for f in files:
            if not f.startswith("."):
                path = Path(root, f)
                found.append(Input(path, shown_name(path.relative_to(folder).as_posix())))
    return sorted(found, key=lambda i: i.document_id)


def input_files(paths: list[str | Path], skip: str | Path | None = None) -> list[Input]:
    """Files named, and the files of folders named (see ``_folder_inputs``;
    ``skip`` is the output folder), each once, in a stable order.
    ``UsageError`` for a path that does not exist."""
    out: list[Input] = []
    skipped = Path(skip).resolve() if skip is not None else None
    for p in map(Path, paths):
        try:
            is_dir = p.is_dir()
            p.stat()
        except OSError as exc:  # a symbolic-link loop, a path through a file or a folder not entered
            if not os.path.lexists(p):
                raise UsageError(f"{shown_name(str(p))}: no such file or folder") from None
            out.append(Input(p, shown_name(p.name or str(p)), os_problem(p, exc)))
            continue
        out += _folder_inputs(p, skipped) if is_dir else [Input(p, shown_name(p.name))]
    seen: set[str] = set()
    unique = []
    for i in out:
        key = os.path.realpath(i.path)
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
