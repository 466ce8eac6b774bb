"""Turn stage results into the plain rows of the output tables (one dict per
row, keys = the columns of ``schemas``)."""
from __future__ import annotations

import functools
from bisect import bisect_right
from dataclasses import fields

from extract.tables.schemas import CITY_SECTIONS
from extract.types import ChallengePage, Document, Finding, PortraitResult, wide_column


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _fields(record):
    """A record's fields by name, in their order: the instance's own
    attributes when they are just its fields (a dataclass instance holds
    nothing else; not to be changed), else read one by one."""
    names = _names(type(record))
    got = vars(record)
    return got if tuple(got) == names else {name: getattr(record, name) for name in names}


def _flat(record) -> dict:
    """A record's fields as a dict, one level (records hold plain values)."""
    return dict(_fields(record))


def _page(row: dict, page_starts: tuple[int, ...]) -> dict:
    """``row`` given the 1-based page its ``char_start`` falls on, in place (see ``with_page``)."""
    start = row.get("char_start")
    row["page"] = bisect_right(page_starts, start) if start is not None else None
    return row


def _rows(base: dict, records, page_starts: tuple[int, ...]) -> list[dict]:
    """``base`` and each record's fields, with its page, as one dict each."""
    return [_page({**base, **_fields(r)}, page_starts) for r in records]


def _span_text(spans) -> str:
    return ";".join(f"{s.start}:{s.end}" for s in spans)


def _joined_to_numbers(joined: str | None) -> dict[str, int | None]:
    """``YYYY-MM`` or ``YYYY`` → ``joined_year`` and ``joined_month`` (None where not stated)."""
    year, _, month = (joined or "").partition("-")
    return {"joined_year": int(year) if year.isdigit() else None, "joined_month": int(month) if month.isdigit() else None}


def result_to_rows(r: PortraitResult, doc: Document, format_evidence: str = "") -> dict[str, list[dict]]:
    m = r.match
    base = {"city_id": m.city_id, "document_id": doc.document_id}
    city = dict(base, city=m.member.city, country=m.member.country, country_code=m.member.country_code,
                source_format=doc.source_format, format_evidence=format_evidence, tagline=r.tagline,
                learning_city_award=m.member.award_year,
                joined_gnlc=r.joined_gnlc, **_joined_to_numbers(r.joined_gnlc), portrait_index=r.portrait.index + 1,
                char_start=r.portrait.span.start,
                char_end=r.portrait.span.end, city_evidence=m.evidence,
                tagline_char_start=r.tagline_span.start if r.tagline_span else None,
                tagline_char_end=r.tagline_span.end if r.tagline_span else None)
    for i in r.indicators:
        col = wide_column(i.indicator, i.scope, i.group)
        city[col] = i.value
        if i.group == "all":
            city[f"{col}_year"] = i.year
        else:  # only split values printed (`Men: … / Women: …`): their year is the figure's year
            city.setdefault(f"{wide_column(i.indicator, i.scope)}_year", i.year)
    for s in r.sections:
        if s.section in CITY_SECTIONS:
            city[s.section] = s.text
    if r.contacts:
        c = r.contacts[0]
        city.update(contact_name=c.name, contact_role=c.role, contact_email=c.email)
    pages = doc.page_starts
    quotes = []
    for q in r.quotes:
        row = {**base, **_fields(q)}
        del row["spans"]  # the spans come last, as text
        row["spans"] = _span_text(q.spans)
        quotes.append(_page(row, pages))
    return {
        "cities": [_page(city, pages)],
        "indicators": _rows(base, r.indicators, pages),
        "sections": _rows(base, r.sections, pages),
        "items": _rows(base, r.items, pages),
        "contacts": _rows(base, r.contacts, pages),
        "quotes": quotes,
    }


def finding_to_row(f: Finding, page_starts: tuple[int, ...] = (0,)) -> dict:
    return _page(_flat(f), page_starts)


def with_page(row: dict, page_starts: tuple[int, ...]) -> dict:
    """``row`` with the 1-based page its ``char_start`` falls on."""
    start = row.get("char_start")
    return dict(row, page=bisect_right(page_starts, start) if start is not None else None)


def _span_columns(prefix: str, span) -> dict:
    return {f"{prefix}char_start": span.start if span else None, f"{prefix}char_end": span.end if span else None}


def challenge_to_rows(c: ChallengePage, doc: Document, format_evidence: str) -> dict[str, list[dict]]:
    """A challenge page → its ``challenges`` row, its ``challenge_sdgs`` rows and
    its target groups as ``items``."""
    spans = [s for s in (c.title_span, c.description_span, c.challenge_span, c.expected_impact_span,
                         c.deadline_span, c.sdgs_span, c.target_groups_span) if s]
    row = dict(document_id=doc.document_id, city_id=c.city_id, city=c.city, country=c.country,
               country_code=c.country_code, title=c.title, description=c.description, challenge=c.challenge,
               expected_impact=c.expected_impact, sdgs=";".join(str(g.number) for g in c.sdgs),
               target_groups="; ".join(i.text for i in c.target_groups), deadline=c.deadline,
               deadline_raw=c.deadline_raw, source_format=doc.source_format, format_evidence=format_evidence,
               city_evidence=c.evidence, rule="challenge.page",
               char_start=min(s.start for s in spans) if spans else None,
               char_end=max(s.end for s in spans) if spans else None)
    for name in ("title", "description", "challenge", "expected_impact", "deadline"):
        row.update(_span_columns(f"{name}_", getattr(c, f"{name}_span")))
    base = {"document_id": doc.document_id, "city_id": c.city_id}
    tables = {
        "challenges": [row],
        "challenge_sdgs": [dict(base, sdg=g.number, name=g.name, raw=g.raw, char_start=g.char_start,
                                char_end=g.char_end, rule=g.rule) for g in c.sdgs],
        "items": [dict(base, **_flat(i)) for i in c.target_groups] if c.city_id else [],
    }
    return {t: [with_page(r, doc.page_starts) for r in rows] for t, rows in tables.items()}
