"""The version of an installed distribution, read as ``importlib.metadata``
reads it but without importing it (``importlib.metadata`` and the ``email``,
``zipfile`` and ``csv`` modules it pulls in cost about 20 ms, paid on every
run for ``run.json``, the Parquet files' pandas metadata and the rules
cache's key).

``version(name)``: the first ``sys.path`` folder that holds the
distribution's ``NAME-VERSION.dist-info`` (or ``.egg-info``) folder gives
the ``Version:`` line of its ``METADATA`` (``PKG-INFO``); names compare as
pip compares them (any case, ``-``, ``_`` and ``.`` alike). Anything else
(an egg in a zip file, metadata it cannot read) is asked of
``importlib.metadata``. None when the distribution is not installed."""
from __future__ import annotations

import functools
import os
import re
import sys

_SEPARATORS = re.compile(r"[-_.]+")
_SUFFIXES = {".dist-info": "METADATA", ".egg-info": "PKG-INFO"}


def normalized(name: str) -> str:
    """A distribution's name as pip compares it (PEP 503)."""
    return _SEPARATORS.sub("-", name).lower()


@functools.cache
def _folder_index(folder: str) -> dict[str, str]:
    """The distributions whose metadata one ``sys.path`` folder holds:
    normalized name → metadata file (the first, in the folder's order)."""
    index: dict[str, str] = {}
    try:
        entries = os.scandir(folder or ".")
    except OSError:
        return index
    with entries:
        for entry in entries:
            stem, _, suffix = entry.name.rpartition(".")
            if "." + suffix in _SUFFIXES:
                index.setdefault(normalized(stem.split("-", 1)[0]), os.path.join(entry.path, _SUFFIXES["." + suffix]))
    return index


def _version_line(path: str) -> str | None:
    """The ``Version:`` header of a metadata file, or None."""
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    return None  # the headers end at the first blank line
                if line.startswith("Version:"):
                    return line[len("Version:"):].strip()
    except (OSError, UnicodeDecodeError):
        return None
    return None


@functools.cache
def version(name: str) -> str | None:
    """The installed version of the distribution ``name``, or None (each
    name and each folder's listing read once a process)."""
    wanted = normalized(name)
    for folder in sys.path:
        if folder.endswith(".zip") or not os.path.isdir(folder or "."):
            continue
        path = _folder_index(folder).get(wanted)
        if path is not None:
            found = _version_line(path)
            if found is not None:
                return found
            break
    from importlib import metadata  # the rare layouts the scan does not read
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
