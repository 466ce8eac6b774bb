"""The output tables in the database → its derived tables, and its views.

Input: an open SQLite connection holding the output tables (``database``
writes them first). Output: ``DERIVED``, name → (column types, key) of

- ``theme_passages``: one row per ``themes`` row with the passage that names
  the theme: the list entry's text, or the sentence of the section's prose
  holding the words that triggered the tag (``fill_theme_passages``, one
  ``INSERT … SELECT`` in the database: the sections are never held);
- ``partner_themes``: one row per shared theme of a ``partners`` row (the
  ``;``-list split, ``position`` in its order), with a passage of each city
  naming the theme in the sections the partner's ``basis`` compares
  (``partner_theme_rows``, a partner row at a time);

and ``VIEWS``, name → (tables it needs, SQL): ``themes_by_city``,
``partner_evidence`` and ``timeline``, the README's questions.
"""
from __future__ import annotations

import bisect
import functools
import re
import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any

from extract.enrich.partners import FIRST, SECTIONS

SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
DERIVED: Mapping[str, tuple[dict[str, type], tuple[str, ...]]] = {
    "theme_passages": ({"city_id": str, "document_id": str, "section": str, "position": int, "theme": str,
                        "char_start": int, "char_end": int, "matched": str, "passage": str},
                       ("city_id", "document_id", "section", "position", "theme", "char_start")),
    "partner_themes": ({"city_id": str, "partner_city_id": str, "rank": int, "position": int, "theme": str,
                        "city_passage": str, "partner_passage": str},
                       ("city_id", "partner_city_id", "position")),
}
_LOOKUP = 4096  # first passages remembered while the partner rows are read
_TEXTS = 64  # section texts remembered folded while the theme rows are read


@functools.lru_cache(maxsize=_TEXTS)
def _sentences(text: str) -> tuple[str, str, list[int]]:
    """A text with its white space folded, that lowered, and where each of its
    sentences ends (``SENTENCE_END``), in order. (Remembered: the tags of one
    section come one after another.)"""
    flat = " ".join(text.split())
    return flat, flat.lower(), [m.end() for m in SENTENCE_END.finditer(flat)]


def _sentence(text: str, words: str) -> str:
    """The sentence of ``text`` (white space folded) that holds ``words``; all of it when none does."""
    flat, lowered, ends = _sentences(text)
    words = " ".join(words.split())
    at = lowered.find(words.lower())
    if at < 0:
        return flat
    before = bisect.bisect_right(ends, at)  # the last end at or before ``at``, the first at or after the words' end
    after = bisect.bisect_left(ends, at + len(words))
    start = ends[before - 1] if before else 0
    end = ends[after] if after < len(ends) else len(flat)
    return flat[start:end].strip()


def _prose_passage(section_text: str | None, matched: str) -> str:
    """The passage of a tag on a section's prose: the sentence holding the words, else the words."""
    return _sentence(section_text or "", matched) or matched


def fill_theme_passages(conn: sqlite3.Connection, tables: set[str]) -> None:
    """Fill ``theme_passages`` from ``themes``, ``items`` and ``sections`` in
    the database, in the order of ``themes``: a tag on a list entry (a
    position) takes the entry's text, any other its section's sentence (the
    last row of a key, where a key comes twice)."""
    if "themes" not in tables:
        return
    conn.create_function("extract_prose_passage", 2, _prose_passage, deterministic=True)
    item = ("(SELECT i.text FROM items i WHERE i.city_id IS t.city_id AND i.document_id IS t.document_id "
            "AND i.section IS t.section AND i.position IS t.position ORDER BY i.rowid DESC LIMIT 1)"
            if "items" in tables else "NULL")
    section = ("(SELECT s.text FROM sections s WHERE s.city_id IS t.city_id AND s.document_id IS t.document_id "
               "AND s.section IS t.section ORDER BY s.rowid DESC LIMIT 1)" if "sections" in tables else "NULL")
    conn.execute(f"""
INSERT INTO theme_passages (city_id, document_id, section, position, theme, char_start, char_end, matched, passage)
SELECT t.city_id, t.document_id, t.section, t.position, t.theme, t.char_start, t.char_end, t.matched,
       coalesce(CASE WHEN t.position IS NOT NULL THEN {item} END, extract_prose_passage({section}, t.matched))
FROM themes t ORDER BY t.rowid""")


