"""Review data: the output tables and a document's text → plain data of spans.

Input: the output tables (``{table: DataFrame}``, from Parquet or from CSV read
as strings) and the decoded text of one document (``Document.text``).
Output: plain, JSON-ready dicts, no HTML (``review_html`` draws them), in the
manner of displaCy's manual format. ``document_spans`` gives one *page* per
city portrait (a ``cities`` row), one per challenge page (a ``challenges``
row) and one for the findings of the document that neither shows (front
matter, a portrait tied to no city)::

    {"kind": "city" | "challenge" | "document", "document_id", "city_id", "title",
     "start", "end", "text",          # the portrait: text == source[start:end]
                                      # (0, 0, "" for a document page)
     "passages": [{"start", "end", "text"}],  # document ranges holding every span
     "spans": [span, ...], "records": {table: [row, ...]},
     "findings": [finding, ...], "unplaced": [span, ...]}

    span = {"id", "start", "end", "table", "field", "label", "record", "severity"}

Every ``start``/``end`` is an offset into the whole document text, as in the
tables, so ``source[span["start"]:span["end"]]`` is the printed source of the
span. ``record`` indexes ``records[table]`` of the same page; ``field`` says
what the record is about (``population/city/all``, ``vision:4``,
``speaker:1``), ``label`` which of its offsets the span is (``value``,
``label``, ``heading``) or, for a finding, its code; ``severity`` is set for
findings only. A span whose offsets do not fit the text is in ``unplaced``.

A finding of the page is ``{"record", "severity", "code", "table", "field",
"message", "value", "span", "targets"}``: ``span`` is the id of its own span
(when it has offsets), ``targets`` the ids of the spans of the records it
concerns (matched on its table and field).

``index_data`` gives the documents with their pages, the count of findings by
severity per page and the document's own findings."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import pandas as pd

from extract.tables.frames import plain_value
from extract.types import wide_column

SEVERITIES = ("error", "warning", "info")
PAGE_TABLES = ("cities", "indicators", "sections", "items", "quotes", "contacts", "themes", "events", "findings")
CHALLENGE_TABLES = ("challenges", "challenge_sdgs", "items", "findings")

# table → (label, start column, end column) of each offset pair drawn as a span;
# the quotes' pieces come from their ``spans`` column.
OFFSETS: Mapping[str, tuple[tuple[str, str, str], ...]] = MappingProxyType({
    "cities": (("tagline", "tagline_char_start", "tagline_char_end"),),
    "indicators": (("label", "label_char_start", "label_char_end"), ("value", "char_start", "char_end")),
    "sections": (("section", "char_start", "char_end"), ("heading", "heading_char_start", "heading_char_end")),
    "items": (("entry", "char_start", "char_end"),),
    "contacts": (("block", "char_start", "char_end"),),
    "quotes": (("speaker", "speaker_char_start", "speaker_char_end"),),
    "challenges": tuple((part, f"{part}_char_start", f"{part}_char_end")
                        for part in ("title", "description", "challenge", "expected_impact", "deadline")),
    "challenge_sdgs": (("goal", "char_start", "char_end"),),
    "themes": (("tag", "char_start", "char_end"),),
    "events": (("event", "char_start", "char_end"),),
})

# table → what a record is about, as the ``field`` of its spans
FIELDS: Mapping[str, Callable[[dict], str]] = MappingProxyType({
    "cities": lambda r: "tagline",
    "indicators": lambda r: f"{r.get('indicator')}/{r.get('scope')}/{r.get('group')}",
    "sections": lambda r: str(r.get("section")),
    "items": lambda r: f"{r.get('section')}:{r.get('position')}",
    "contacts": lambda r: f"contact:{r.get('position')}",
    "quotes": lambda r: f"quote:{r.get('position')}",
    "challenges": lambda r: "page",
    "challenge_sdgs": lambda r: f"sdg:{r.get('sdg')}",
    "themes": lambda r: f"{r.get('theme')}",
    "events": lambda r: f"{r.get('year')}",
})


def offset(value: Any) -> int | None:
    """A cell of an offset column (a number, or digits from a CSV) → int or None."""
    value = plain_value(value)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def frame_to_rows(frame: pd.DataFrame | list[dict] | None) -> list[dict]:
    """One table (a frame, or rows already plain) → its rows as plain dicts."""
    if frame is None:
        return []
    if isinstance(frame, list):
        return frame
    return [{k: plain_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


def tables_to_rows(tables: Mapping[str, pd.DataFrame | list[dict]]) -> dict[str, list[dict]]:
    """The output tables → ``{table: [row dicts]}`` (convert once, pass on)."""
    return {name: frame_to_rows(frame) for name, frame in tables.items()}


def text_of(value: Any) -> str:
    """A cell → a string, None and NA as ''."""
    value = plain_value(value)
    return "" if value is None else str(value)


def quote_pieces(row: dict) -> list[tuple[int, int]]:
    """A quotes row → its pieces ``[(start, end)]`` from ``spans`` (``a:b;c:d``),
    or its ``char_start:char_end`` when ``spans`` is empty or unreadable."""
    pieces = []
    for part in text_of(row.get("spans")).split(";"):
        a, _, b = part.partition(":")
        if offset(a) is not None and offset(b) is not None:
            pieces.append((offset(a), offset(b)))
    whole = (offset(row.get("char_start")), offset(row.get("char_end")))
    return pieces or ([whole] if None not in whole else [])


def row_to_spans(table: str, index: int, row: dict) -> list[dict]:
    """One record → its spans (every offset pair of it that is set)."""
    if table == "findings":
        parts = [(text_of(row.get("code")), text_of(row.get("field")),
                  offset(row.get("char_start")), offset(row.get("char_end")))]
    else:
        about = FIELDS[table](row)
        parts = [(label, label if table == "challenges" else about, offset(row.get(a)), offset(row.get(b)))
                 for label, a, b in OFFSETS[table]]
    if table == "quotes":
        parts[0] = ("speaker", f"speaker:{row.get('position')}", *parts[0][2:])
        pieces = quote_pieces(row)
        parts += [("quote" if len(pieces) == 1 else f"piece{n}", about, a, b) for n, (a, b) in enumerate(pieces, 1)]
    severity = text_of(row.get("severity")) if table == "findings" else ""
    return [{"id": f"{table}-{index}" + ("" if table == "findings" else f"-{label}"),
             "start": a, "end": b, "table": table, "field": field, "label": label,
             "record": index, "severity": severity}
            for label, field, a, b in parts if a is not None and b is not None]


def fits(span: dict, text: str | None) -> bool:
    """Whether a span's offsets lie within ``text`` (no text: never)."""
    return text is not None and 0 <= span["start"] <= span["end"] <= len(text)


