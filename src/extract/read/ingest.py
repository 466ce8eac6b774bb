"""Stage 1, ingest: a file → a ``Document``.

A PDF (recognized by its ``%PDF-`` header, whatever the file is called) is
read by ``pdf.read_pdf``. Text is decoded as UTF-8 (with or without BOM) or
UTF-16 (with a BOM, or without one when its NULs show it), falling back to
Windows-1252; bytes that are mostly control characters are binary, not text.
A file over the size limit is refused unread, and a line over the line limit
is blanked in ``match_text`` and listed in ``Document.masked`` (see
``limits``). ``Document.text`` keeps every character of the file after the
BOM, so offsets into it are offsets into what the user sees; where a page
sets two columns side by side on its lines (``pdftotext -layout``), their
lines are put in reading order in place (``columns.read_columns``: same
length, the same characters, ``Document.columns`` saying what moved).
``Document.match_text`` is the same length and is what extractors read: CR and
CRLF line ends become ``\\n`` (the CR of a CRLF becomes a space), no-break
spaces become spaces, typographic quotes become ASCII quotes. Because each
character maps to one character, every offset found in ``match_text`` is
valid in ``text``."""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import regex

from extract.errors import InputError
from extract.read.columns import read_columns
from extract.read.limits import Limits
from extract.read.repair import repair_text
from extract.read.textutil import blank, fold, non_ascii
from extract.rules.text import ColumnRules, shipped_columns
from extract.types import Document, Span

_FORM_FEED = regex.compile("\x0c")
_LINE = regex.compile(r"[^\n]+")
# control characters other than line ends and tabs, and the replacement character
_NOT_TEXT = regex.compile(r"[^\P{Cc}\t\n\r\x0b\x0c\x85]|\ufffd")
# The same, listed (the control characters are a fixed set, all below U+0100).
_NOT_TEXT_ASCII = "".join(c for c in map(chr, range(0x80)) if _NOT_TEXT.match(c))
_NOT_TEXT_OUTSIDE = frozenset(c for c in map(chr, [*range(0x80, 0x100), 0xFFFD]) if _NOT_TEXT.match(c))
_LONE_SURROGATE = regex.compile(r"[\ud800-\udfff]")
_OUTSIDE_ASCII = regex.compile(r"[^\x00-\x7f\ufffd]")
# Encodings ``decode`` can only guess, with the names a person knows them by.
GUESSED_ENCODINGS = {"cp1252": "Windows-1252", "utf-16-le": "UTF-16 (little-endian)",
                     "utf-16-be": "UTF-16 (big-endian)"}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", **GUESSED_ENCODINGS}


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when every other byte of the start is a
    NUL (Latin text in UTF-16 written without a byte order mark), else None."""
    head = data[:4096]
    even, odd = head[0::2], head[1::2]
    if not odd or len(data) % 2:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _lenient(data: bytes, codec: str) -> tuple[str, int]:
    """``data`` decoded with each byte (UTF-8) or code unit (UTF-16) that is
    not valid replaced by U+FFFD, and how many were replaced."""
    if codec == "utf-8":
        text = data.decode(codec, errors="surrogateescape")  # a bad byte → one lone surrogate
    else:
        cut = len(data) % 2  # an odd byte at the end
        text = data[:len(data) - cut].decode(codec, errors="surrogatepass") + "\udcff" * cut
    text, bad = _LONE_SURROGATE.subn("\ufffd", text)
    return text, bad


def decode(data: bytes) -> tuple[str, str, int]:
    """Bytes → (text, encoding name, bytes replaced): UTF-8 with or without
    BOM, UTF-16 with a BOM or (guessed from its NULs) without, else
    Windows-1252. Bytes that are not valid in the encoding read are replaced
    by U+FFFD and counted; a few of them in a UTF-8 file (fewer than its
    valid characters outside ASCII) do not make it Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        text, bad = _lenient(data[3:], "utf-8")
        return text, "utf-8-sig", bad
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, bad = _lenient(data[2:], "utf-16-le" if data[0] == 0xFF else "utf-16-be")
        return text, "utf-16", bad
    guess = _utf16_without_bom(data) if b"\x00" in data[:4096] else None
    if guess:
        text, bad = _lenient(data, guess)
        return text, guess, bad
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    text, bad = _lenient(data, "utf-8")
    if bad <= len(_OUTSIDE_ASCII.findall(text)):
        return text, "utf-8", bad
    return data.decode("cp1252", errors="replace"), "cp1252", 0


