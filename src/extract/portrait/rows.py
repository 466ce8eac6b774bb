"""Indicator-table rows: a printed line → label, value and year.

A row is ``LABEL VALUE (YEAR)`` where the label may be damaged: split by a
tab, a stray glyph or letter, a lost bracket. The label is folded
to lower-case letters and fullmatched against the fuzzy patterns of
``rules/indicators.yaml``."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import regex

from extract.portrait.quantities import quantity
from extract.portrait.rowyears import BRACKETED, DIGIT, year_after, year_first
from extract.rules.derived import derived, kept
from extract.rules.indicators import IndicatorRules, Label
from extract.types import Line, Span

# Where the value starts: a digit, a stray slash or bar before a digit, a
# missing-value marker, or a group word with a colon (`Men: 12.4`).
_VALUE_START = regex.compile(
    r"(?<![\p{L}])(?:[/|][ \t]*(?=[0-9])|[0-9]|n/a\b|\p{L}+[ \t]*:[ \t]*[0-9])", regex.I)
_GOES_ON = ("/", ",", ";", ":", "-", "\u2013")  # a value cut off at the line end
_STRAY = regex.compile(r"^[/|\\]+[ \t]*")
# A figure per population group (`Men: 12.4`).
GROUP = regex.compile(r"(?P<word>\p{L}+)[ \t]*:[ \t]*(?P<num>[0-9][0-9.,]*)")
_CELL = regex.compile(r"\t+| {2,}|[ \t]*\|[ \t]*")  # a column gap, a cell rule
_MAX_PIECES = 3  # a label, its value and its year, each on a line of its own
_LABEL_CHARS = 100  # the longest a printed label runs, bullets, scope and cell gaps included
_SPECIAL = re.compile("[0-9:/|]")  # what ends the label of every reading of a line (see ``_Classifier``)
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_NOT_ASCII_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())


@dataclass(frozen=True)
class Row:
    label: Label | None
    scope: Label | None
    errors: int
    label_raw: str
    value_raw: str
    value_start: int
    value_end: int
    year_raw: str
    year_start: int
    year_end: int
    label_start: int = 0  # where ``label_raw`` is in the line
    label_end: int = 0
    apart: tuple[Span, ...] = ()  # lines of cells set apart from the row (offsets in the text)


def compact(label: str) -> str:
    """The letters of ``label``, case-folded."""
    if label.isascii():  # its letters are A-Z and a-z, and case-folded is lower-cased
        return label.encode().translate(None, _NOT_ASCII_LETTERS).decode().lower()
    return "".join(filter(str.isalpha, label.casefold()))  # \p{L}, faster than a regex


def classify(label: str, rules: IndicatorRules) -> tuple[Label | None, Label | None, int] | None:
    """The (label, scope, errors) a printed label reads as, or None."""
    return _classify(label, _classifier(rules))


def _classify(label: str, known: _Classifier) -> tuple[Label | None, Label | None, int] | None:
    key = compact(label)
    if not key:
        return None
    seen = known.seen
    got = seen.get(key, seen)
    return kept(seen, key, known.read(key)) if got is seen else got


@dataclass
class _Classifier:
    """The row patterns by the text lengths they can match, and the keys
    and lines read so far (labels repeat in every table; readers ask for a
    line more than once).

    Two checks say "no row" without matching a pattern. ``pieces``: a key
    within ``e`` errors of a phrase holds one of the phrase's ``e + 1``
    parts unchanged, so a key that holds no part of any pattern of its
    length matches none. ``prose``: a line whose letters before the last
    word ahead of its first digit, colon, slash or bar outnumber the
    longest key (the label of every reading of the line, alone or joined
    to the lines after it, holds those letters) reads as no row."""
    patterns: tuple
    by_length: dict[int, tuple]
    pieces: dict[int, re.Pattern | None]  # key length → the parts, one of which a match holds (None: any key)
    prose: re.Pattern
    seen: dict[str, tuple | None]
    lines: dict[str, object]  # text → its Row, None, ``_PROSE`` or ``_NO_ROW``
    figures: dict[str, bool]  # value → ``is_figure``
    longest: int  # the longest key a pattern matches
    scopes: tuple[str, ...]  # the phrases of the scopes alone

    def read(self, key: str) -> tuple[Label | None, Label | None, int] | None:
        pieces = self.pieces.get(len(key))
        if pieces is not None and pieces.search(key) is None:
            return None
        best = None
        for lab, sc, pattern in self.by_length.get(len(key), ()):
            m = pattern.fullmatch(key)
            if m is None:
                continue
            errors = sum(m.fuzzy_counts)
            length = sum(len(x.phrase) for x in (lab, sc) if x)
            rank = (errors, -length)
            if best is None or rank < best[0]:
                best = (rank, lab, sc, errors)
        return None if best is None else best[1:]


def _classifier(rules: IndicatorRules) -> _Classifier:
    """The classifier of one rule set's row patterns, built once."""
    return derived(_build_classifier, rules)


