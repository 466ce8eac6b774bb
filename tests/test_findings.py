"""The brochure's warnings and errors, as flattened (city_id, code, field) tuples:
a finding for every repaired email, implausible figure and foreign text, and
none for portraits without such defects."""
from __future__ import annotations

EXPECTED = {
    ("cantarranas-hnd", "country_figure_inconsistent", "gdp_per_capita_country_usd"),
    ("marcovia-hnd", "country_figure_inconsistent", "gdp_per_capita_country_usd"),
    ("eskisehir-tur", "foreign_city_text", "vision"),
    ("marcovia-hnd", "email_repaired", "contact:1"),
    ("melitopol-ukr", "email_repaired", "contact:1"),
    ("modiin-maccabim-reut-isr", "email_repaired", "contact:1"),
    ("serres-grc", "implausible_value", "population_density_per_km2"),
    ("sorocaba-bra", "implausible_value", "gdp_per_capita_city_usd"),
}


def test_warnings_and_errors(tables):
    f = tables["findings"]
    got = {(r.city_id, r.code, r.field) for r in f[f["severity"] != "info"].itertuples()}
    assert got == EXPECTED


def test_repairs_are_reported(tables):
    f = tables["findings"]
    info = {(r.city_id, r.code, r.field) for r in f[f["severity"] == "info"].itertuples()}
    assert ("goyang-kor", "decimal_comma", "area_km2") in info
    assert ("bucheon-kor", "stray_character_removed", "gdp_per_capita_city_usd") in info
    assert ("bucheon-kor", "label_repaired", "gdp_per_capita_country_usd") in info
    assert ("sorocaba-bra", "role_duplicate_removed", "contact:1") in info
    assert any(c == "ybycui-pry" and code == "quote_rejoined" for c, code, _ in info)


def test_every_code_is_catalogued(tables, rules):
    assert set(tables["findings"]["code"]) <= set(rules.findings)
    for r in tables["findings"].itertuples():
        assert r.severity == rules.findings[r.code].severity
        assert r.message.strip()
