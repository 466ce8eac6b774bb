"""Stage 2, segment: a ``Document`` → a ``Segmentation`` (its portraits).

A portrait starts with its header (the tagline just above the indicator
table, and above it any lines naming the city, its country or when it joined
the network) and runs to the end of its contact block (``Contact details``
up to the line with the email) or to the next portrait's header. Portraits
are found by their indicator tables, and — for a portrait without a table —
by a ``Vision and motivation`` heading with no table before it. Nothing here
depends on blank lines or on one paragraph per line.

The list of participating cities (``Participating cities`` then its
entries, up to the award legend ``* UNESCO Learning City Awardee 2015``)
gives the members, read by ``members.read_members``; it is no portrait's."""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from extract.portrait.cells import read_table
from extract.portrait.members import read_members
from extract.portrait.rows import Row, is_figure, row_starts
from extract.read.layout import wrapped_start
from extract.read.textutil import fold_key, lines_of
from extract.rules import DocumentRules, Heading, IndicatorRules, PeopleRules, PlaceRules, Rules
from extract.rules.derived import derived, kept
from extract.types import Document, Line, Portrait, Segmentation, Span

_CONTACT_LINES = 8
_TAGLINE_WORDS = 15  # a line of this many words is prose, not a portrait's tagline


@dataclass(frozen=True)
class SegmentRules:
    """What segmentation reads: the headings, the member list and the joining
    statement, indicator rows (a table opens a portrait), country and city
    names, and the shape of an email (a contact block's end)."""

    headings: tuple[Heading, ...]
    document: DocumentRules
    indicators: IndicatorRules
    places: PlaceRules
    people: PeopleRules

    @classmethod
    def of(cls, rules: Rules) -> SegmentRules:
        return cls(rules.headings, rules.document, rules.indicators, rules.places, rules.people)


def _starts_table(row: Row | None, rules: SegmentRules) -> bool:
    """Whether ``row`` opens a table: a label that does, with a figure."""
    return bool(row and row.label and row.label.starts_table and is_figure(row.value_raw, rules.indicators))


_VISION, _CONTACT, _EMAIL, _BLANK = 1, 2, 4, 8


@dataclass
class _Marker:
    """What segmenting asks of a line, as bits: the vision heading at its
    start, the contact heading in it, an email in it, blank. Remembered by
    the line's text (headings and blank lines recur in every portrait)."""

    vision: Any
    contact: Any
    email: Any
    seen: dict[str, int]

    def mark(self, text: str) -> int:
        got = ((_VISION if self.vision is not None and self.vision.match(text) else 0)
               | (_CONTACT if self.contact is not None and self.contact.search(text) else 0)
               | (_EMAIL if "@" in text and self.email.search(text) else 0)  # the email pattern opens with `@`
               | (0 if text.strip() else _BLANK))
        return kept(self.seen, text, got)


def _marker(headings: tuple[Heading, ...], people: PeopleRules) -> _Marker:
    vision = next((h.pattern for h in headings if h.section == "vision"), None)
    contact = next((h.pattern for h in headings if h.section == "contact"), None)
    return _Marker(vision, contact, people.email_domain_re, {})


@dataclass(frozen=True)
class _Marks:
    """The indexes of a document's lines that are not blank, that open with
    the vision heading, that hold the contact heading, that hold an email."""

    filled: list[int]
    vision: list[int]
    contact: list[int]
    email: list[int]


def _marks(lines: tuple[Line, ...], rules: SegmentRules) -> _Marks:
    marker = derived(_marker, rules.headings, rules.people)
    get, mark = marker.seen.get, marker.mark
    filled: list[int] = []
    vision: list[int] = []
    contact: list[int] = []
    email: list[int] = []
    for i, ln in enumerate(lines):
        bits = get(ln.text)
        if bits is None:
            bits = mark(ln.text)
        if bits == 0:
            filled.append(i)
        elif bits != _BLANK:
            if not bits & _BLANK:
                filled.append(i)
            if bits & _VISION:
                vision.append(i)
            if bits & _CONTACT:
                contact.append(i)
            if bits & _EMAIL:
                email.append(i)
    return _Marks(filled, vision, contact, email)


