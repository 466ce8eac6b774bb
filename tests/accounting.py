"""Whether every non-blank line of a document ends up in a field or a finding,
judged from the output rows alone (not from the extractors' own claims).

A line is accounted for when:
- it overlaps the source span of an indicator (its value or its label),
  item, quote piece, quote speaker or contact;
- it lies in a portrait's header (from the portrait's start to the end of its
  tagline: the lines naming the city, and the tagline);
- it overlaps sections' spans and its letters and digits, the section
  headings in it left out, run on in those sections' texts, in order; or it
  is a heading line (a section may be empty and give no row);
- it overlaps the span of a finding that keeps text (``KEEPING``), or the
  document failed as a whole (an ``error`` finding without a city or span).
The member list of a brochure (before the first portrait) is left to the
gold tests."""
from __future__ import annotations

import regex

from extract.read.ingest import fold

KEEPING = frozenset({
    "unclaimed_text", "text_outside_portraits", "line_too_long", "portrait_duplicated", "extractor_failed",
    "boilerplate_removed", "table_row_unparsed", "city_unidentified", "portrait_truncated",
    "indicator_duplicated", "indicator_conflicting", "indicator_empty", "contact_unparsed",
    "section_empty", "item_empty",
})
_NOT_ALNUM = regex.compile(r"[^\p{L}\p{N}]+")


def _letters(text: str) -> str:
    """Letters and digits only, case-folded: line breaks, hyphens and spaces
    re-joined or not, the same string."""
    return _NOT_ALNUM.sub("", text).casefold()


def _overlaps(spans, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def unaccounted_lines(text: str, rows: dict[str, list[dict]], rules, start: int = 0) -> list[str]:
    """The non-blank lines of ``text`` from ``start`` on that no output row accounts for."""
    findings = rows["findings"]
    if any(f["severity"] == "error" and not f["city_id"] and f["char_start"] is None for f in findings):
        return []
    spans = [(r["char_start"], r["char_end"]) for t in ("indicators", "items", "contacts") for r in rows[t]]
    spans += [tuple(map(int, piece.split(":"))) for q in rows["quotes"] for piece in q["spans"].split(";")]
    spans += [(q["speaker_char_start"], q["speaker_char_end"]) for q in rows["quotes"]]
    spans += [(i["label_char_start"], i["label_char_end"]) for i in rows["indicators"]
              if i["label_char_start"] is not None]
    spans += [(f["char_start"], f["char_end"]) for f in findings
              if f["code"] in KEEPING and f["char_start"] is not None]
    headers = [(c["char_start"], c["tagline_char_end"] or c["char_start"]) for c in rows["cities"]]
    sections = [(s["char_start"], s["char_end"], _letters(s["text"])) for s in rows["sections"]]
    headings = [(s["heading_char_start"], s["heading_char_end"]) for s in rows["sections"]
                if s["heading_char_start"] is not None]
    out = []
    pos = start
    text = fold(text)  # the text the stages read: same offsets, line ends and spaces folded
    for line in text[start:].split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        stripped = line.strip()
        if not stripped:
            continue
        a += len(line) - len(line.lstrip())
        b = a + len(stripped)
        if _overlaps(spans, a, b) or any(s <= a and b <= e + 1 for s, e in headers):
            continue
        if any(h.pattern.match(stripped) for h in rules.headings):
            continue
        near = [letters for s, e, letters in sorted(sections) if s < b and a < e]
        rest = "".join(ch for k, ch in enumerate(text[a:b], a) if not _overlaps(headings, k, k + 1))
        if near and _letters(rest) in "".join(near):
            continue
        out.append(stripped)
    return out
