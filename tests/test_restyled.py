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
    return {t: sorted((tuple(r[k] for k in keys) for r in rows[t] if r.get("section") != "contact"), key=repr)
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