def _any_in(indexes: list[int], low: int, high: int) -> bool:
    """Whether the sorted ``indexes`` hold one in ``[low, high)``."""
    k = bisect_left(indexes, low)
    return k < len(indexes) and indexes[k] < high


def _table_rows(doc: Document, lines: tuple[Line, ...], idx: list[int], rules: SegmentRules
                ) -> dict[int, tuple[Row, int]]:
    """Each line that starts a row → the row and the index of the line after
    it (``idx``: the indexes of the lines that are not blank)."""
    out = {}
    for k, (row, _, nxt) in row_starts(doc.match_text, lines, idx, rules.indicators):
        after = idx[nxt - 1] + 1
        if row.label is not None and row.label.starts_table and not row.value_raw:
            # a table read column by column: its first label's value comes after the other labels
            table = read_table(doc.match_text, lines[idx[k]:], rules.indicators)
            if table.rows and table.rows[0][0].value_raw:
                row, after = table.rows[0][0], idx[k] + table.end
        out[idx[k]] = (row, after)
    return out


def _joined(rules: SegmentRules):
    """Whether a line states when the city joined: it is a line of its own."""
    return lambda line: rules.document.joined_re.search(line.text)


def _header(lines: tuple[Line, ...], anchor: int, floor: int, names: set[str], rules: SegmentRules,
            soft: frozenset[int]) -> int:
    """Index of the first header line above ``anchor`` (not below ``floor``):
    the tagline (one logical line), and above it lines naming the city, its
    country or when it joined."""
    i = anchor - 1
    while i >= floor and lines[i].blank:
        i -= 1
    if i < floor:
        return anchor
    first = wrapped_start(lines, i, soft, floor, _joined(rules))  # the tagline
    i = first - 1
    while i >= floor:
        if lines[i].blank:
            i -= 1
            continue
        top = wrapped_start(lines, i, soft, floor, _joined(rules))
        text = " ".join(ln.text.strip() for ln in lines[top:i + 1])
        if not (fold_key(text) in names or rules.document.joined_re.search(text)):
            break
        first = top
        i = top - 1
    return first


def _intro_top(lines: tuple[Line, ...], vision: int, floor: int, soft: frozenset[int]) -> int:
    """For a portrait found by its vision heading (no table): the first line
    of the prose just above the heading (its intro: paragraphs that end a
    sentence or are too long for a tagline, speaker lines ``> …``), not
    above ``floor``; the header is above it. The heading itself when no
    prose stands there."""
    top, i = vision, vision - 1
    while i >= floor:
        if lines[i].blank:
            i -= 1
            continue
        first = wrapped_start(lines, i, soft, floor)
        text = " ".join(ln.text.strip() for ln in lines[first:i + 1])
        if not (text.startswith(">") or text.rstrip("'\"\u2019\u201d)]").endswith((".", "!", "?", "\u2026"))
                or len(text.split()) >= _TAGLINE_WORDS):
            break  # the tagline
        top, i = first, first - 1
    return top


def _contact_end(marks: _Marks, start: int, stop: int) -> int | None:
    """Index after the last line of the contact block in ``lines[start:stop]``
    (the line with its email, no more than ``_CONTACT_LINES`` lines that are
    not blank after the heading's), or None if there is no such block."""
    k = bisect_left(marks.contact, start)
    if k == len(marks.contact) or marks.contact[k] >= stop:
        return None
    heading = marks.contact[k]
    k = bisect_left(marks.email, heading)
    if k == len(marks.email) or marks.email[k] >= stop:
        return None
    email = marks.email[k]
    if bisect_left(marks.filled, email) - bisect_left(marks.filled, heading) > _CONTACT_LINES:
        return None
    return email + 1


