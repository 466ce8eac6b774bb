"""``extract serve``: Datasette on extract.db with the metadata generated from
the data dictionary, queried through Datasette's own test client (pages and
JSON API); once through headless Chromium (slow, skipped without it)."""
from __future__ import annotations

import asyncio
import re
import shutil
import sqlite3

import pytest

from extract.cli import main
from extract.qa.serve_metadata import QUERIES, database_to_metadata
from extract.tables.schemas import TABLES

datasette_app = pytest.importorskip("datasette.app")


@pytest.fixture(scope="module")
def db_path(raw_out):
    return raw_out / "extract.db"


@pytest.fixture(scope="module")
def metadata(db_path):
    return database_to_metadata(db_path)


@pytest.fixture(scope="module")
def get(db_path, metadata):
    """path → (status, JSON or HTML text) from Datasette's test client."""
    ds = datasette_app.Datasette([str(db_path)], metadata=metadata)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(ds.invoke_startup())

    def fetch(path: str):
        response = loop.run_until_complete(ds.client.get(path))
        is_json = response.headers.get("content-type", "").startswith("application/json")
        return response.status_code, response.json() if is_json else response.text
    yield fetch
    loop.close()


def _sql(db_path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("table", list(TABLES))
def test_metadata_describes_every_column_from_the_dictionary(metadata, table):
    meta = metadata["databases"]["extract"]["tables"][table]
    assert meta["description"] == TABLES[table].description
    assert meta["columns"] == {c.name: c.description for c in TABLES[table].columns}


def test_metadata_has_units_facets_sources_and_license(metadata):
    tables = metadata["databases"]["extract"]["tables"]
    assert tables["cities"]["units"]["area_km2"] == "km^2" and tables["cities"]["units"]["gdp_per_capita_city_usd"] == "USD"
    assert "country" in tables["cities"]["facets"] and "theme" in tables["themes"]["facets"]
    assert "section" in tables["sections"]["facets"] and "severity" in tables["findings"]["facets"]
    assert tables["cities"]["source"] == "gnlc-portraits-2016.txt; web-profile-kaunas.txt"
    assert metadata["license"] == "MIT"
    assert all(tables[t]["description"] for t in ("city_index", "documents", "theme_passages", "partner_themes",
                                                   "themes_by_city", "partner_evidence", "timeline"))


def test_canned_query_cities_working_on_a_theme(get, db_path):
    status, rows = get("/extract/cities_working_on_a_theme.json?theme=workplace_learning&_shape=array")
    assert status == 200
    expected = _sql(db_path, "SELECT city, passages FROM themes_by_city WHERE theme = ? ORDER BY passages DESC, city",
                    "workplace_learning")
    assert [(r["city"], r["passages"]) for r in rows] == expected and len(expected) >= 5


def test_canned_query_closest_partners_with_their_passages(get, db_path):
    status, rows = get("/extract/closest_partners.json?city_id=kaunas-ltu&_shape=array")
    assert status == 200
    partners = _sql(db_path, "SELECT rank, shared_themes FROM partners WHERE city_id = 'kaunas-ltu' ORDER BY rank")
    assert sorted({r["rank"] for r in rows}) == [rank for rank, _ in partners]
    themes = [(rank, t) for rank, shared in partners for t in (shared or "").split(";") if t]
    assert [(r["rank"], r["theme"]) for r in rows if r["theme"]] == themes
    assert all(r["city_passage"] and r["partner_passage"] for r in rows if r["theme"])


def test_canned_query_what_happened_when(get, db_path):
    status, rows = get("/extract/what_happened_when.json?_shape=array")
    assert status == 200
    assert len(rows) == _sql(db_path, "SELECT count(*) FROM events")[0][0]
    assert [r["year"] for r in rows] == sorted(r["year"] for r in rows)


@pytest.mark.parametrize("name", list(QUERIES))
def test_canned_query_page_has_its_title(get, name):
    status, html = get(f"/extract/{name}")
    assert status == 200 and QUERIES[name]["title"] in html


def test_table_page_shows_descriptions_facets_and_units(get):
    status, html = get("/extract/cities")
    assert status == 200
    assert TABLES["cities"].description in html
    assert 'data-column="country"' in html and "km²" in html
    status, data = get("/extract/findings.json?_facet=severity")
    assert status == 200 and {f["value"] for f in data["facet_results"]["severity"]["results"]} >= {"warning", "info"}


def test_full_text_search_through_datasette(get, db_path):
    status, data = get("/extract/sections.json?_search=literacy&_shape=array")
    assert status == 200 and data
    assert all("literac" in r["text"].lower() for r in data)


def test_city_index_links_each_city_to_its_rows(get):
    status, html = get("/extract/city_index/kaunas-ltu")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert status == 200 and "Links from other tables" in text
    assert "2 rows from city_id in cities" in text and "from partner_city_id in partners" in text


def test_serve_without_a_database_is_a_usage_error(tmp_path, capsys):
    assert main(["serve", "--out", str(tmp_path)]) == 2
    assert "extract.db does not exist" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")
def test_a_canned_query_drawn_by_headless_chromium(raw_out, tmp_path):
    png = tmp_path / "partners.png"
    assert main(["serve", "--out", str(raw_out), "--screenshot", str(png),
                 "--page", "extract/closest_partners?city_id=kaunas-ltu"]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
