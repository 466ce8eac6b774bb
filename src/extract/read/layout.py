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

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, count
from operator import add, not_

import regex

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


@dataclass(frozen=True)
class TextLines:
    """The lines of a text as ``soft_breaks`` and ``continued_breaks`` read
    them: what ``lines_of`` gives, without a ``Line`` per line. ``texts``:
    each line without its line end; ``ends``: the offset of each line's end;
    ``fixed``: whether the line is blank or set in columns, so that no break
    next to it is a wrap; ``pairs``: the index of each line that, like the
    line after it, is not fixed (the breaks that may be wraps)."""

    texts: list[str]
    ends: list[int]
    fixed: list[bool]
    pairs: list[int]

    @classmethod
    def of(cls, text: str) -> TextLines:
        texts = text.split("\n")
        if not texts[-1]:  # the text ends with a line end (or is empty): no line after it
            texts.pop()
        return cls._of(texts, list(map(add, accumulate(map(len, texts)), count())))

    @classmethod
    def of_lines(cls, lines: Sequence[Line]) -> TextLines:
        texts = [ln.text for ln in lines]
        return cls._of(texts, [ln.end for ln in lines])

    @classmethod
    def _of(cls, texts: list[str], ends: list[int]) -> TextLines:
        # blank, or set in columns (a table row, a list of members: a tab or a run of spaces inside it)
        fixed = [not inner or "\t" in inner or "  " in inner for inner in map(str.strip, texts)]
        return cls(texts, ends, fixed, [k for k in range(len(texts) - 1) if not (fixed[k] or fixed[k + 1])])


def wrap_width(lines: Sequence[Line]) -> int | None:
    """The column width ``lines`` are wrapped at, or None if they are not
    wrapped: most of the long lines end close to one width. Lines set in
    columns are left out: they are never wrapped, and a tab there stands for
    as many columns as the reader's tab stops say, not the writer's."""
    text_lines = TextLines.of_lines(lines)
    return _width(text_lines, _widths(text_lines))


def _widths(lines: TextLines) -> list[int]:
    """The width of each line as printed: without trailing white space, tabs expanded."""
    return list(map(len, map(str.expandtabs, map(str.rstrip, lines.texts))))


def _width(lines: TextLines, widths: list[int]) -> int | None:
    """``wrap_width`` of ``lines``, their ``_widths`` given."""
    lengths = sorted(compress(widths, map(not_, lines.fixed)))
    if len(lengths) < _MIN_LINES:
        return None
    width = lengths[int(0.98 * (len(lengths) - 1))]
    full = bisect_right(lengths, width) - bisect_left(lengths, 0.8 * width)  # 0.8 * width <= n <= width
    if width > _MAX_WIDTH or full < _FULL_SHARE * len(lengths):
        return None
    return width


def soft_breaks(text: str, lines: TextLines | None = None) -> frozenset[int]:
    """Offsets of the ``\\n`` of every soft break of ``text`` (the document's
    own text, where a no-break space still binds two words); ``lines``:
    ``TextLines.of(text)``, when the caller has it."""
    lines = TextLines.of(text) if lines is None else lines
    widths = _widths(lines)
    width = _width(lines, widths)
    if width is None:
        return frozenset()
    texts, ends = lines.texts, lines.ends
    return frozenset(ends[k] for k in lines.pairs
                     if widths[k] + 1 + len(_FIRST_WORD.search(texts[k + 1]).group()) > width)


_GOES_ON = regex.compile(r"^[ \t]*\p{Ll}")


def _ends_clause(line: str) -> bool:
    """Whether ``line`` ends a clause: closing punctuation, then perhaps
    closing quotes or brackets, then perhaps spaces or tabs."""
    return line.rstrip(" \t").rstrip("'\u2019\"\u201d)").endswith((".", "!", "?", ":", ";"))


def continued_breaks(text: str, continuation_words: frozenset[str] = frozenset(),
                     lines: TextLines | None = None) -> frozenset[int]:
    """Offsets of the ``\n`` after which a line goes on in lower case from a
    line that ends no clause (``Transforming into an educational and`` /
    ``cultural centre``): wraps whatever the width of the lines, as in a
    heading or tagline set over two short lines; and after a line that ends
    with a word no sentence ends with (``continuation_words`` of
    ``rules/text.yaml``: ``Mayor of`` / ``X``). Not beside a row set in
    columns. ``lines``: ``TextLines.of(text)``, when the caller has it."""
    lines = TextLines.of(text) if lines is None else lines
    texts, ends = lines.texts, lines.ends
    # a line that is not fixed is not blank: it has a last word
    return frozenset(ends[k] for k in lines.pairs
                     if (_GOES_ON.match(texts[k + 1]) and not _ends_clause(texts[k]))
                     or texts[k].rsplit(None, 1)[-1].casefold() in continuation_words)


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
    kept = list(soft)
    for p in derived(_joined_patterns, *starts):
        kept = [k for k in kept if not p.match(text, k + 1)]
    if bullet_re:
        kept = [k for k in kept if not bullet_re.match(text[k + 1:k + 200])]
    return frozenset(kept)


_GLOBAL_FLAGS = regex.compile(r"\(\?[a-zA-Z]+\)")  # an inline flag for the whole pattern: not joinable
# The flags a group of a pattern can set for itself, as it writes them.
_SCOPED_FLAGS = {regex.IGNORECASE: "i", regex.MULTILINE: "m", regex.DOTALL: "s"}
# A reference to a group by number or name (a backreference, a subroutine
# call, a condition): it might mean another group in patterns joined together.
_GROUP_REFERENCE = regex.compile(r"\\[1-9]|\\g|\(\?(?:P[=>]|&|R|[0-9]|[+-][0-9]|\()")


def _joined_patterns(*starts) -> tuple:
    """``starts`` as few patterns: those whose flags differ only in flags a
    group can set joined into one alternation (it matches at a place where
    one of them does), each in a group that sets the flags it differs in
    from the first (``(?i:…)``, or ``(?:…)``); a pattern with an inline flag
    for the whole pattern or a reference to a group stays as it is. One
    pattern is also much faster to match than several apart: ``regex`` first
    looks for a pattern's required string (``Participating``) in all of the
    text after the position, an alternation has none."""
    scoped = sum(_SCOPED_FLAGS)
    kinds: dict[int, list] = {}
    out = []
    for p in starts:
        if _GLOBAL_FLAGS.search(p.pattern) or _GROUP_REFERENCE.search(p.pattern):
            out.append(p)
        else:
            kinds.setdefault(p.flags & ~scoped, []).append(p)
    for kind in kinds.values():
        base = kind[0].flags
        groups = []
        for p in kind:
            on = "".join(c for f, c in _SCOPED_FLAGS.items() if p.flags & f and not base & f)
            off = "".join(c for f, c in _SCOPED_FLAGS.items() if base & f and not p.flags & f)
            groups.append(f"(?{on}{'-' + off if off else ''}:{p.pattern})")
        try:
            out.append(regex.compile("|".join(groups), base) if len(kind) > 1 else kind[0])
        except regex.error:
            out += kind
    return tuple(out)


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
