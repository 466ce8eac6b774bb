"""Loaded rules kept on disk between runs, so that a run does not parse the
YAML and compile the patterns again while the rules have not changed.

Input: the SHA-256 of the rule files (``Rules.digest``) and a way to build
the rules. Output: the rules, unpickled from the cache when a file there has
the same key, else built and stored. The key is the files' digest together
with the source of the loaders (``extract/rules/*.py``), the Python version
and the versions of the libraries whose objects the rules hold
(``LIBRARIES``): a change to any of them misses the cache.

The cache lives in ``$XDG_CACHE_HOME/extract`` (``~/.cache/extract`` when
unset), never in the package or next to the output; ``EXTRACT_RULES_CACHE=0``
turns it off. A folder that cannot be written, a file that cannot be read or
rules that cannot be pickled leave the run as it would be without a cache
(the rules are built); only the ``KEEP`` newest files are kept."""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
ENV = "EXTRACT_RULES_CACHE"
LIBRARIES = ("regex", "PyYAML", "spacy", "pyahocorasick")
KEEP = 8
_LOADERS = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """Where the cache goes: ``$XDG_CACHE_HOME/extract``, else
    ``~/.cache/extract``; None when ``EXTRACT_RULES_CACHE=0`` or no home is known."""
    if os.environ.get(ENV, "1") == "0":
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG spec: a relative path is ignored
        home = os.path.expanduser("~")
        if home == "~":
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "extract"


def cache_key(digest: str) -> str:
    """The rule files' digest → the key of their loaded form (see the module doc)."""
    from extract.installed import version

    h = hashlib.sha256(digest.encode() + b"\0" + sys.version.encode())
    for name in LIBRARIES:
        h.update(f"\0{name}={version(name) or '-'}".encode())
    for path in sorted(_LOADERS.glob("*.py")):
        h.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def cached(digest: str, build: Callable[[], T]) -> T:
    """The rules of ``digest`` from the cache, else ``build()`` (stored for the next run)."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"rules-{cache_key(digest)[:32]}.pickle"
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:  # missing, unreadable, truncated or from other code: built again
        pass
    value = build()
    _store(path, value)
    return value


def _store(path: Path, value: object) -> bool:
    """Pickle ``value`` to ``path`` (written whole or not at all), then drop
    all but the ``KEEP`` newest files; False when it could not be done."""
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # rules holding something that does not pickle: no cache
        return False
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".rules-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        old = sorted(path.parent.glob("rules-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]
        for p in old:
            p.unlink(missing_ok=True)
    except OSError:
        return False
    return True