def partner_theme_rows(conn: sqlite3.Connection, tables: set[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``partner_themes``, from ``partners`` and ``theme_passages``
    in the database: a city's passage naming a theme is its first by
    document and offset (of the first tier's sections for a first-tier
    partner)."""
    if "partners" not in tables:
        return
    narrow_sql = " AND section IN ({})".format(", ".join("?" * len(SECTIONS)))

    @functools.lru_cache(maxsize=_LOOKUP)
    def first(city: str, theme: str, narrow: bool) -> str | None:
        found = conn.execute("SELECT passage FROM theme_passages WHERE city_id IS ? AND theme IS ?"
                             + (narrow_sql if narrow else "") + " ORDER BY document_id, char_start, rowid LIMIT 1",
                             (city, theme, *(SECTIONS if narrow else ()))).fetchone()
        return None if found is None else found[0]

    partners = conn.execute("SELECT city_id, partner_city_id, rank, shared_themes, basis FROM partners ORDER BY rowid")
    while rows := partners.fetchmany(1000):
        for city, partner, rank, shared, basis in rows:
            narrow = basis == FIRST
            for position, theme in enumerate((shared or "").split(";"), start=1):
                if theme:
                    yield (city, partner, rank, position, theme, first(city, theme, narrow),
                           first(partner, theme, narrow))


VIEWS: Mapping[str, tuple[tuple[str, ...], str]] = {
    "themes_by_city": (("themes",), """
SELECT t.theme, t.city_id, c.city, c.country,
       count(DISTINCT t.document_id || '/' || t.section || '/' || coalesce(t.position, 0)) AS passages,
       group_concat(DISTINCT t.section) AS sections,
       (SELECT p.passage FROM theme_passages p WHERE p.city_id = t.city_id AND p.theme = t.theme
        ORDER BY p.document_id, p.char_start LIMIT 1) AS example
FROM themes t JOIN city_index c ON c.city_id = t.city_id
GROUP BY t.theme, t.city_id
ORDER BY t.theme, passages DESC, c.city"""),
    "partner_evidence": (("partners",), """
SELECT p.city_id, c.city, c.country, p.rank, p.partner_city_id, o.city AS partner, o.country AS partner_country,
       p.score, p.basis, pt.position AS theme_position, pt.theme, pt.city_passage, pt.partner_passage
FROM partners p
JOIN city_index c ON c.city_id = p.city_id
JOIN city_index o ON o.city_id = p.partner_city_id
LEFT JOIN partner_themes pt ON pt.city_id = p.city_id AND pt.partner_city_id = p.partner_city_id
ORDER BY p.city_id, p.rank, pt.position"""),
    "timeline": (("events",), """
SELECT e.year, e.month, e.city_id, c.city, c.country, e.text, e.document_id, e.char_start, e.char_end, e.page
FROM events e JOIN city_index c ON c.city_id = e.city_id
ORDER BY e.year, e.month, c.city, e.char_start"""),
}

# What the database holds beyond the output tables, for people (Datasette's metadata):
# name → (description, column → description; columns of the output tables keep theirs).
DESCRIPTIONS: Mapping[str, tuple[str, Mapping[str, str]]] = {
    "city_index": ("One row per `city_id` of any table but `findings`: the target of every `city_id` and "
                   "`partner_city_id` foreign key (`cities` has one row per city and document).",
                   {"city": "City name (from `cities`, else from the challenge page).",
                    "country": "Country name as printed.", "country_code": "ISO 3166-1 alpha-3 code.",
                    "portraits": "Rows of `cities` for this city (portraits and profiles)."}),
    "documents": ("One row per input document: the target of every `document_id` foreign key.",
                  {"source_format": "Kind of document (`brochure`, `web_profile`, `challenge_page`); empty for "
                   "one nothing could be read from.", "portraits": "Rows of `cities` read from it."}),
    "theme_passages": ("One row per theme tag (`themes`) with the passage that names the theme: the list entry, "
                       "or the sentence of the section's prose holding the words that triggered the tag.",
                       {"passage": "The list entry, or the sentence of the prose, white space folded."}),
    "partner_themes": ("One row per theme a partner pair shares (`partners.shared_themes` split), with a passage "
                       "of each city naming it in the sections the pair's `basis` compares.",
                       {"position": "Place of the theme in `shared_themes` (1 adds most to the score).",
                        "city_passage": "First passage of `city_id` naming the theme.",
                        "partner_passage": "First passage of `partner_city_id` naming the theme."}),
    "themes_by_city": ("Which cities work on which theme: passages per city and theme, the sections they are "
                       "in and a first example, most passages first.", {}),
    "partner_evidence": ("Each city's closest partners with, per shared theme, a passage of each city naming it.", {}),
    "timeline": ("The dated facts of every portrait in date order, with the city's name.", {}),
}
