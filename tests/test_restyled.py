"""The brochure with every part in another layout at once (``restyled-*``
renderings of ``extract.bench.renderings``: indicator tables, member list,
contact blocks and headings each restyled, made by code) is still read as a
brochure and gives the same records as the brochure as printed: cities,
indicators, sections, list entries, contacts, quotes, themes and events."""
from __future__ import annotations

import pytest

from conftest import BROCHURE
from extract.bench.renderings.text import RESTYLED, restyled
from extract.pipeline import document_rows

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


def records(rows) -> dict[str, list[tuple]]:
    """The rows' fields, the contact section (the block as printed) left out."""
    return {t: sorted((tuple(r.get(k) for k in keys) for r in rows[t] if r.get("section") != "contact"), key=repr)
            for t, keys in KEYS.items()}


@pytest.fixture(scope="module")
def printed(tmp_path_factory, rules):
    path = tmp_path_factory.mktemp("printed") / "brochure.txt"
    path.write_text(SOURCE, encoding="utf-8")
    return records(document_rows(path, rules))


@pytest.mark.parametrize("name", list(RESTYLED))
def test_a_brochure_restyled_throughout_gives_the_same_records(tmp_path, rules, printed, name):
    text = restyled(SOURCE, name)
    changed = sum(a != b for a, b in zip(SOURCE.split("\n"), text.split("\n")))
    assert changed > 300  # tables, member list, contacts and headings
    path = tmp_path / "brochure.txt"
    path.write_text(text, encoding="utf-8")
    rows = document_rows(path, rules)
    assert {r["source_format"] for r in rows["cities"]} == {"brochure"}
    mine = records(rows)
    assert all(printed[t] for t in ("cities", "indicators", "sections", "contacts", "quotes", "themes", "events"))
    for table in KEYS:
        assert mine[table] == printed[table], table


def test_a_brochure_without_tables_gives_the_same_records_but_the_indicators(tmp_path, rules, printed):
    """Portraits found by their vision headings alone, one after another:
    each with its tagline (above its intro) and all its sections."""
    from extract.bench.renderings.text import tables_removed

    path = tmp_path / "brochure.txt"
    path.write_text(tables_removed(SOURCE), encoding="utf-8")
    rows = document_rows(path, rules)
    mine = records(rows)
    assert not rows["indicators"] and len(rows["cities"]) == 37
    for table in ("sections", "items", "contacts", "quotes", "themes", "events"):
        assert mine[table] == printed[table], table
    keep = [KEYS["cities"].index(k) for k in ("city_id", "city", "country_code", "learning_city_award", "tagline",
                                              "vision", "challenges", "plan", "contact_name", "contact_email")]
    assert [[c[k] for k in keep] for c in mine["cities"]] == [[c[k] for k in keep] for c in printed["cities"]]
    missing = [f for f in rows["findings"] if f["code"] == "indicator_table_missing"]
    assert len(missing) == 37 and {f["severity"] for f in missing} == {"warning"}
