"""Stage 1, ingest: a file → a ``Document``.

A PDF (recognized by its ``%PDF-`` header, whatever the file is called) is
read by ``pdf.read_pdf``. Text:
Decodes UTF-8 (with or without BOM) and UTF-16 (with BOM), falling back to
Windows-1252. ``Document.text`` keeps every character of the file after the
BOM, so offsets into it are offsets into what the user sees.
``Document.match_text`` is the same length and is what extractors read: CR and
CRLF line ends become ``\\n`` (the CR of a CRLF becomes a space), no-break
spaces become spaces, typographic quotes become ASCII quotes. Because each
character maps to one character, every offset found in ``match_text`` is
valid in ``text``."""
from __future__ import annotations

from pathlib import Path

import regex

from .errors import InputError
from .types import Document

_FORM_FEED = regex.compile("\x0c")
_FOLD = str.maketrans({
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\ufeff": " ",
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201a": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2028": "\n", "\u2029": "\n", "\x0c": "\n", "\x0b": "\n",
})


def fold(text: str) -> str:
    """``text`` with line ends, spaces and quotes folded, same length."""
    text = text.replace("\r\n", " \n").replace("\r", "\n")
    return text.translate(_FOLD)


def decode(data: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding name)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def ingest(path: str | Path) -> Document:
    """Read one input file into a ``Document``; ``InputError`` if it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror})") from None
    if data[:1024].lstrip().startswith(b"%PDF-"):
        from .pdf import read_pdf
        return read_pdf(path)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(str(path), "is binary, not text")
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"cannot be decoded ({exc.reason})") from None
    if not text.strip():
        raise InputError(str(path), "is empty")
    return Document(document_id=path.name, path=str(path), text=text, match_text=fold(text),
                    encoding=encoding, page_starts=page_starts(text))


def page_starts(text: str) -> tuple[int, ...]:
    """Where each page of a text starts: after each form feed (as ``pdftotext`` writes)."""
    return (0,) + tuple(m.end() for m in _FORM_FEED.finditer(text) if m.end() < len(text))
