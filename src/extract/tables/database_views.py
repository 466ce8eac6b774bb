"""Rows of the output tables → the database's derived tables and its views.

Input: the rows of each output table as plain dicts (``database`` reads them
from the frames). Output: ``derived_tables``, name → (columns, key, rows) of

- ``theme_passages``: one row per ``themes`` row with the passage that names
  the theme: the list entry's text, or the sentence of the section's prose
  holding the words that triggered the tag;
- ``partner_themes``: one row per shared theme of a ``partners`` row (the
  ``;``-list split, ``position`` in its order), with a passage of each city
  naming the theme in the sections the partner's ``basis`` compares;

and ``VIEWS``, name → (tables it needs, SQL): ``themes_by_city``,
``partner_evidence`` and ``timeline``, the README's questions.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from extract.enrich.partners import FIRST, SECTIONS

SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def _sentence(text: str, words: str) -> str:
    """The sentence of ``text`` (white space folded) that holds ``words``; all of it when none does."""
    flat, words = " ".join(text.split()), " ".join(words.split())
    at = flat.lower().find(words.lower())
    if at < 0:
        return flat
    ends = [m.end() for m in SENTENCE_END.finditer(flat)]
    start = max([e for e in ends if e <= at] or [0])
    end = min([e for e in ends if e >= at + len(words)] or [len(flat)])
    return flat[start:end].strip()


def _theme_passages(rows: Mapping[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    items = {(r["city_id"], r["document_id"], r["section"], r["position"]): r["text"] for r in rows.get("items", [])}
    sections = {(r["city_id"], r["document_id"], r["section"]): r["text"] or "" for r in rows.get("sections", [])}
    out = []
    for t in rows.get("themes", []):
        where = (t["city_id"], t["document_id"], t["section"])
        passage = items.get((*where, t["position"])) if t["position"] is not None else None
        if passage is None:
            passage = _sentence(sections.get(where, ""), t["matched"]) or t["matched"]
        out.append({"city_id": t["city_id"], "document_id": t["document_id"], "section": t["section"],
                    "position": t["position"], "theme": t["theme"], "char_start": t["char_start"],
                    "char_end": t["char_end"], "matched": t["matched"], "passage": passage})
    return out


def _partner_themes(rows: Mapping[str, list[dict[str, Any]]],
                    passages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    first: dict[tuple[str, str, bool], str] = {}  # (city, theme, only the first tier's sections) → passage
    for p in sorted(passages, key=lambda p: (p["document_id"], p["char_start"])):
        for narrow in (False, True):
            if not narrow or p["section"] in SECTIONS:
                first.setdefault((p["city_id"], p["theme"], narrow), p["passage"])
    out = []
    for row in rows.get("partners", []):
        narrow = row["basis"] == FIRST
        for position, theme in enumerate((row["shared_themes"] or "").split(";"), start=1):
            if theme:
                out.append({"city_id": row["city_id"], "partner_city_id": row["partner_city_id"],
                            "rank": row["rank"], "position": position, "theme": theme,
                            "city_passage": first.get((row["city_id"], theme, narrow)),
                            "partner_passage": first.get((row["partner_city_id"], theme, narrow))})
    return out


def derived_tables(rows: Mapping[str, list[dict[str, Any]]]) -> dict[str, tuple[dict[str, type], tuple[str, ...], list]]:
    """name → (column types, key, rows) of the tables derived from ``rows``."""
    passages = _theme_passages(rows)
    return {
        "theme_passages": ({"city_id": str, "document_id": str, "section": str, "position": int, "theme": str,
                            "char_start": int, "char_end": int, "matched": str, "passage": str},
                           ("city_id", "document_id", "section", "position", "theme", "char_start"), passages),
        "partner_themes": ({"city_id": str, "partner_city_id": str, "rank": int, "position": int, "theme": str,
                            "city_passage": str, "partner_passage": str},
                           ("city_id", "partner_city_id", "position"), _partner_themes(rows, passages)),
    }


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