def _anchors(lines: tuple[Line, ...], rows: dict[int, tuple[Row, int]], marks: _Marks,
             rules: SegmentRules) -> list[int]:
    """The line where each portrait is anchored: a row that opens a table,
    unless only rows and blank lines stand between it and the table before;
    a vision heading after which comes no table, unless it is the first
    since the last anchor and that anchor is a table's (a portrait's own
    heading). Lines inside a row are passed over."""
    anchors: list[int] = []
    in_table = False  # every line since the last anchor is a table row or blank
    after = 0  # the first line not yet read
    vision = set(marks.vision)
    for i in sorted(rows.keys() | vision):
        if i < after:
            continue  # inside a row
        if in_table and _any_in(marks.filled, after, i):
            in_table = False  # a line between that is not blank and no row
        row, after = rows.get(i, (None, i + 1))
        if _starts_table(row, rules):
            if not (anchors and in_table):  # a table right after a table is the same portrait's
                anchors.append(i)
            in_table = True
            continue
        if row is None and not lines[i].blank:
            in_table = False
        # after a vision heading that is an anchor itself, the next one starts a portrait too
        if i in vision and (not anchors or _any_in(marks.vision, anchors[-1] + (anchors[-1] not in vision), i)):
            anchors.append(i)
    return anchors


def _line_at(lines: tuple[Line, ...], offset: int, default: int | None = None) -> int:
    """Index of the first line that starts at ``offset`` or after it (``default`` if none)."""
    i = bisect_left(lines, offset, key=_START)
    if i == len(lines):
        if default is None:
            raise StopIteration  # as ``next`` of an empty run
        return default
    return i


_START = attrgetter("start")


def segment(doc: Document, rules: SegmentRules) -> Segmentation:
    """Split ``doc`` into portraits, members and the text outside portraits."""
    lines = lines_of(doc.match_text)
    member_list = read_members(doc, lines, rules.document, rules.places)
    members, member_spans = member_list.members, member_list.lines
    names = {fold_key(n) for m in members for n in m.names} | {fold_key(m.country) for m in members}
    names |= {fold_key(alias) for _, _, alias in rules.places.city_aliases}
    marks = _marks(lines, rules)
    rows = _table_rows(doc, lines, marks.filled, rules)
    anchors = _anchors(lines, rows, marks, rules)
    # The member list, wherever it stands (front matter, after the portraits,
    # the last lines), is no portrait's: line indexes [list_first, list_end).
    list_first = list_end = len(lines)
    if member_spans:
        list_first = _line_at(lines, member_spans[0].start)
        list_end = _line_at(lines, member_spans[-1].end, len(lines))
    heads, tops, soft = [], [], doc.soft or frozenset()
    tabled = [_starts_table(rows.get(a, (None, 0))[0], rules) for a in anchors]  # else found by its vision heading
    for k, a in enumerate(anchors):
        low = list_end if list_end <= a else 0
        if k:  # not above the previous portrait's table or contact block
            low = max(low, anchors[k - 1] + 1, _contact_end(marks, anchors[k - 1], a) or 0)
        tops.append(a if tabled[k] else _intro_top(lines, a, low, soft))
        heads.append(_header(lines, tops[-1], low, names, rules, soft))
    portraits, outside = [], []
    floor = list_end if heads and list_end <= heads[0] else 0
    if heads and lines and lines[floor].start < lines[heads[0]].start:
        outside.append(Span(lines[floor].start, lines[heads[0]].start))
    for k, (head, anchor) in enumerate(zip(heads, anchors)):
        stop = heads[k + 1] if k + 1 < len(heads) else len(lines)
        if anchor < list_first < stop:
            stop = list_first
        end = _contact_end(marks, anchor, stop) or stop
        body = lines[head:end]
        tail = tuple(ln for ln in lines[end:stop] if not ln.blank)
        if k + 1 == len(heads) and tail:
            outside.append(Span(tail[0].start, tail[-1].end))
            tail = ()
        table = anchor - head if tabled[k] else None
        portraits.append(Portrait(
            document_id=doc.document_id, index=k, span=Span(body[0].start, body[-1].end),
            lines=body, header=tuple(ln for ln in lines[head:tops[k]] if not ln.blank),
            table_start=table, tail=tail))
    published = rules.document.published_re.search(doc.match_text)
    return Segmentation(document=doc, members=members, member_lines=member_spans,
                        member_unreadable=member_list.unreadable,
                        portraits=tuple(portraits), outside=tuple(s for s in outside if doc.match_text[s.start:s.end].strip()),
                        published_year=int(published.group("year")) if published else None)
