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

from dataclasses import dataclass

from extract.portrait.cells import read_table
from extract.portrait.members import read_members
from extract.portrait.rows import Row, is_figure, read_row
from extract.read.layout import wrapped_start
from extract.read.textutil import fold_key, lines_of
from extract.rules import DocumentRules, Heading, IndicatorRules, PeopleRules, PlaceRules, Rules
from extract.types import Document, Line, Portrait, Segmentation, Span

_CONTACT_LINES = 8


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


def _table_rows(doc: Document, lines: tuple[Line, ...], rules: SegmentRules) -> dict[int, tuple[Row, int]]:
    """Each line that starts a row → the row and the index of the line after it."""
    idx = [i for i, ln in enumerate(lines) if not ln.blank]
    out = {}
    for k in range(len(idx)):
        got = read_row(doc.match_text, lines, idx, k, rules.indicators)
        if got is None:
            continue
        row, after = got[0], idx[got[2] - 1] + 1
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


def _contact_end(lines: tuple[Line, ...], start: int, stop: int, rules: SegmentRules) -> int | None:
    """Index after the last line of the contact block in ``lines[start:stop]``
    (the line with its email), or None if there is no such block."""
    contact = next((h for h in rules.headings if h.section == "contact"), None)
    if contact is None:
        return None
    for i in range(start, stop):
        if contact.pattern.search(lines[i].text):
            seen = 0
            for j in range(i, stop):
                if rules.people.email_domain_re.search(lines[j].text):
                    return j + 1
                seen += not lines[j].blank
                if seen > _CONTACT_LINES:
                    break
            return None
    return None


def segment(doc: Document, rules: SegmentRules) -> Segmentation:
    """Split ``doc`` into portraits, members and the text outside portraits."""
    lines = lines_of(doc.match_text)
    member_list = read_members(doc, lines, rules.document, rules.places)
    members, member_spans = member_list.members, member_list.lines
    names = {fold_key(n) for m in members for n in m.names} | {fold_key(m.country) for m in members}
    names |= {fold_key(alias) for _, _, alias in rules.places.city_aliases}
    vision = next((h for h in rules.headings if h.section == "vision"), None)
    anchors: list[int] = []
    rows = _table_rows(doc, lines, rules)
    in_table = False  # every line since the last anchor is a table row or blank
    after = 0  # the line after the last row read
    for i, ln in enumerate(lines):
        if i < after:
            continue
        row, after = rows.get(i, (None, i))
        if _starts_table(row, rules):
            if not (anchors and in_table):  # a table right after a table is the same portrait's
                anchors.append(i)
            in_table = True
            continue
        if not ln.blank and row is None:
            in_table = False
        if vision and vision.pattern.match(ln.text) and (not anchors or _has_vision(lines, anchors[-1], i, vision)):
            anchors.append(i)
    # The member list, wherever it stands (front matter, after the portraits,
    # the last lines), is no portrait's: line indexes [list_first, list_end).
    list_first = list_end = len(lines)
    if member_spans:
        list_first = next(i for i, ln in enumerate(lines) if ln.start >= member_spans[0].start)
        list_end = next((i for i, ln in enumerate(lines) if ln.start >= member_spans[-1].end), len(lines))
    heads = []
    for k, a in enumerate(anchors):
        low = list_end if list_end <= a else 0
        if k:  # not above the previous portrait's table or contact block
            low = max(low, anchors[k - 1] + 1, _contact_end(lines, anchors[k - 1], a, rules) or 0)
        heads.append(_header(lines, a, low, names, rules, doc.soft or frozenset()))
    portraits, outside = [], []
    floor = list_end if heads and list_end <= heads[0] else 0
    if heads and lines and lines[floor].start < lines[heads[0]].start:
        outside.append(Span(lines[floor].start, lines[heads[0]].start))
    for k, (head, anchor) in enumerate(zip(heads, anchors)):
        stop = heads[k + 1] if k + 1 < len(heads) else len(lines)
        if anchor < list_first < stop:
            stop = list_first
        end = _contact_end(lines, anchor, stop, rules) or stop
        body = lines[head:end]
        tail = tuple(ln for ln in lines[end:stop] if not ln.blank)
        if k + 1 == len(heads) and tail:
            outside.append(Span(tail[0].start, tail[-1].end))
            tail = ()
        table = anchor - head if _starts_table(rows.get(anchor, (None, 0))[0], rules) else None
        portraits.append(Portrait(
            document_id=doc.document_id, index=k, span=Span(body[0].start, body[-1].end),
            lines=body, header=tuple(ln for ln in lines[head:anchor] if not ln.blank),
            table_start=table, tail=tail))
    published = rules.document.published_re.search(doc.match_text)
    return Segmentation(document=doc, members=members, member_lines=member_spans,
                        member_unreadable=member_list.unreadable,
                        portraits=tuple(portraits), outside=tuple(s for s in outside if doc.match_text[s.start:s.end].strip()),
                        published_year=int(published.group("year")) if published else None)


def _has_vision(lines: tuple[Line, ...], prev: int, i: int, vision) -> bool:
    """Whether a vision heading was already seen between anchor ``prev`` and line ``i``."""
    return any(vision.pattern.match(lines[j].text) for j in range(prev + 1, i))
