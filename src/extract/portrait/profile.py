"""Stage 2 for web profiles: a ``Document`` → one portrait and its city.

A web profile is one city's page: lines of site navigation (``Home >
Networks``, the format's ``navigation``), a title ``City, Country``, the
indicator bullets (``• City population: …``, the value on the same line or
the next, possibly empty; many pages have none), the tagline, an intro and
the sections. The title names the city, so it is identified from there (no
member list is needed); it splits at the comma after which the rest is a
known country (``City, Iran, Islamic Republic of``). The tagline is the
first line after the bullets, or on a scraped page that lost its line
breaks the words before the first lost break (the format's ``glue``). The
rest of the page goes through the same extractors as a brochure portrait."""
from __future__ import annotations

from extract.portrait.cells import lines_to_rows
from extract.portrait.lossy import repair_member
from extract.portrait.places import city_id, country_code
from extract.portrait.rows import line_to_row
from extract.portrait.segment import SegmentRules
from extract.read.textutil import lines_of, trimmed
from extract.rules.formats import Format
from extract.types import CityMatch, Document, Line, Member, Portrait, Segmentation, Span

_TAGLINE_MAX = 160


def _split_title(text: str, rules: SegmentRules) -> tuple[str, str, str]:
    """(city, country, code) of ``City, Country``: at the first comma after
    which the rest is a known country, else at the last comma (code ``""``)."""
    text = " ".join(text.split())
    for k, ch in enumerate(text):
        if ch == "," and (code := country_code(text[k + 1:], rules.places)):
            return text[:k].strip(), text[k + 1:].strip(), code
    city, _, country = text.rpartition(",")
    return city.strip(), country.strip(), country_code(country, rules.places)


def _title(lines: tuple[Line, ...], rules: SegmentRules, fmt: Format | None) -> tuple[int, Member] | None:
    """Index of the title line and the member it names (``City, Country``):
    the first line after blank and navigation lines."""
    nav = fmt.navigation if fmt else None
    i = next((k for k, ln in enumerate(lines) if not ln.blank and not (nav and nav.fullmatch(ln.text))), None)
    if i is None or "," not in lines[i].text:
        return None
    city, country, code = _split_title(lines[i].text, rules)
    if not city or not country:
        return None
    return i, Member(city=city, country=country, country_code=code, award_year=None,
                     span=trimmed(lines[i]), rule="web.title")


def _table(text: str, lines: tuple[Line, ...], start: int, rules: SegmentRules) -> tuple[int | None, int]:
    """Index of the first indicator row from ``start`` and of the line after the rows."""
    first = next((k for k in range(start, len(lines)) if not lines[k].blank
                  and (row := line_to_row(lines[k].text, rules.indicators)) is not None and row.label is not None), None)
    if first is None:
        return None, start
    return first, first + lines_to_rows(text, lines[first:], rules.indicators)[1]


def _tagline(lines: tuple[Line, ...], after: int, rules: SegmentRules, fmt: Format | None) -> Line | None:
    """The tagline: the first line after the rows (and after a value printed
    under the last row) that is short and does not end a sentence; on a
    scraped page, the words (two or more) of that line before its first lost
    break."""
    for k in range(after, len(lines)):
        ln = lines[k]
        if ln.blank:
            continue
        if any(h.pattern.match(ln.text) for h in rules.headings):
            return None
        glued = fmt.glue.search(ln.text) if fmt and fmt.glue and len(ln.text.strip()) > _TAGLINE_MAX else None
        if glued is not None:
            ln = Line(ln.start, ln.start + glued.start(), ln.text[:glued.start()])
            if len(ln.text.split()) < 2:
                return None
        text = ln.text.strip()
        if len(text) <= _TAGLINE_MAX and not text.endswith((".", ":", ";")):
            return ln
        return None
    return None


def segment_profile(doc: Document, rules: SegmentRules, fmt: Format | None = None
                    ) -> tuple[Segmentation, tuple[CityMatch | None, ...]]:
    """The profile as one portrait, and the city its title names (``fmt``:
    the web profile's format rules, for its navigation lines and lost breaks)."""
    lines = lines_of(doc.match_text)
    title = _title(lines, rules, fmt)
    head = title[0] if title else 0
    first, after = _table(doc.match_text, lines, head + 1 if title else 0, rules)
    tag = _tagline(lines, after, rules, fmt)
    # without a tagline the title is left out of the portrait (it would be read as the tagline)
    header = (lines[head],) + (tag,) if title and tag else (tag,) if tag else ()
    base = head + 1 if title and tag is None else head
    body = lines[base:]
    while body and body[-1].blank:
        body = body[:-1]
    portrait = Portrait(document_id=doc.document_id, index=0, span=Span(body[0].start, body[-1].end), lines=body,
                        header=header, table_start=(first - base) if first is not None else None)
    match = None
    if title:
        title = (title[0], repair_member(title[1], text=doc.match_text))
        m = title[1]
        match = CityMatch(member=m, city_id=city_id(m.city, m.country_code), score=10.0,
                          evidence=f"web.title: {doc.match_text[m.span.start:m.span.end]!r}")
    # a title left out of the portrait (no tagline) is still accounted for
    outside = (title[1].span,) if title and base > head else ()
    seg = Segmentation(document=doc, members=(title[1],) if title else (), member_lines=(),
                       portraits=(portrait,) if body else (), outside=outside, published_year=None)
    return seg, (match,)
