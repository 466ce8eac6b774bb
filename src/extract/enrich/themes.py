"""Sections and list entries → theme tags: rows of the ``themes`` table.

In: ``sections`` and ``items`` rows as plain dicts (the columns of the
``sections`` and ``items`` tables), ``text_of(document_id)`` giving the decoded
text of a document, and the rules of ``rules/themes.yaml``
(``load_theme_rules``). Out: one row per words that name a UNESCO
learning-city theme in the prose of a vision, challenges or plan section or in
one of its list entries: ``city_id``, ``document_id``, ``section``,
``position`` (the entry's, ``None`` for the section's prose), ``theme``,
``rule`` (the pattern id), ``matched`` (the words as printed), ``char_start``
and ``char_end`` (their offsets in the document text: ``text[char_start:
char_end] == matched``).

Matching runs on the document text itself, slice by slice, so offsets need no
mapping back: a section's slice less its list entries (tagged on their own,
with their position) and less what its re-joined ``text`` left out (a quote
inside the section). The words are matched by ``themematch.pieces_to_spans``,
every piece of every section and entry in one call: what a spaCy ``SpanRuler``
on a blank English pipeline finds, phrases case-insensitively, token patterns
as written.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from difflib import SequenceMatcher

import regex

from extract.enrich.themematch import pieces_to_spans
from extract.read.textutil import fold
from extract.rules.themes import EXCLUDED, ThemeRules

_WORD = regex.compile(r"\S+")
_HAS_WORD = regex.compile(r"[\p{L}\p{N}]")


# --- where a row's text is in the document -----------------------------------

def text_to_ranges(doc_text: str, start: int, end: int, text: str) -> list[tuple[int, int, str]]:
    """The parts of ``doc_text[start:end]`` that the row's re-joined ``text``
    holds, as ``(start, end, piece)`` with ``piece`` the folded slice. Words of
    the slice missing from ``text`` cut it in two when they are words (a quote
    left out of a section) and are blanked when they are bare marks (a list
    marker where a broken entry goes on)."""
    piece, folded = fold(doc_text[start:end]), fold(text)
    found = words_of(piece)
    if not found:
        return []
    last = piece.rfind(found[-1]) + len(found[-1])
    if piece == folded or found == (kept := words_of(folded)):  # all of it, from its first word to its last
        first = piece.find(found[0])
        return [(start + first, start + last, piece[first:last])]
    lead = len(found) - len(kept)
    if 0 < lead < len(found) and found[lead:] == kept and set(found[:lead]).isdisjoint(kept):
        return lead_to_ranges(piece, start, found, lead, last)  # a list entry less its marker
    deleted = deleted_words(found, kept)
    # Only the words up to the last deleted one need their offsets: the rest
    # is kept, one stretch from the next word to the last. A word is found
    # from the end of the one before it (only white space lies between), the
    # last one from the end (only white space follows it).
    upto = max((i2 for _, i2 in deleted), default=0)
    words, at = [], 0
    for word in found[:upto + 1]:
        at = piece.find(word, at)
        words.append((at, at + len(word)))
        at += len(word)
    status = ["kept"] * upto
    for i1, i2 in deleted:
        cut = _HAS_WORD.search(" ".join(found[i1:i2])) is not None
        status[i1:i2] = ["cut" if cut else "blank"] * (i2 - i1)
    if upto < len(found):
        words[upto] = (words[upto][0], piece.rfind(found[-1]) + len(found[-1]))
        status.append("kept")
    parts, at, ranges, run = [], 0, [], None
    for (s, e), state in zip(words, status):
        if state == "cut":
            ranges += [run] if run else []
            run = None
            continue
        if state == "blank":
            parts += [piece[at:s], " " * (e - s)]
            at = e
        run = (run[0] if run else s, e)
    ranges += [run] if run else []
    blanked = "".join(parts) + piece[at:] if parts else piece
    return [(start + s, start + e, blanked[s:e]) for s, e in ranges]


def lead_to_ranges(piece: str, start: int, found: list[str], lead: int, last: int) -> list[tuple[int, int, str]]:
    """``text_to_ranges`` where the row's text leaves out only the first
    ``lead`` words of the slice (``piece``, its words ``found``, the end of
    its last word ``last``): the rest, when these hold a letter or a digit;
    else all of it, these blanked."""
    if lead == 1:  # one marker, as most list entries have
        mark = found[0]
        first = piece.find(mark)
        after = first + len(mark)
        if _HAS_WORD.search(mark):
            at = piece.find(found[1], after)
            return [(start + at, start + last, piece[at:last])]
        return [(start + first, start + last, " " * len(mark) + piece[after:last])]
    at, words = 0, []
    for word in found[:lead + 1]:
        at = piece.find(word, at)
        words.append(at)
        at += len(word)
    if _HAS_WORD.search(" ".join(found[:lead])):  # white space holds no letter or digit
        return [(start + words[lead], start + last, piece[words[lead]:last])]
    parts, at = [], 0
    for s, word in zip(words, found[:lead]):
        parts += [piece[at:s], " " * len(word)]
        at = s + len(word)
    blanked = "".join(parts) + piece[at:]
    return [(start + words[0], start + last, blanked[words[0]:last])]


def words_of(text: str) -> list[str]:
    """``_WORD.findall(text)``, by ``str.split`` where that gives the same
    (``regex``'s ``\\s`` leaves out the information separators U+001C–U+001F)."""
    if "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text:
        return _WORD.findall(text)
    return text.split()


def deleted_words(found: list[str], kept: list[str]) -> list[tuple[int, int]]:
    """The runs ``(i1, i2)`` of ``found`` that ``kept`` leaves out: difflib's
    ``delete`` opcodes, given at once in the usual case of a list entry, whose
    slice starts with a marker (words before ``kept`` that ``kept`` does not
    hold: difflib can only match ``kept`` after them)."""
    lead = len(found) - len(kept)
    if lead > 0 and found[lead:] == kept and set(found[:lead]).isdisjoint(kept):
        return [(0, lead)]
    ops = SequenceMatcher(None, found, kept, autojunk=False).get_opcodes()
    return [(i1, i2) for tag, i1, i2, _, _ in ops if tag == "delete"]


def cut_ranges(ranges: list[tuple[int, int, str]], holes: Iterable[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """``ranges`` less the ``holes`` (the list entries of a section)."""
    for h0, h1 in sorted(holes):
        out = []
        for s, e, piece in ranges:
            if h1 <= s or h0 >= e:
                out.append((s, e, piece))
                continue
            if h0 > s:
                out.append((s, h0, piece[: h0 - s]))
            if h1 < e:
                out.append((h1, e, piece[h1 - s:]))
        ranges = out
    return [(s, e, p) for s, e, p in ranges if p.strip()]


# --- matching ------------------------------------------------------------------

def spans_to_tags(spans: list[tuple[str, str, int, int]]) -> list[tuple[str, str, int, int]]:
    """Theme matches less those an exclusion of their theme overlaps; of
    overlapping matches of one theme the longest (then first) is kept."""
    if len(spans) == 1:  # the usual case: kept unless an exclusion
        return [] if spans[0][0].startswith(EXCLUDED) else spans
    excluded = [(label[1:], s, e) for label, _, s, e in spans if label.startswith(EXCLUDED)]
    tags = [t for t in spans if not t[0].startswith(EXCLUDED)
            and not any(x == t[0] and s < t[3] and t[2] < e for x, s, e in excluded)]
    kept: list[tuple[str, str, int, int]] = []
    for tag in sorted(tags, key=lambda t: (t[0], t[2] - t[3], t[2], t[1])):
        if not any(k[0] == tag[0] and k[2] < tag[3] and tag[2] < k[3] for k in kept):
            kept.append(tag)
    return sorted(kept, key=lambda t: (t[2], t[0]))


def unit_to_rows(unit: dict, position: int | None, pieces: list[tuple[int, list]], source: str,
                 located: bool) -> list[dict]:
    """Theme rows of one section's prose or one list entry, from the rule
    matches of each of its pieces (``(offset, spans)``, offsets of the spans
    in the piece); ``located``: offsets are the document's."""
    rows = []
    for offset, spans in pieces:
        if not spans:
            continue
        for theme, rule, s, e in spans_to_tags([(label, rid, offset + s, offset + e) for label, rid, s, e in spans]):
            rows.append({"city_id": unit["city_id"], "document_id": unit["document_id"],
                         "section": unit["section"], "position": position, "theme": theme, "rule": rule,
                         "matched": source[s:e],
                         "char_start": s if located else None,
                         "char_end": e if located else None})
    return rows


def row_to_ranges(row: dict, doc_text: str | None, entries: list[dict] = ()) -> list[tuple[int, int, str]]:
    """Where a section or item row's text is: in the document, less its list
    ``entries``; without a document, the row's own text with the entries'
    texts blanked (offsets then relative to it)."""
    if doc_text is not None:
        ranges = text_to_ranges(doc_text, int(row["char_start"]), int(row["char_end"]), row["text"])
        return cut_ranges(ranges, [(int(i["char_start"]), int(i["char_end"])) for i in entries])
    text, at = fold(row["text"]), 0
    for entry in entries:
        found = text.find(fold(entry["text"]), at)
        if found >= 0:
            at = found + len(entry["text"])
            text = text[:found] + " " * len(entry["text"]) + text[at:]
    return [(0, len(text), text)]


def rows_to_themes(sections: list[dict], items: list[dict], text_of: Callable[[str], str] | None,
                   theme_rules: ThemeRules) -> list[dict]:
    """Rows of the ``themes`` table (see the module docstring), ordered by
    document, city, section, offset and theme. With ``text_of`` ``None`` each row's own text
    is matched and ``char_start``/``char_end`` are ``None``."""
    scope = set(theme_rules.sections)
    texts: dict[str, str | None] = {}

    def doc_text(document_id: str) -> str | None:
        if document_id not in texts:
            texts[document_id] = text_of(document_id) if text_of is not None else None
        return texts[document_id]

    entries: dict[tuple, list[dict]] = {}
    for item in items:
        if item["section"] in scope:
            entries.setdefault((item["city_id"], item["document_id"], item["section"]), []).append(item)
    units = []  # (unit, position, ranges, document text)
    for section in sections:
        if section["section"] not in scope or not section.get("text"):
            continue
        key = (section["city_id"], section["document_id"], section["section"])
        text = doc_text(section["document_id"])
        own = sorted(entries.get(key, []), key=lambda i: int(i["position"]))
        units.append((section, None, row_to_ranges(section, text, own), text))
        units += [(item, int(item["position"]), row_to_ranges(item, text), text) for item in own]  # same section
    spans = iter(pieces_to_spans(theme_rules.matcher, [p for _, _, ranges, _ in units for _, _, p in ranges]))
    rows = []
    for unit, position, ranges, text in units:
        pieces = [(start, next(spans)) for start, _, _ in ranges]
        rows += unit_to_rows(unit, position, pieces, text if text is not None else unit["text"], text is not None)
    return sorted(rows, key=lambda r: (r["document_id"], r["city_id"], r["section"],
                                       r["char_start"] if r["char_start"] is not None else -1,
                                       r["position"] or 0, r["theme"]))