def line_range(text: str, start: int, end: int, reach: int = 200) -> tuple[int, int]:
    """A range → the whole lines around it, at most ``reach`` characters further each way."""
    a = text.rfind("\n", max(0, start - reach), start)
    b = text.find("\n", end, end + reach)
    return (a + 1 if a >= 0 else max(0, start - reach)), (b if b >= 0 else min(len(text), end + reach))


def spans_to_passages(text: str, start: int, end: int, spans: list[dict]) -> list[dict]:
    """The portrait range and the spans → sorted, merged document ranges that
    hold the portrait and every span (a span outside it brings its lines)."""
    ranges = [(start, end)] + [line_range(text, s["start"], s["end"]) for s in spans
                               if not start <= s["start"] <= s["end"] <= end]
    if start == end and len(ranges) > 1:
        ranges = ranges[1:]
    merged: list[list[int]] = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [{"start": a, "end": b, "text": text[a:b]} for a, b in merged]


def finding_targets(finding: dict, spans: list[dict]) -> list[str]:
    """A finding row → ids of the spans of the records it concerns: same table,
    and its field names the record (``speaker:1``, ``vision:4``, a ``cities``
    column for an indicator)."""
    table, field = text_of(finding.get("table")), text_of(finding.get("field")).split("#")[0]
    out = []
    for s in spans:
        if s["table"] != table or s["table"] == "findings":
            continue
        name = s["field"]
        if table == "indicators" and name.count("/") == 2:
            name = wide_column(*name.split("/"))
        if name == field or (table == "challenges" and s["label"] == field):
            out.append(s["id"])
    return out


def findings_to_page(rows: list[dict], spans: list[dict]) -> list[dict]:
    """The page's findings rows and its spans → the page's findings."""
    own = {s["record"]: s["id"] for s in spans if s["table"] == "findings"}
    return [{"record": i, "severity": text_of(r.get("severity")), "code": text_of(r.get("code")),
             "table": text_of(r.get("table")), "field": text_of(r.get("field")),
             "message": text_of(r.get("message")), "value": text_of(r.get("value")),
             "span": own.get(i), "targets": finding_targets(r, spans)} for i, r in enumerate(rows)]


def records_to_page(kind: str, text: str | None, head: dict, records: dict[str, list[dict]],
                    title: str) -> dict:
    """A page's head row (a ``cities`` or ``challenges`` row) and its records → the page."""
    spans = [s for table, rows in records.items() for i, r in enumerate(rows) for s in row_to_spans(table, i, r)]
    spans.sort(key=lambda s: (s["start"], -s["end"], s["id"]))
    placed = [s for s in spans if fits(s, text)]
    start, end = offset(head.get("char_start")), offset(head.get("char_end"))
    if text is None or start is None or end is None or not 0 <= start <= end <= len(text):
        start = end = 0
    return {"kind": kind, "document_id": text_of(head.get("document_id")), "city_id": text_of(head.get("city_id")),
            "title": title, "start": start, "end": end, "text": (text or "")[start:end],
            "passages": spans_to_passages(text, start, end, placed) if text is not None else [],
            "spans": placed, "records": records,
            "findings": findings_to_page(records.get("findings", []), spans),
            "unplaced": [s for s in spans if not fits(s, text)]}


def city_title(row: dict) -> str:
    """A cities or challenges row → ``City, Country`` (what is known of it)."""
    return ", ".join(p for p in (text_of(row.get("city")), text_of(row.get("country"))) if p) \
        or text_of(row.get("city_id")) or "(no city)"


