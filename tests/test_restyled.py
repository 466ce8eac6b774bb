"""The brochure with every part in another layout at once (``restyled-*``
renderings of ``extract.bench.renderings``: indicator tables, member list,
contact blocks and headings each restyled, made by code) is still read as a
brochure and gives the same records as the brochure as printed: cities,
indicators, sections, list entries, contacts, quotes, themes and events."""
from __future__ import annotations

import pytest

from conftest import BROCHURE, fields, rows_of_text
from extract.bench.renderings.text import RESTYLED, restyled

SOURCE = BROCHURE.read_text(encoding="utf-8")
KEYS = {
    "cities": ("city_id", "city", "country_code", "learning_city_award", "population", "population_year",
               "tagline", "vision", "challenges", "plan", "contact_name", "contact_email"),
    "indicators": ("city_id", "indicator", "scope", "group", "value", "year"),
    "sections": ("city_id", "section", "text"),
    "items": ("city_id", "section", "position", "text"),
    "contacts": ("city_id", "honorific", "name", "role", "email", "email_status"),
    "quotes": ("city_id", "speaker", "speaker_role"),
    "themes": ("city_id", "section", "position", "theme", "matched"),
    "events": ("city_id", "year", "month", "text"),
}


@pytest.fixture(scope="module")
def printed(brochure_rows):
    return fields(brochure_rows, KEYS)


@pytest.mark.parametrize("name", list(RESTYLED))
def test_a_brochure_restyled_throughout_gives_the_same_records(tmp_path, rules, printed, name):
    text = restyled(SOURCE, name)
    changed = sum(a != b for a, b in zip(SOURCE.split("\n"), text.split("\n")))
    assert changed > 300  # tables, member list, contacts and headings
    rows = rows_of_text(text, tmp_path, rules)
    assert {r["source_format"] for r in rows["cities"]} == {"brochure"}
    mine = fields(rows, KEYS)
    assert all(printed[t] for t in ("cities", "indicators", "sections", "contacts", "quotes", "themes", "events"))
    for table in KEYS:
        assert mine[table] == printed[table], table


def test_a_brochure_without_tables_gives_the_same_records_but_the_indicators(tmp_path, rules, printed):
    """Portraits found by their vision headings alone, one after another:
    each with its tagline (above its intro) and all its sections."""
    from extract.bench.renderings.text import tables_removed

    rows = rows_of_text(tables_removed(SOURCE), tmp_path, rules)
    mine = fields(rows, KEYS)
    assert not rows["indicators"] and len(rows["cities"]) == 37
    for table in ("sections", "items", "contacts", "quotes", "themes", "events"):
        assert mine[table] == printed[table], table
    keep = [KEYS["cities"].index(k) for k in ("city_id", "city", "country_code", "learning_city_award", "tagline",
                                              "vision", "challenges", "plan", "contact_name", "contact_email")]
    assert [[c[k] for k in keep] for c in mine["cities"]] == [[c[k] for k in keep] for c in printed["cities"]]
    missing = [f for f in rows["findings"] if f["code"] == "indicator_table_missing"]
    assert len(missing) == 37 and {f["severity"] for f in missing} == {"warning"}
