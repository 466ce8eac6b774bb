"""Stages 3–6 on one portrait: header, indicator table, quotes, sections,
items, contacts → a ``PortraitResult``, with every line of the portrait
claimed by a field or reported as ``unclaimed_text``."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from operator import attrgetter

from extract.portrait.contacts import extract_contacts
from extract.portrait.context import Context
from extract.portrait.indicators import extract_indicators
from extract.portrait.items import extract_items
from extract.portrait.quotes import extract_quotes
from extract.portrait.sections import extract_sections
from extract.read.layout import wrapped_start
from extract.read.textutil import trimmed
from extract.rules import Format
from extract.rules.formats import format_rules
from extract.types import CityMatch, Extracted, Finding, PortraitResult, Span


def _header(ctx: Context) -> tuple[str, Span | None, str, list[Span]]:
    """Tagline, its span, the joining date, and the header spans claimed."""
    header = ctx.portrait.header
    claimed = [trimmed(h) for h in header]
    tagline, tag_span, joined = "", None, ""
    if not header:
        return tagline, tag_span, joined, claimed
    # the tagline's wrapped lines, up to a joining statement
    tag_start = header[wrapped_start(header, len(header) - 1, ctx.soft,
                                     stop=lambda h: ctx.rules.document.joined_re.search(h.text))].start
    names = [h for h in header if h.start < tag_start]
    m = ctx.rules.document.joined_re.search(" ".join(h.text for h in names))
    if m:
        month = m.group("month")
        joined = m.group("year") + (f"-{ctx.rules.document.months.index(month.casefold()) + 1:02d}" if month else "")
    tag_span = Span(trimmed(next(h for h in header if h.start >= tag_start)).start, trimmed(header[-1]).end)
    tagline = " ".join(ctx.text[tag_span.start:tag_span.end].split())
    return tagline, tag_span, joined, claimed


def _boilerplate(ctx: Context, fmt: Format | None, start: int, end: int) -> Extracted:
    """The format's standard sentences (a disclaimer) in ``[start, end)``."""
    claimed, findings = [], []
    for rid, pattern in fmt.boilerplate if fmt else ():
        for m in pattern.finditer(ctx.text, start, end):
            claimed.append(Span(m.start(), m.end()))
            findings.append(ctx.finding("boilerplate_removed", "sections", f"text@{m.start()}",
                                        f"A standard sentence of the format ({rid}) was left out of the sections.",
                                        m.group(), m.start(), m.end()))
    return Extracted((), tuple(claimed), tuple(findings))


def _unclaimed(ctx: Context, claimed: list[Span]) -> list[Finding]:
    """An ``unclaimed_text`` finding for each line of the portrait that no
    claimed span overlaps. A line's trimmed span ``[a, b)`` is claimed when
    some span starts before ``b`` and ends after ``a``: among the spans that
    start before ``b`` (a prefix of them sorted by start), the one that ends
    last tells. A span that covers a whole line covers the lines after it
    up to its end too (a section's body): those are passed over at once."""
    out = []
    spans = sorted(claimed, key=lambda s: s.start)
    starts = [s.start for s in spans]
    reach, last = [], -1  # reach[k]: the greatest end among spans[:k + 1]
    for s in spans:
        last = max(last, s.end)
        reach.append(last)
    lines = (*ctx.portrait.lines, *ctx.portrait.tail)  # in order of start, and of end
    i = 0
    while i < len(lines):
        line = lines[i]
        k = bisect_right(starts, line.start)  # spans[:k] start at the line's start or before
        if k and reach[k - 1] >= line.end:  # one of them covers this line and the next up to its end
            i = bisect_right(lines, reach[k - 1], i + 1, key=_END)
            continue
        i += 1
        text = line.text
        body = text.strip()
        if not body:
            continue
        a = line.start + len(text) - len(text.lstrip())
        b = a + len(body)
        k = bisect_left(starts, b)  # spans[:k] start before b
        if k and reach[k - 1] > a:
            continue
        out.append(ctx.finding("unclaimed_text", "portraits", f"line@{a}",
                               "No extractor claimed this line of the portrait.",
                               ctx.text[a:b][:200], a, b))
    return out


