"""Review page ids → file names that stay inside the destination folder.

Input: a document id, a page kind and a city id (anything the data holds).
Output: a ``/``-separated path relative to the destination (``page_path``),
whose names hold only ``[a-z0-9._-]`` (``safe_name``: the id itself when it
already is such a name, else a slug and a hash), and ``write_page``, which
refuses a path that would leave the destination."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from extract.errors import OutputError

# pages that are not a city's: their names start with ``_``, which no safe name does
PAGE_NAMES: Mapping[str, str] = MappingProxyType({"challenge": "_challenge.html", "document": "_document.html"})
SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")
HASHED = re.compile(r".*-[0-9a-f]{10}")  # the end of a name made from a slug and a hash


def safe_name(raw: str, suffix: str = "", reserved: tuple[str, ...] = ()) -> str:
    """An id → a file name of ``[a-z0-9._-]``: the id itself when it already is
    one (and not ``reserved``, nor ending as a slug-and-hash name does), else
    an ASCII slug of it and a hash of the id. So two ids never share a name,
    whatever case or punctuation tells them apart: names kept as they are
    never end in a hash, names made always do, each the hash of its own id."""
    if SAFE_NAME.fullmatch(raw) and raw + suffix not in reserved and not HASHED.fullmatch(raw):
        return raw + suffix
    ascii_ = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:60] or "x"
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{slug}-{digest}{suffix}"


def page_path(document_id: str, kind: str, city_id: str) -> str:
    """A page → its path relative to the destination folder (``/``-separated)."""
    folder = safe_name(document_id, reserved=("index.html",))
    return f"{folder}/{PAGE_NAMES.get(kind) or safe_name(city_id, '.html')}"


def write_page(dest: Path, relative: str, content: str) -> Path:
    """HTML → a file under ``dest`` (refused if the path would leave it);
    ``OutputError`` (exit 2) when the file system refuses it."""
    path = (dest / relative).resolve()
    if dest.resolve() not in path.parents:
        raise ValueError(f"review page path leaves the destination: {relative!r}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8", errors="replace", newline="\n")
    except OSError as exc:
        raise OutputError(f"{path}: the review page could not be written ({exc.strerror or exc})", exc.errno) from None
    return path
