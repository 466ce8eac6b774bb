"""Hard-wrapped text: which line ends are wraps and which end a paragraph.

Text taken from a PDF or a plain-text mail is broken at a column edge, often
without blank lines between paragraphs. A line end is a *soft break* when
the line was full: the first word of the next line would not have fitted on
it. ``soft_breaks`` finds them in a text whose lines are wrapped at one width
(estimated from the line lengths); the PDF ingest finds them from the
positions of the words instead. A text that is not wrapped has none, and
each of its lines is a paragraph or a list entry.

A *logical line* is a run of lines joined by soft breaks."""
from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass

import regex

from extract.read.textutil import lines_of
from extract.rules.derived import derived
from extract.types import Line

# A word as a line breaker sees it: a no-break space does not end it.
_FIRST_WORD = regex.compile(r"[^ \t\r\n]+")
_MIN_LINES = 12
_FULL_SHARE = 0.3
_MAX_WIDTH = 200


@dataclass(frozen=True)
class Shifted:
    """The soft breaks of a document as seen from its slice that starts at
    ``offset`` (``k in Shifted`` ⇔ ``k + offset in soft``)."""

    soft: frozenset[int]
    offset: int

    def __contains__(self, k: object) -> bool:
        return isinstance(k, int) and k + self.offset in self.soft


def wrap_width(lines: tuple[Line, ...]) -> int | None:
    """The column width ``lines`` are wrapped at, or None if they are not
    wrapped: most of the long lines end close to one width. Lines set in
    columns are left out: they are never wrapped, and a tab there stands for
    as many columns as the reader's tab stops say, not the writer's."""
    lengths = sorted(len(ln.text.rstrip().expandtabs()) for ln in lines if not ln.blank and not _is_row(ln.text))
    if len(lengths) < _MIN_LINES:
        return None
    width = lengths[int(0.98 * (len(lengths) - 1))]
    full = sum(1 for n in lengths if 0.8 * width <= n <= width)
    if width > _MAX_WIDTH or full < _FULL_SHARE * len(lengths):
        return None
    return width


def soft_breaks(text: str, lines: tuple[Line, ...] | None = None) -> frozenset[int]:
    """Offsets of the ``\\n`` of every soft break of ``text`` (the document's
    own text, where a no-break space still binds two words); ``lines``: its
    lines, when the caller has them."""
    lines = lines_of(text) if lines is None else lines
    width = wrap_width(lines)
    if width is None:
        return frozenset()
    out = set()
    fixed = _fixed(lines)
    for k, (a, b) in enumerate(zip(lines, lines[1:])):
        if fixed[k] or fixed[k + 1]:
            continue
        word = _FIRST_WORD.search(b.text)
        if len(a.text.rstrip().expandtabs()) + 1 + len(word.group()) > width:
            out.add(a.end)
    return frozenset(out)


_ENDS_CLAUSE = regex.compile(r"[.!?:;]['\u2019\"\u201d)]*[ \t]*$")
_GOES_ON = regex.compile(r"^[ \t]*\p{Ll}")


def continued_breaks(text: str, continuation_words: frozenset[str] = frozenset(),
                     lines: tuple[Line, ...] | None = None) -> frozenset[int]:
    """Offsets of the ``\n`` after which a line goes on in lower case from a
    line that ends no clause (``Transforming into an educational and`` /
    ``cultural centre``): wraps whatever the width of the lines, as in a
    heading or tagline set over two short lines; and after a line that ends
    with a word no sentence ends with (``continuation_words`` of
    ``rules/text.yaml``: ``Mayor of`` / ``X``). Not beside a row set in
    columns. ``lines``: the lines of ``text``, when the caller has them."""
    lines = lines_of(text) if lines is None else lines
    out = set()
    fixed = _fixed(lines)
    for k, (a, b) in enumerate(zip(lines, lines[1:])):
        if fixed[k] or fixed[k + 1]:
            continue
        words = a.text.split()
        if (_GOES_ON.match(b.text) and not _ENDS_CLAUSE.search(a.text)) or (
                words and words[-1].casefold() in continuation_words):
            out.add(a.end)
    return frozenset(out)


def _is_row(line: str) -> bool:
    """A line set in columns (a table row, a list of members): a tab or a run
    of spaces inside it. It is never wrapped."""
    inner = line.strip()
    return "\t" in inner or "  " in inner


def _fixed(lines: Sequence[Line]) -> list[bool]:
    """Per line: blank or set in columns, so that no break next to it is a wrap."""
    return [ln.blank or _is_row(ln.text) for ln in lines]


def logical_end(text: str, pos: int, soft: Container[int], stop: int | None = None) -> int:
    """End of the logical line that contains ``pos`` (not past ``stop``)."""
    stop = len(text) if stop is None else stop
    while True:
        nl = text.find("\n", pos, stop)
        if nl < 0:
            return stop
        if nl not in soft:
            return nl
        pos = nl + 1


def logical_start(text: str, pos: int, soft: Container[int], floor: int = 0) -> int:
    """Start of the logical line that contains ``pos`` (not before ``floor``)."""
    while True:
        nl = text.rfind("\n", floor, pos)
        if nl < 0:
            return floor
        if nl not in soft:
            return nl + 1
        pos = nl


def hard_before(text: str, soft: frozenset[int], starts, bullet_re=None) -> frozenset[int]:
    """``soft`` without the breaks before a line that one of ``starts`` (a
    heading) matches at its start or that opens with a list marker: such a
    line always starts a block. (A dash or number that running text wraps
    onto a line start is read as a list marker too.)"""
    out = set()
    patterns = derived(_joined_patterns, *starts)
    for k in soft:
        line = text[k + 1:k + 200]
        if any(p.match(text, k + 1) for p in patterns) or (bullet_re and bullet_re.match(line)):
            continue
        out.add(k)
    return frozenset(out)


_GLOBAL_FLAGS = regex.compile(r"\(\?[a-zA-Z]+\)")  # an inline flag for the whole pattern: not joinable
def _joined_patterns(*starts) -> tuple:
    """``starts`` as few patterns: those with the same flags joined into one
    alternation (it matches at a place where one of them does)."""
    by_flags: dict[int, list] = {}
    alone = []
    for p in starts:
        if _GLOBAL_FLAGS.search(p.pattern):
            alone.append(p)
        else:
            by_flags.setdefault(p.flags, []).append(p)
    joined = list(alone)
    for flags, group in by_flags.items():
        if len(group) == 1:
            joined += group
            continue
        try:
            joined.append(regex.compile("|".join(f"(?:{p.pattern})" for p in group), flags))
        except regex.error:
            joined += group
    return tuple(joined)


def wrapped_start(lines: Sequence[Line], i: int, soft: Container[int], floor: int = 0,
                  stop: Callable[[Line], object] = lambda line: False) -> int:
    """Index of the first line of the run joined by soft breaks that ends with
    ``lines[i]``: not before ``floor``, and not over a line ``stop`` accepts."""
    while i > floor and lines[i - 1].end in soft and not stop(lines[i - 1]):
        i -= 1
    return i


def logical_lines(text: str, lines: tuple[Line, ...], soft: frozenset[int]) -> list[Line]:
    """``lines`` (consecutive lines of ``text``) with the ones joined by soft
    breaks merged into one ``Line`` whose text keeps the inner line ends."""
    out: list[Line] = []
    for ln in lines:
        if out and out[-1].end in soft and not ln.blank:
            out[-1] = Line(out[-1].start, ln.end, text[out[-1].start:ln.end])
        else:
            out.append(ln)
    return out