_END = attrgetter("end")


def _blank_from(text: str, at: int) -> bool:
    """Whether ``text[at:]`` is white space only (``not text[at:].strip()``),
    read from the end, without copying the rest of the document."""
    k = len(text)
    while k > at and text[k - 1].isspace():
        k -= 1
    return k <= at


def _table_findings(ctx: Context, table_end: int) -> list[Finding]:
    """A portrait without the indicator table its format has, or a document
    that ends inside the table (cut off)."""
    p = ctx.portrait
    if p.table_start is None:
        fmt = format_rules(ctx.rules.formats, ctx.doc.source_format)
        if fmt and fmt.indicator_table:
            return [ctx.finding("indicator_table_missing", "indicators", "",
                                "The portrait has no indicator table.", "", p.span.start, p.span.start)]
        return []
    if _blank_from(ctx.text, table_end):
        return [ctx.finding("portrait_truncated", "cities", "portrait",
                            "the document ends inside this portrait's indicator table (cut off?)",
                            ctx.text[p.lines[p.table_start].start:table_end][-200:], p.span.start, table_end)]
    return []


def _cut_in_body(ctx: Context, fmt: Format | None, sections: tuple, peers: Sequence[PortraitResult]) -> list[Finding]:
    """A portrait the document ends inside, before the last section its
    format has (a brochure's contact block) that its ``peers`` (the
    document's portraits read before it) print: cut off in its body. A
    section none of the peers has is this brochure's way, not a cut."""
    p = ctx.portrait
    if not fmt or not _blank_from(ctx.text, p.span.end):
        return []
    printed = {s.section for r in peers for s in r.sections} if peers else set(fmt.sections)
    expected = [s for s in fmt.sections if s in printed]
    seen = {s.section for s in sections}
    if not expected or expected[-1] in seen:
        return []
    missing = ", ".join(s for s in expected if s not in seen)
    last = trimmed(next(ln for ln in reversed(p.lines) if not ln.blank))  # where the cut is
    return [ctx.finding("portrait_truncated", "cities", "portrait",
                        f"the document ends inside this portrait's body, before its {missing} (cut off?)",
                        ctx.text[last.start:last.end][-200:], last.start, last.end)]


def extract_portrait(ctx: Context, match: CityMatch, peers: Sequence[PortraitResult] = ()) -> PortraitResult:
    """One portrait's records and findings; ``peers``: the portraits of its
    document read before it (what its format's sections are in this document)."""
    p = ctx.portrait
    tagline, tag_span, joined, claimed = _header(ctx)
    table, body_start = extract_indicators(ctx)
    table_findings = _table_findings(ctx, body_start)
    if tag_span and tag_span.start >= body_start:  # a web profile's tagline follows its table
        body_start = tag_span.end
    quotes = extract_quotes(ctx, body_start, p.span.end)
    fmt = format_rules(ctx.rules.formats, ctx.doc.source_format)
    boiler = _boilerplate(ctx, fmt, body_start, p.span.end)
    sections, blocks, contact_span = extract_sections(ctx, body_start, p.span.end, quotes.claimed + boiler.claimed)
    items = extract_items(ctx, blocks)
    contacts = extract_contacts(ctx, *contact_span) if contact_span else None
    parts = [table, quotes, boiler, sections, items] + ([contacts] if contacts else [])
    for part in parts:
        claimed += part.claimed
    table_findings = table_findings or _cut_in_body(ctx, fmt, sections.records, peers)
    findings = table_findings + [f for part in parts for f in part.findings] + _unclaimed(ctx, claimed)
    return PortraitResult(
        portrait=p, match=match, tagline=tagline, tagline_span=tag_span, joined_gnlc=joined,
        indicators=table.records, sections=sections.records, items=items.records,
        contacts=contacts.records if contacts else (), quotes=quotes.records, findings=tuple(findings))
