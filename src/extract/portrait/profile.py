"""Stage 2 for web profiles: a ``Document`` → one portrait and its city.

A web profile is one city's page: a title ``City, Country``, the indicator
bullets (``• City population: …``, the value on the same line or the next,
possibly empty), the tagline, an intro and the sections. The title names the
city, so it is identified from there (no member list is needed); the
tagline is the first line after the bullets. The rest of the page goes
through the same extractors as a brochure portrait."""
from __future__ import annotations

from extract.portrait.places import city_id, country_code
from extract.portrait.rows import line_to_row, lines_to_rows
from extract.portrait.segment import SegmentRules
from extract.read.textutil import lines_of, trimmed
from extract.types import CityMatch, Document, Line, Member, Portrait, Segmentation, Span

_TAGLINE_MAX = 160


def _title(lines: tuple[Line, ...], rules: SegmentRules) -> tuple[int, Member] | None:
    """Index of the title line and the member it names (``City, Country``)."""
    i = next((k for k, ln in enumerate(lines) if not ln.blank), None)
    if i is None or "," not in lines[i].text:
        return None
    city, _, country = lines[i].text.strip().rpartition(",")
    city, country = " ".join(city.split()), " ".join(country.split())
    if not city or not country:
        return None
    return i, Member(city=city, country=country, country_code=country_code(country, rules.places), award_year=None,
                     span=trimmed(lines[i]), rule="web.title")


def _table(text: str, lines: tuple[Line, ...], start: int, rules: SegmentRules) -> tuple[int | None, int]:
    """Index of the first indicator row from ``start`` and of the line after the rows."""
    first = next((k for k in range(start, len(lines)) if not lines[k].blank
                  and (row := line_to_row(lines[k].text, rules.indicators)) is not None and row.label is not None), None)
    if first is None:
        return None, start
    return first, first + lines_to_rows(text, lines[first:], rules.indicators)[1]


def _tagline(lines: tuple[Line, ...], after: int, rules: SegmentRules) -> int | None:
    """Index of the tagline: the first line after the rows (and after a value
    printed under the last row) that is short and does not end a sentence."""
    for k in range(after, len(lines)):
        ln = lines[k]
        if ln.blank:
            continue
        text = ln.text.strip()
        if any(h.pattern.match(ln.text) for h in rules.headings):
            return None
        if len(text) <= _TAGLINE_MAX and not text.endswith((".", ":", ";")):
            return k
        return None
    return None


def segment_profile(doc: Document, rules: SegmentRules) -> tuple[Segmentation, tuple[CityMatch | None, ...]]:
    """The profile as one portrait, and the city its title names."""
    lines = lines_of(doc.match_text)
    title = _title(lines, rules)
    head = title[0] if title else 0
    first, after = _table(doc.match_text, lines, head + 1 if title else 0, rules)
    tag = _tagline(lines, after, rules)
    header = tuple(lines[k] for k in (head if title else None, tag) if k is not None)
    body = lines[head:]
    while body and body[-1].blank:
        body = body[:-1]
    portrait = Portrait(document_id=doc.document_id, index=0, span=Span(body[0].start, body[-1].end), lines=body,
                        header=header, table_start=(first - head) if first is not None else None)
    match = None
    if title:
        m = title[1]
        match = CityMatch(member=m, city_id=city_id(m.city, m.country_code), score=10.0,
                          evidence=f"web.title: {doc.match_text[m.span.start:m.span.end]!r}")
    seg = Segmentation(document=doc, members=(title[1],) if title else (), member_lines=(),
                       portraits=(portrait,) if body else (), outside=(), published_year=None)
    return seg, (match,)
