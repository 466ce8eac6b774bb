"""Section text → dated facts: rows of the ``events`` table.

In: ``sections`` rows as plain dicts (the columns of the ``sections`` table),
``text_of(document_id)`` giving the decoded text of a document, the rules of
``rules/events.yaml`` (``load_event_rules``) and the publication year the
document states (one year for all, or a mapping from document id to year).
Out: one row per year a sentence of an intro, vision, challenges or plan
section states: ``city_id``, ``document_id``, ``year``, ``month`` (1–12, or
``None`` when the sentence names none), ``text`` (the sentence or list entry
stating it, trimmed), ``char_start`` and ``char_end`` (its offsets in the
document text: ``text_of(document_id)[char_start:char_end] == text``) and
``rule`` (the pattern id).

Decisions (see ``rules/events.yaml``): a range gives one row for its first
and one for its last year; "N years ago" is resolved against the publication
year (no row when the document states none); quotes inside a section are not
read; decades, years inside names and reference years of statistics are not
events. The indicator table is never read: it is not a section. A section,
then a sentence, in which the rules' gate (a year, ``ago``) finds nothing
holds no date and is not read further: the gate looks for words, not around
them, so what it finds in a sentence it finds at the same place in the
section, and a sentence that none of its matches in the section (found one
after the other) touches is not read.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import chain
from typing import Any

from extract.enrich.themes import text_to_ranges
from extract.read.textutil import fold
from extract.rules.events import EventRules


def piece_to_sentences(piece: str, offset: int, rules: EventRules,
                       near: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Document offsets of the sentences and list entries of ``piece`` (which
    starts at ``offset``), trimmed of white space and list markers; with
    ``near`` (document offsets), only those that touch one of these spans."""
    out, start = [], 0
    last = max((b for _, b in near), default=-1) - offset if near is not None else len(piece)
    for cut in chain(rules.sentence_end.finditer(piece), [None]):
        end = cut.start() if cut else len(piece)
        if near is not None and not any(a <= offset + end and b >= offset + start for a, b in near):
            if start > last:
                break  # none further on
            start = cut.end() if cut else len(piece)
            continue
        chunk = piece[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        marker = rules.item_marker.match(chunk[lead:])
        lead += marker.end() if marker else 0
        body = chunk[lead:].rstrip()
        if body:
            out.append((offset + start + lead, offset + start + lead + len(body)))
        start = cut.end() if cut else len(piece)
    return out


def match_to_years(match: Any, published: int | None, rules: EventRules) -> list[tuple[int, int | None]]:
    """``(year, month)`` of each year a match states: two for a range, none
    for a relative date without a publication year."""
    groups = {k: v for k, v in match.groupdict().items() if v}
    month = rules.months.index(groups["month"].casefold()) + 1 if "month" in groups else None
    if "ago" in groups:
        if published is None:
            return []
        ago = groups["ago"].casefold()
        return [(published - (int(ago) if ago.isdigit() else dict(rules.numbers)[ago]), None)]
    years = [(int(groups["year"]), month)]
    if "year_end" in groups:
        years.append((int(groups["year_end"]), None))
    return years


def sentence_to_events(text: str, start: int, end: int, published: int | None,
                       rules: EventRules) -> list[tuple[int, int | None, str]]:
    """``(year, month, rule)`` of the dates stated in ``text[start:end]``."""
    sentence = fold(text[start:end])
    if rules.gate is not None and not rules.gate.search(sentence):
        return []
    taken = [m.span() for _, pattern in rules.exclusions for m in pattern.finditer(sentence)]
    found = []
    for rid, pattern in rules.patterns:
        for match in pattern.finditer(sentence):
            s, e = match.span()
            if any(s < t1 and t0 < e for t0, t1 in taken):
                continue
            taken.append((s, e))
            found += [(s, year, month, rid) for year, month in match_to_years(match, published, rules)]
    return [(year, month, rid) for _, year, month, rid in sorted(found)]


def published_of(published_year: int | Mapping[str, int] | None, document_id: str) -> int | None:
    if isinstance(published_year, Mapping):
        return published_year.get(document_id)
    return published_year


def sections_to_events(sections: list[dict], text_of: Callable[[str], str], event_rules: EventRules,
                       published_year: int | Mapping[str, int] | None) -> list[dict]:
    """Rows of the ``events`` table (see the module docstring), ordered by
    document, offset and year."""
    texts: dict[str, str] = {}
    rows, seen = [], set()
    for section in sections:
        if section["section"] not in event_rules.sections or not section.get("text"):
            continue
        document_id = section["document_id"]
        if document_id not in texts:
            texts[document_id] = text_of(document_id)
        text = texts[document_id]
        s0, s1 = int(section["char_start"]), int(section["char_end"])
        near = None  # the gate's matches in the section: a sentence none touches holds no date
        if event_rules.gate is not None:
            near = [(s0 + m.start(), s0 + m.end()) for m in event_rules.gate.finditer(fold(text[s0:s1]))]
            if not near:
                continue  # no sentence of it holds a date
        published = published_of(published_year, document_id)
        for start, _, piece in text_to_ranges(text, s0, s1, section["text"]):
            for s, e in piece_to_sentences(piece, start, event_rules, near):
                for year, month, rule in sentence_to_events(text, s, e, published, event_rules):
                    key = (section["city_id"], document_id, year, month, s)
                    if key not in seen:
                        seen.add(key)
                        rows.append({"city_id": section["city_id"], "document_id": document_id,
                                     "year": year, "month": month, "text": text[s:e],
                                     "char_start": s, "char_end": e, "rule": rule})
    return sorted(rows, key=lambda r: (r["document_id"], r["char_start"], r["year"], r["month"] or 0))