def _looks_binary(text: str, outside: frozenset[str]) -> bool:
    """Whether decoded text is mostly not text: more than 5% control
    characters (NULs among them) or undecodable bytes in its first 64k
    characters, wherever in them they fall. ``outside``: the characters of
    ``text`` outside ASCII (``non_ascii``); text that holds none of the
    characters counted, there or among its ASCII ones, is not counted."""
    head = text[:65536]
    if not (outside & _NOT_TEXT_OUTSIDE or any(c in head for c in _NOT_TEXT_ASCII)):
        return False
    bad = len(_NOT_TEXT.findall(head))
    return bad > 0.05 * len(head)


def too_long_lines(text: str, limit: int) -> tuple[Span, ...]:
    """The lines of ``text`` longer than ``limit`` characters."""
    if len(text) <= limit:
        return ()
    return tuple(Span(m.start(), m.end()) for m in _LINE.finditer(text) if m.end() - m.start() > limit)


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def not_regular(mode: int) -> str:
    """What a file of ``mode`` is when it is not a regular file (``a FIFO …``), else ``""``."""
    if stat.S_ISREG(mode):
        return ""
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def os_problem(path: Path, exc: OSError) -> str:
    """Why ``path`` cannot be read, from the error reading it raised."""
    if exc.errno == errno.ELOOP:
        return f"is a symbolic link loop ({exc.strerror})"
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return "is a symbolic link to nothing (a broken link)"
    return f"cannot be read ({exc.strerror})"


def read_at_most(fh: BinaryIO, size: int, chunk: int = 1 << 20) -> bytes:
    """At most ``size`` bytes of ``fh``, read in chunks (a large ``size`` is
    never allocated at once)."""
    parts, total = [], 0
    while total < size:
        part = fh.read(min(chunk, size - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
    return b"".join(parts)


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ``InputError``
    for anything else. Nothing that is not a regular file is opened for
    reading (a FIFO would block, a device never end), and no more than
    ``limit + 1`` bytes are read."""
    try:
        kind = not_regular(os.stat(path).st_mode)
        if kind:
            raise InputError(str(path), f"is {kind}, not a regular file")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with open(fd, "rb", closefd=True) as fh:
            info = os.fstat(fh.fileno())
            kind = not_regular(info.st_mode)  # swapped for another kind since the check
            if kind:
                raise InputError(str(path), f"is {kind}, not a regular file")
            if info.st_size > limit:
                raise InputError(str(path), f"is {info.st_size / 1e6:.1f} MB, over the limit of "
                                            f"{limit / 1e6:g} MB (--max-file-mb)")
            data = read_at_most(fh, limit + 1)
    except OSError as exc:
        raise InputError(str(path), os_problem(path, exc)) from None
    if len(data) > limit:
        raise InputError(str(path), f"grew over the limit of {limit / 1e6:g} MB (--max-file-mb) while it was read")
    return data


def ingest(path: str | Path, limits: Limits = Limits(), columns: ColumnRules | None = None) -> Document:
    """Read one input file into a ``Document``; ``InputError`` if it is not a
    regular file, cannot be read, is over a limit, is binary or is empty. Two
    columns side by side are told by ``columns`` (default: those of the
    shipped rules)."""
    path = Path(path)
    data = read_bytes(path, limits.max_file_bytes)
    if data[:1024].lstrip().startswith(b"%PDF-"):
        from extract.read.pdf import read_pdf
        doc = read_pdf(path, limits, data)
    else:
        doc = text_document(path, data, columns or shipped_columns())
    doc = replace(doc, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    masked = too_long_lines(doc.match_text, limits.max_line_chars)
    if masked:
        doc = replace(doc, match_text=blank(doc.match_text, masked), masked=masked)
    return doc


def text_document(path: Path, data: bytes, columns: ColumnRules) -> Document:
    """The bytes of a text file → a ``Document``; ``InputError`` if binary or empty."""
    text, encoding, replaced = decode(data)
    outside = non_ascii(text)
    if _looks_binary(text, outside):
        raise InputError(str(path), "is binary, not text")
    if not text.strip():
        raise InputError(str(path), "is empty")
    text, repair = repair_text(text, outside)
    repaired = ""
    if repair is not None:
        shown = "; ".join(f"{bad!r} → {good!r}" for bad, good in repair.examples)
        repaired = f"mojibake undone in {repair.words} word(s) ({repair.steps}), e.g. {shown}"
        outside = non_ascii(text)
    # the columns read move characters, and drop white space at most: ``outside`` still holds them all
    text, regions = read_columns(text, columns)
    return Document(document_id=path.name, path=str(path), text=text, match_text=fold(text, outside),
                    encoding=encoding, page_starts=page_starts(text), repaired=repaired, columns=regions,
                    replaced=replaced)


def page_starts(text: str) -> tuple[int, ...]:
    """Where each page of a text starts: after each form feed (as ``pdftotext`` writes)."""
    if "\x0c" not in text:
        return (0,)
    return (0,) + tuple(m.end() for m in _FORM_FEED.finditer(text) if m.end() < len(text))