def _build_classifier(rules: IndicatorRules) -> _Classifier:
    patterns = rules.row_patterns
    by_length: dict[int, list] = {}
    parts: dict[int, set[str]] = {}
    for lab, sc, pattern, shortest, longest in patterns:
        first = lab or sc
        for n in range(shortest, longest + 1):
            by_length.setdefault(n, []).append((lab, sc, pattern))
            parts.setdefault(n, set()).update(_parts(first.phrase, first.max_errors))
    pieces = {n: None if "" in p else re.compile("|".join(map(re.escape, sorted(p)))) for n, p in parts.items()}
    # the letters a line holds before the start of a word that precedes its first digit, colon, slash or bar
    letters = max(by_length, default=0) + 1
    prose = re.compile(rf"(?:[^A-Za-z0-9:/|\n]*+[A-Za-z]){{{letters}}}[^0-9:/|\n]*?[ \t][A-Za-z]")
    scopes = tuple(sc.phrase for lab, sc, *_ in patterns if lab is None and sc is not None)
    return _Classifier(patterns, {n: tuple(v) for n, v in by_length.items()}, pieces, prose, {}, {}, {},
                       letters - 1, scopes)


def _parts(phrase: str, errors: int) -> list[str]:
    """``phrase`` cut into ``errors + 1`` parts (empty ones when it is shorter)."""
    n = errors + 1
    return [phrase[len(phrase) * i // n:len(phrase) * (i + 1) // n] for i in range(n)]


def line_to_row(text: str, rules: IndicatorRules) -> Row | None:
    """Read one printed line as an indicator row; None if it is not one.
    (Remembered: the readers ask for a line more than once.)"""
    return _row(text, _classifier(rules), rules)


# What ``_row_of`` gives for a line that is no row, alone or joined to the
# lines after it: prose (see ``_Classifier``), or a line whose value starts
# where any longer text it opens reads the same label (``_line_to_row``).
_PROSE = object()
_NO_ROW = object()


def _row_of(text: str, known: _Classifier, rules: IndicatorRules):
    """``line_to_row``, or ``_PROSE`` or ``_NO_ROW``."""
    lines = known.lines
    got = lines.get(text, lines)
    if got is lines:
        got = kept(lines, text, _PROSE if known.prose.match(text) else _line_to_row(text, known, rules))
    return got


def _row(text: str, known: _Classifier, rules: IndicatorRules) -> Row | None:
    got = _row_of(text, known, rules)
    return None if got is _PROSE or got is _NO_ROW else got


def _line_to_row(text: str, known: _Classifier, rules: IndicatorRules):
    """``_read_line``; a year between the label and the value (``rowyears.year_first``) is the row's."""
    first = year_first(text, _LABEL_CHARS + 1)
    row = _read_line(first[0], known, rules) if first else None
    if isinstance(row, Row) and row.value_raw and not row.year_raw:
        return replace(row, year_raw=text[first[1]:first[2]], year_start=first[1], year_end=first[2])
    return _read_line(text, known, rules)


def _read_line(text: str, known: _Classifier, rules: IndicatorRules):
    """The row ``text`` reads as, or None; ``_NO_ROW`` when no text opening
    with ``text`` (the line joined to the lines after it) is a row either:
    over 200 characters; no value start or colon in its first 101; or a
    value start there (any such text's too) whose label failed, and so did
    the label up to a colon there, or the 101 are its own, or a colon
    further on would end a label of more letters than any key."""
    body = text.rstrip()
    if len(body) > 200:
        return _NO_ROW
    head = body[:_LABEL_CHARS + 1]
    # Every kind of value start holds an ASCII digit or `n/a`: most prose has neither.
    start = _VALUE_START.search(body, 0, _LABEL_CHARS + 1) if _may_start_value(head) else None
    # A label with nothing after it (`GDP per capita (in USD) City`) has no value.
    cut = len(body) if start is None else start.start()
    colon = body.find(":", 0, _LABEL_CHARS + 1)
    if cut > _LABEL_CHARS and colon < 0:
        return _NO_ROW  # prose: no label is that long
    got = _classify(body[:cut], known) if cut <= _LABEL_CHARS else None
    alt = _classify(body[:colon], known) if got and got[1] is None and cut < colon else None
    if alt is not None and alt[0] is got[0] and alt[1] is not None:  # `GDP per capita, City: 17,064`: a scope
        got, cut = alt, colon + 1
    if got is None and colon > 0:  # `• GDP – city: Between USD 10,000 and USD 15,000`
        cut = colon + 1
        got = _classify(body[:colon], known)
    if got is None:
        if start is not None and (colon >= 0 or len(body) > _LABEL_CHARS or _letters(body) > known.longest):
            return _NO_ROW
        return None
    label_raw = body[:cut].rstrip(": \t") if body[:cut].rstrip().endswith(":") else body[:cut]
    lab, sc, errors = got
    rest = body[cut:]
    ym = year_after(rest)
    if ym:
        value_part, year_raw = rest[:ym[0]], rest[ym[1]:ym[2]]
        ys, ye = cut + ym[1], cut + ym[2]
    else:
        value_part, year_raw, ys, ye = rest, "", len(body), len(body)
    lead = len(value_part) - len(value_part.lstrip())
    value_raw = value_part.strip()
    label_lead = len(label_raw) - len(label_raw.lstrip())
    label_raw = label_raw.strip()
    return Row(lab, sc, errors, label_raw, value_raw, cut + lead, cut + lead + len(value_raw),
               year_raw, ys, ye, label_lead, label_lead + len(label_raw))


def _may_start_value(head: str) -> bool:
    """Whether ``_VALUE_START`` can match in ``head``: it holds an ASCII digit or ``n/a``."""
    return DIGIT.search(head) is not None or "n/a" in head.lower()


def is_figure(value: str, rules: IndicatorRules) -> bool:
    """Whether a row's value has the shape of one: a figure or a range (units
    and a stray ``/`` or ``|`` before it allowed), a missing-value marker, or
    figures per group (``Men: 12.4 / Women: 10.9``); of a value set in cells
    (``80,006 | (2010) |``), its first cell, less a year. Prose that follows an indicator
    word (``population, 36% is classified as …``) is none. (Remembered:
    tables print the same few values over and over.)"""
    return _is_figure(value, _classifier(rules), rules)


def _is_figure(value: str, known: _Classifier, rules: IndicatorRules) -> bool:
    figures = known.figures
    got = figures.get(value)
    if got is None:
        cell = next((c for c in _CELL.split(value) if c.strip()), "")
        year = BRACKETED.search(cell)  # a cell holding the year too (`637,187 (2014)`)
        got = kept(figures, value, _figure(cell[:year.start()] if year and year.start() else cell, rules))
    return got


def _figure(value: str, rules: IndicatorRules) -> bool:
    v = _STRAY.sub("", value.strip())
    if not v:
        return False
    if v.lower() in rules.missing or quantity(v, rules) is not None:
        return True
    return bool(GROUP.search(v)) and not GROUP.sub("", v).strip(" \t/;,")


def _wants_more(row: Row, rules: IndicatorRules) -> bool:
    """Whether a row may go on on the next line: no value yet, a value cut off
    (``Men: 12.4 /``), or a figure with no year (a missing value has none)."""
    return (not row.value_raw or row.value_raw.endswith(_GOES_ON)
            or not (row.year_raw or row.value_raw.lower() in rules.missing))


def _continues(row: Row, joined: Row | None, rules: IndicatorRules) -> bool:
    """Whether ``joined`` (the row read over one more line) is ``row`` gone on:
    the same label and scope, and the year it lacked (its value unchanged), or
    the value it lacked or had cut off, a figure as a whole."""
    if joined is None or joined.label is not row.label or (row.label is None and joined.scope is not row.scope):
        return False
    if row.value_raw and not row.value_raw.endswith(_GOES_ON):
        return joined.value_raw == row.value_raw and bool(joined.year_raw)
    return len(joined.value_raw) > len(row.value_raw) and _figure(joined.value_raw, rules)


def _joined(text: str, first: Line, last: Line, known: _Classifier, rules: IndicatorRules) -> Row | None:
    """The lines ``first`` to ``last`` of ``text`` read as one row; offsets
    stay those of ``text`` from ``first.start`` (line ends read as spaces)."""
    return _row(text[first.start:last.end].replace("\n", " "), known, rules)


def _letters(text: str) -> int:
    """How many ASCII letters ``text`` holds."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data) - len(data.translate(None, _ASCII_LETTERS))


def read_row(text: str, lines: Sequence[Line], idx: Sequence[int], k: int,
             rules: IndicatorRules) -> tuple[Row, Span, int] | None:
    """The row that starts at ``lines[idx[k]]`` (``idx``: the indexes of the
    non-blank lines), its trimmed span and the position in ``idx`` after it;
    None if no row starts there. A row goes on over the next non-blank lines
    while they are not rows of their own and give it what it lacks: its
    value (`• Population Density:` then `More than 500 inhabitants per km²`;
    `Population`, `80,006`, `(2010)` one per line), the rest of a value cut
    off (`… Men: 12.4 /` then `Women: 10.9 (2015)`), its year (`(2011)`), or
    the end of its label (`Mean years of schooling (Cit` then `y) 14 (2015)`).
    A row's value is a figure, a range or a missing-value marker; a label
    alone is a row with no value."""
    return _read_row(text, lines, idx, k, rules, _classifier(rules))


def row_starts(text: str, lines: Sequence[Line], idx: Sequence[int],
               rules: IndicatorRules) -> Iterator[tuple[int, tuple[Row, Span, int]]]:
    """Each position ``k`` in ``idx`` where a row starts, with ``read_row``'s
    answer there; a prose line (see ``_Classifier``) is passed over unread."""
    known = _classifier(rules)
    seen = known.lines
    for k, i in enumerate(idx):
        got = seen.get(lines[i].text)
        if got is _PROSE or got is _NO_ROW:
            continue
        got = _read_row(text, lines, idx, k, rules, known)
        if got is not None:
            yield k, got


def _read_row(text: str, lines: Sequence[Line], idx: Sequence[int], k: int, rules: IndicatorRules,
              known: _Classifier) -> tuple[Row, Span, int] | None:
    line = lines[idx[k]]
    row = _row_of(line.text, known, rules)
    if row is _PROSE or row is _NO_ROW:
        return None  # no row, alone or joined to the lines after it
    last = k
    if row is None or (row.value_raw and not _is_figure(row.value_raw, known, rules)):
        # A label that goes on on the next line (`Mean years of schooling (City) Men:` then `12.4 / …`;
        # `Coun` then `try 10,230`).
        if k + 1 >= len(idx):
            return None
        after = _row_of(lines[idx[k + 1]].text, known, rules)
        if after is _PROSE and _SPECIAL.search(line.text) is None:
            return None  # the two lines read as one are prose too
        if after is not None and after is not _PROSE and after is not _NO_ROW:
            return None
        row = _joined(text, line, lines[idx[k + 1]], known, rules)
        if row is None or not _figure(row.value_raw, rules):
            return None
        last = k + 1
    while last + 1 < len(idx) and last - k < _MAX_PIECES - 1 and _wants_more(row, rules):
        nxt = lines[idx[last + 1]]
        own = _row(nxt.text, known, rules)
        if own is not None and (own.label is not None or row.value_raw):
            break  # a row of its own
        joined = _joined(text, line, nxt, known, rules)
        if not _continues(row, joined, rules):
            break
        row, last = joined, last + 1
    if last + 1 < len(idx) and row.label is not None and row.scope is None and row.value_raw:
        tail = _label_tail(text, line, lines[idx[last + 1]], row, known)
        after = _read_row(text, lines, idx, last + 1, rules, known) if tail is not None else None
        if tail is not None and (after is None or not after[0].value_raw):
            row, last = tail, last + 1
    end = lines[idx[last]]
    return row, Span(line.start + len(line.text) - len(line.text.lstrip()), end.start + len(end.text.rstrip())), last + 1


# The end of a label wrapped in its cell, below the line with the value: a
# scope, and the year if the row has none (`City (2015)`, `(City)`).
_TAIL = regex.compile(r"[ \t]*(?P<piece>[^\d\n]*?\p{L}[^\d\n]*?)[ \t]*(?:\((?P<year>[^()\n]*)\))?[ \t]*")


def _label_tail(text: str, line: Line, nxt: Line, row: Row, known: _Classifier) -> Row | None:
    """``row`` completed by ``nxt`` when ``nxt`` holds the end of its label
    (a scope the label prints) and, if the row has none, its year: a label
    wrapped in a narrow table cell whose value sits on its first line. A
    scope line that starts a row with a value of its own is no tail.
    The label's span then runs from its first piece to its last. (A scope
    word as printed is one whose letters are its phrase: the letters of
    such a line open with a scope's phrase.)"""
    if not _may_be_tail(nxt.text) or not compact(nxt.text).startswith(known.scopes):
        return None
    m = _TAIL.fullmatch(nxt.text)
    if m is None or (m["year"] is not None and row.year_raw):
        return None
    alone = _classify(m["piece"], known)
    if alone is None or alone[0] is not None or alone[2]:
        return None  # not a scope word as printed
    got = _classify(f"{row.label_raw} {m['piece']}", known)
    if got is None or got[0] is not row.label or got[1] is None or got[1].key not in row.label.scopes:
        return None
    base = line.start
    tail = dict(label_raw=f"{row.label_raw} {m['piece']}", scope=got[1], errors=got[2],
                label_end=nxt.start - base + m.end("piece"))
    if m["year"] is not None:
        tail.update(year_raw=m["year"], year_start=nxt.start - base + m.start("year"),
                    year_end=nxt.start - base + m.end("year"))
    return replace(row, **tail)


def _may_be_tail(text: str) -> bool:
    """Whether ``_TAIL`` can match ``text``: a digit in it is in the year's
    brackets at its end (no other bracket between them and after it)."""
    digit = DIGIT.search(text)
    if digit is None:
        return True
    at = digit.start()
    opening = text.rfind("(", 0, at)
    return opening >= 0 and text.find(")", opening, at) < 0 and text.find("(", at) < 0