def page_title(kind: str, head: dict) -> str:
    """A page's kind and head row → its title."""
    if kind == "document":
        return f"{text_of(head.get('document_id'))}: findings of the document"
    return city_title(head) + (" · challenge page" if kind == "challenge" else "")


def page_heads(tables: Mapping[str, list[dict]], document_id: str) -> list[tuple[str, dict]]:
    """The tables → ``(kind, head row)`` of every page of one document: its
    portraits in document order, its challenge page, and a ``document`` page
    when some of its findings belong to neither."""
    cities = [r for r in tables.get("cities", []) if r.get("document_id") == document_id]
    cities.sort(key=lambda r: (offset(r.get("char_start")) or 0, text_of(r.get("city_id"))))
    challenges = [r for r in tables.get("challenges", []) if r.get("document_id") == document_id]
    heads = [("city", r) for r in cities] + [("challenge", r) for r in challenges]
    own = {"document_id": document_id, "city_id": ""}
    if any(belongs("document", own, r, heads) for r in tables.get("findings", [])):
        heads.append(("document", own))
    return heads


def belongs(kind: str, head: dict, row: dict, heads: list[tuple[str, dict]]) -> bool:
    """Whether a row is on a page: a portrait's are those of its document and
    city, a challenge page's all of its document's, a document page's the
    findings of its document that no other page of it shows."""
    if row.get("document_id") != head.get("document_id"):
        return False
    if kind == "city":
        return text_of(row.get("city_id")) == text_of(head.get("city_id"))
    if kind == "challenge":
        return True
    return not any(k == "challenge" or (k == "city" and text_of(row.get("city_id")) == text_of(h.get("city_id")))
                   for k, h in heads)


def page_records(tables: Mapping[str, list[dict]], kind: str, head: dict,
                 heads: list[tuple[str, dict]]) -> dict[str, list[dict]]:
    """A page's head row → the rows of every table that are on the page (see ``belongs``)."""
    names = {"city": PAGE_TABLES, "challenge": CHALLENGE_TABLES, "document": ("findings",)}[kind]
    return {name: [r for r in tables.get(name, []) if belongs(kind, head, r, heads)] for name in names}


def document_spans(text: str | None, tables: Mapping[str, pd.DataFrame | list[dict]],
                   document_id: str) -> list[dict]:
    """A document's text (``Document.text``; None when not at hand) and the
    output tables (frames, or ``tables_to_rows``) → one page dict per portrait
    and challenge page of it, and one for its own findings (see ``page_heads``)."""
    tables = tables_to_rows(tables)
    heads = page_heads(tables, document_id)
    return [records_to_page(kind, text, head, page_records(tables, kind, head, heads), page_title(kind, head))
            for kind, head in heads]


def severity_counts(rows: list[dict]) -> dict[str, int]:
    """Findings rows → ``{"error": n, "warning": n, "info": n}``."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for r in rows:
        sev = text_of(r.get("severity"))
        counts[sev] = counts.get(sev, 0) + 1
    return counts


def document_ids(tables: Mapping[str, list[dict]]) -> list[str]:
    """Every document the tables name (a document that failed has findings only), sorted."""
    return sorted({text_of(r.get("document_id")) for name in ("cities", "challenges", "findings")
                   for r in tables.get(name, [])} - {""})


def document_format(tables: Mapping[str, list[dict]], document_id: str) -> str:
    """A document → its ``source_format`` (``''`` when nothing of it was extracted)."""
    for name in ("cities", "challenges"):
        for r in tables.get(name, []):
            if r.get("document_id") == document_id and text_of(r.get("source_format")):
                return text_of(r.get("source_format"))
    return ""


def index_data(tables: Mapping[str, pd.DataFrame | list[dict]]) -> list[dict]:
    """The output tables (frames, or ``tables_to_rows``) → one dict per document::

        {"document_id", "format", "counts": {severity: n},
         "pages": [{"kind", "document_id", "city_id", "title", "counts"}],
         "findings": [finding rows of the document no portrait or challenge page shows],
         "document_page": whether those findings have a page of their own}

    ``pages`` lists the portraits and the challenge page; the findings of the
    document itself are on its ``document`` page, not in ``pages``."""
    tables = tables_to_rows(tables)
    out = []
    for doc in document_ids(tables):
        heads = page_heads(tables, doc)
        pages = [{"kind": kind, "document_id": doc, "city_id": text_of(head.get("city_id")),
                  "title": page_title(kind, head),
                  "counts": severity_counts(page_records(tables, kind, head, heads)["findings"])}
                 for kind, head in heads if kind != "document"]
        own = [page_records(tables, kind, head, heads)["findings"] for kind, head in heads if kind == "document"]
        mine = [r for r in tables.get("findings", []) if r.get("document_id") == doc]
        out.append({"document_id": doc, "format": document_format(tables, doc), "counts": severity_counts(mine),
                    "pages": pages, "findings": own[0] if own else [], "document_page": bool(own)})
    return out
