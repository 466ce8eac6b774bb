"""Small text helpers shared by the stages: ``fold`` (the same-length text
the stages match on), lines with offsets, slugs, folding for comparison, and re-joining of broken lines."""
from __future__ import annotations

import functools
import unicodedata
from itertools import accumulate, count
from operator import add

import regex
from anyascii import anyascii

from extract.types import Line, Span

_LAST_WORD = regex.compile(r"(?r)[\p{L}\p{N}']+")  # a word, looked for from the end
_NOT_NAME = regex.compile(r"[^\w'-]+")
_NOT_SLUG = regex.compile(r"[^a-z0-9]+")
_BROKEN_HYPHEN = regex.compile(r"(?<=\p{Ll})- (?=\p{Ll})")


_FOLD = str.maketrans({
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\ufeff": " ",
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201a": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2028": "\n", "\u2029": "\n", "\x0c": "\n", "\x0b": "\n", "\x85": "\n", "\x00": " ",
})


# What ``fold`` changes, as str.replace pairs: ``translate`` takes some 100 ns
# a character once the text holds any non-ASCII letter, a ``replace`` of one
# character less than 1 ns. Every character maps to one that is no key, so
# the order of the replacements does not matter.
_FOLD_CHARS = {chr(k): v for k, v in _FOLD.items()}
_FOLD_ASCII = "".join(c for c in _FOLD_CHARS if c.isascii())
# A decimal digit of another script than ASCII (fullwidth, Arabic-Indic, Devanagari …).
OTHER_DIGIT = regex.compile(r"(?![0-9])\p{Nd}")
_ASCII_BYTES = bytes(range(128))


def non_ascii(text: str) -> frozenset[str]:
    """The characters of ``text`` outside ASCII, each once. Its UTF-8 bytes
    without the ASCII ones are the UTF-8 of those characters alone (no byte
    of a multi-byte sequence is ASCII): three passes in C, several times
    faster than a regex or ``set`` over the text."""
    if text.isascii():
        return frozenset()
    rest = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    return frozenset(rest.decode("utf-8", "surrogatepass"))


def fold(text: str, outside: frozenset[str] | None = None) -> str:
    """``text`` with line ends, spaces and quotes folded, and every decimal
    digit of another script read as its ASCII digit (``unicodedata.decimal``),
    same length. ``outside``: the characters outside ASCII ``text`` may hold
    (``non_ascii(text)``, or more), when the caller has them."""
    folded = [c for c in _FOLD_ASCII if c in text]
    digits = False
    if not text.isascii():
        outside = non_ascii(text) if outside is None else outside
        folded += [c for c in outside if c in _FOLD_CHARS]
        digits = any(OTHER_DIGIT.match(c) for c in outside)
    if "\r" in text:
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    if digits:
        text = OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m[0])), text)
    for c in folded:
        text = text.replace(c, _FOLD_CHARS[c])
    return text


def lines_of(text: str, start: int = 0, end: int | None = None) -> tuple[Line, ...]:
    """The lines of ``text[start:end]`` with their offsets in ``text``."""
    end = len(text) if end is None else end
    if 0 <= start < end <= len(text):  # one split, the offsets summed in C
        texts = text[start:end].split("\n")
        if not texts[-1]:  # the slice ends with a line end: no line after it
            texts.pop()
        ends = list(map(add, accumulate(map(len, texts)), count(start)))
        return tuple(map(Line, [start] + [e + 1 for e in ends[:-1]], ends, texts))
    out, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        out.append(Line(pos, stop, text[pos:stop]))
        pos = stop + 1
    return tuple(out)


def trimmed(line: Line) -> Span:
    """The span of a line without its leading and trailing white space."""
    text, start = line.text, line.start
    return Span(start + len(text) - len(text.lstrip()), start + len(text.rstrip()))


def fold_words(s: str) -> str:
    """``s`` as ASCII, lower case words with single spaces: what names are
    compared by (not cached: for long texts)."""
    s = to_ascii(unicodedata.normalize("NFC", s)).casefold()
    return " ".join(_NOT_NAME.sub(" ", s).split())


@functools.lru_cache(maxsize=1 << 16)
def fold_key(s: str) -> str:
    """``fold_words`` of a name, cached: member names are compared over and over."""
    return fold_words(s)


def blank(text: str, spans) -> str:
    """``text`` with ``spans`` (in order) replaced by spaces: same length."""
    parts, at = [], 0
    for s in spans:
        parts += [text[at:s.start], " " * (s.end - s.start)]
        at = s.end
    return "".join(parts) + text[at:]


_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")
_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def shown_name(name: str) -> str:
    """A file name as text that can be written anywhere: the bytes that are
    not UTF-8 (held as surrogate escapes by ``os.fsdecode``) shown as ``\\xNN``."""
    return _SURROGATE.sub(lambda m: (f"\\x{ord(m[0]) - 0xDC00:02x}" if ord(m[0]) >= 0xDC80
                                     else f"\\u{ord(m[0]):04x}"), name)


def to_ascii(s: str) -> str:
    """``anyascii(s)``, fast on text that is mostly ASCII: only the non-ASCII
    runs are transliterated."""
    return s if s.isascii() else _NON_ASCII.sub(lambda m: anyascii(m.group()), s)


def slug(s: str) -> str:
    return _NOT_SLUG.sub("-", anyascii(s).lower().replace("'", "")).strip("-")


def squash(s: str) -> str:
    """White space runs to one space, ends stripped; `non- governmental` → `non-governmental`."""
    s = " ".join(s.split())
    return _BROKEN_HYPHEN.sub("-", s) if "- " in s else s


def last_word(s: str) -> str:
    """The last word of ``s``, lower case (found from the end of ``s``)."""
    word = _LAST_WORD.search(s)
    return word.group().lower() if word else ""


def continues(prev: str, nxt: str, continuation_words: frozenset[str]) -> bool:
    """Whether paragraph ``nxt`` goes on from ``prev`` (broken by a page break):
    ``prev`` ends with a comma, a hyphen or a continuation word, or ``nxt``
    starts with a lower-case letter while ``prev`` has no closing punctuation."""
    p, n = prev.rstrip(), nxt.lstrip()
    if not p or not n:
        return False
    if p[-1] in ".!?:;'\")":
        return False
    if p[-1] in ",-" or last_word(p) in continuation_words:
        return True
    return n[0].islower()
