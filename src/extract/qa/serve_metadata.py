"""``extract.db`` → Datasette's metadata for it, generated from the data dictionary.

Input: the path of an ``extract.db`` (``tables.database``). Output: a dict in
Datasette's ``metadata.json`` form: title, license and sources; per table and
view its description, the description and unit of each column (the table
specs of ``tables.schemas``; the database's own tables and views from
``tables.database_views.DESCRIPTIONS``), the documents its rows come from,
facets on ``country``, ``theme``, ``section`` and ``severity`` where it has
them; and the canned queries: cities working on a theme, the closest partners
of a city with the passages they share, what happened when.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from extract.tables.database_views import DESCRIPTIONS
from extract.tables.schemas import TABLES

FACETS = ("country", "theme", "section", "severity", "basis", "code")
LICENSE = ("MIT", "https://opensource.org/licenses/MIT")
CUSTOM_UNITS = ("USD = [currency]",)
LABELS: Mapping[str, str] = {"city_index": "city", "documents": "document_id"}

QUERIES: Mapping[str, dict[str, Any]] = {
    "cities_working_on_a_theme": {
        "title": "Cities working on a theme",
        "description": "The cities whose vision, challenges or plan name a theme, most passages first, with the "
                       "sections and a first passage. Themes: {themes}.",
        "sql": "SELECT city_id, city, country, passages, sections, example\nFROM themes_by_city\n"
               "WHERE theme = :theme\nORDER BY passages DESC, city",
    },
    "closest_partners": {
        "title": "Closest partners of a city and the passages they share",
        "description": "A city's partner suggestions in rank order and, for each theme they share, a passage of "
                       "each city naming it (give a city_id, e.g. from city_index).",
        "sql": "SELECT rank, partner, partner_country, round(score, 3) AS score, basis, theme,\n"
               "       city_passage, partner_passage\nFROM partner_evidence\nWHERE city_id = :city_id\n"
               "ORDER BY rank, theme_position",
        "hide_sql": True,
    },
    "what_happened_when": {
        "title": "What happened when",
        "description": "Every dated fact of the portraits (launches, plans, relative dates resolved), oldest first.",
        "sql": "SELECT year, month, city_id, city, country, text, document_id\nFROM timeline\n"
               "ORDER BY year, month, city, char_start",
    },
}


def _columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                        "AND name NOT LIKE '%\\_fts%' ESCAPE '\\' ORDER BY name")]
    return {n: [r[1] for r in conn.execute(f"PRAGMA table_info([{n}])")] for n in names}


def _column_notes() -> tuple[dict[str, str], dict[str, str]]:
    """Column name → its description and its unit, first table naming it first."""
    notes: dict[str, str] = {}
    units: dict[str, str] = {}
    for spec in TABLES.values():
        for c in spec.columns:
            notes.setdefault(c.name, c.description)
            if c.unit:
                units.setdefault(c.name, c.unit)
    return notes, units


def _table(conn: sqlite3.Connection, name: str, columns: list[str]) -> dict[str, Any]:
    generic, _ = _column_notes()
    spec = TABLES.get(name)
    if spec:
        description, notes = spec.description, {c.name: c.description for c in spec.columns}
        units = {c.name: c.unit for c in spec.columns if c.unit}
    else:
        description, own = DESCRIPTIONS.get(name, ("", {}))
        notes, units = {c: own.get(c) or generic.get(c, "") for c in columns}, {}
    meta: dict[str, Any] = {"description": description, "columns": {c: notes.get(c, "") for c in columns}}
    if units:
        meta["units"] = units
    facets = [c for c in FACETS if c in columns]
    if facets:
        meta["facets"] = facets
    if "document_id" in columns:
        docs = [r[0] for r in conn.execute(f"SELECT DISTINCT document_id FROM [{name}] ORDER BY 1") if r[0]]
        if docs:
            meta["source"] = "; ".join(docs)
    if name in LABELS:
        meta["label_column"] = LABELS[name]
    return meta


def database_to_metadata(db_path: str | Path) -> dict[str, Any]:
    """Datasette's metadata for the ``extract.db`` at ``db_path``."""
    path = Path(db_path)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {name: _table(conn, name, cols) for name, cols in _columns(conn).items()}
        documents = [r[0] for r in conn.execute("SELECT document_id FROM documents ORDER BY 1")]
    finally:
        conn.close()
    theme = next(c for c in TABLES["themes"].columns if c.name == "theme")
    themes = theme.description.split(":", 1)[-1].strip()
    queries = {name: dict(q, description=q["description"].format(themes=themes)) for name, q in QUERIES.items()}
    return {
        "title": "Learning cities: the tables extract made",
        "description": "Every table of the run, searchable and joined: cities, their figures, sections, list "
                       "entries, quotes, contacts, themes, events, partner suggestions and the findings.",
        "license": LICENSE[0], "license_url": LICENSE[1],
        "source": "; ".join(documents),
        "custom_units": list(CUSTOM_UNITS),
        "databases": {path.stem: {"tables": tables, "queries": queries}},
    }
