"""Page furniture: a running header or footer (a line repeated at the top or
bottom of most pages, its page number aside) → set aside in place.

In: a ``Document`` with its pages (``page_starts``: a PDF's pages, or the
form feeds ``pdftotext`` writes). Out: the document with those lines blanked
in ``match_text`` (same length, so every offset stays valid) and no soft
break on either side of them (a header never glues to the line it sits on),
and the spans set aside, for a ``page_furniture_removed`` finding.

A line counts when, with its digits and roman numerals folded, it stands
among the first or last ``EDGE`` non-blank lines of at least ``MIN_PAGES``
pages and of ``SHARE`` of them."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import regex

from extract.read.textutil import blank, lines_of
from extract.types import Document, Span

EDGE = 2
MIN_PAGES = 3
SHARE = 0.3
MAX_CHARS = 160
_NUMBER = regex.compile(r"\d+|\b[ivxlcdm]+\b", regex.I)


def _key(text: str) -> str:
    return " ".join(_NUMBER.sub("#", text.casefold()).split())


def _edges(doc: Document) -> list[list[Span]]:
    """Per page, the spans of its first and last ``EDGE`` non-blank lines."""
    bounds = list(doc.page_starts) + [len(doc.match_text)]
    out = []
    for start, end in zip(bounds, bounds[1:]):
        lines = [ln for ln in lines_of(doc.match_text, start, end) if not ln.blank]
        picked = lines[:EDGE] + lines[max(EDGE, len(lines) - EDGE):]
        out.append([Span(ln.start, ln.end) for ln in picked])
    return out


def page_furniture(doc: Document) -> tuple[Span, ...]:
    """The spans of the running headers and footers of ``doc``."""
    pages = len(doc.page_starts)
    if pages < MIN_PAGES:
        return ()
    where: dict[str, list[Span]] = defaultdict(list)
    seen: dict[str, set[int]] = defaultdict(set)
    for page, spans in enumerate(_edges(doc)):
        for s in spans:
            text = doc.match_text[s.start:s.end].strip()
            if not text or len(text) > MAX_CHARS:
                continue
            key = _key(text)
            where[key].append(s)
            seen[key].add(page)
    least = max(MIN_PAGES, SHARE * pages)
    return tuple(sorted((s for key, spans in where.items() if len(seen[key]) >= least for s in spans),
                        key=lambda s: s.start))


def drop_furniture(doc: Document) -> tuple[Document, tuple[Span, ...]]:
    """``doc`` with its page furniture blanked in ``match_text``, and its spans."""
    spans = page_furniture(doc)
    if not spans:
        return doc, ()
    blanked = blank(doc.match_text, spans)
    soft = doc.soft
    if soft is not None:
        # the line end before and after each furniture line is hard
        near = {s.end for s in spans} | {s.start - 1 for s in spans}
        soft = frozenset(soft - near)
    return replace(doc, match_text=blanked, soft=soft), spans
