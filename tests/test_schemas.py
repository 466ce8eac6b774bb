"""The table specs against CONTRACT.md, and the frames, checks and files built from them."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.tables import schemas
from extract.tables.arrow import rows_to_table
from extract.tables.dictionary import data_dictionary_markdown, datapackage
from extract.tables.frames import to_frame, validate_frame
from extract.tables.schemas import TABLES
from extract.tables.write import write_tables

# Copied from /work/shared/CONTRACT.md: table -> (key, {column: type}).
CONTRACT: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "cities": (("city_id", "document_id"), {
        "city_id": "string", "city": "string", "country": "string", "country_code": "string",
        "document_id": "string", "source_format": "string", "tagline": "string", "learning_city_award": "Int",
        "joined_gnlc": "string", "population": "float", "population_year": "Int", "area_km2": "float",
        "area_km2_year": "Int", "gdp_per_capita_city_usd": "float", "gdp_per_capita_city_usd_year": "Int",
        "gdp_per_capita_country_usd": "float", "gdp_per_capita_country_usd_year": "Int",
        "mean_years_schooling": "float", "mean_years_schooling_year": "Int", "mean_years_schooling_men": "float",
        "mean_years_schooling_women": "float", "intro": "string", "vision": "string", "challenges": "string",
        "plan": "string", "contact_name": "string", "contact_role": "string", "contact_email": "string"}),
    "indicators": (("city_id", "indicator", "scope", "group"), {
        "city_id": "string", "indicator": "string", "scope": "string", "group": "string", "value": "float",
        "value_min": "float", "value_max": "float", "year": "Int", "raw": "string", "char_start": "Int",
        "char_end": "Int"}),
    "sections": (("city_id", "section"), {
        "city_id": "string", "section": "string", "text": "string", "char_start": "Int", "char_end": "Int"}),
    "items": (("city_id", "section", "position"), {
        "city_id": "string", "section": "string", "position": "Int", "marker": "string", "text": "string",
        "char_start": "Int", "char_end": "Int"}),
    "contacts": (("city_id", "position"), {
        "city_id": "string", "position": "Int", "honorific": "string", "name": "string", "role": "string",
        "email": "string", "email_raw": "string", "email_status": "string", "char_start": "Int", "char_end": "Int"}),
    "quotes": (("city_id", "position"), {
        "city_id": "string", "position": "Int", "text": "string", "speaker_honorific": "string",
        "speaker": "string", "speaker_role": "string", "char_start": "Int", "char_end": "Int"}),
    "findings": (("document_id", "city_id", "code", "field"), {
        "document_id": "string", "city_id": "string", "table": "string", "field": "string", "severity": "string",
        "code": "string", "message": "string", "value": "string"}),
    # Added to the contract for challenge pages (README, datapackage.json).
    "challenges": (("document_id",), {
        "document_id": "string", "city_id": "string", "city": "string", "country": "string",
        "country_code": "string", "title": "string", "description": "string", "challenge": "string",
        # deadline: a date since issue 15 (in Parquet and the data package; the same ISO text in the CSV).
        "expected_impact": "string", "sdgs": "string", "target_groups": "string", "deadline": "date",
        "deadline_raw": "string", "char_start": "Int", "char_end": "Int"}),
    "challenge_sdgs": (("document_id", "sdg"), {
        "document_id": "string", "city_id": "string", "sdg": "Int", "name": "string", "raw": "string",
        "char_start": "Int", "char_end": "Int"}),
    # Added with the columns the themes, events and partners issue names.
    "themes": (("city_id", "document_id", "section", "position", "theme", "char_start"), {
        "city_id": "string", "section": "string", "position": "Int", "theme": "string", "rule": "string",
        "char_start": "Int", "char_end": "Int"}),
    "events": (("city_id", "document_id", "year", "char_start"), {
        "city_id": "string", "year": "Int", "month": "Int", "text": "string", "char_start": "Int", "char_end": "Int"}),
    "partners": (("city_id", "partner_city_id"), {
        "city_id": "string", "partner_city_id": "string", "score": "float", "shared_themes": "string"}),
}
CONTRACT_COLUMNS = [(t, c, ty) for t, (_, cols) in CONTRACT.items() for c, ty in cols.items()]
ALL_COLUMNS = [(t, c) for t, spec in TABLES.items() for c in spec.columns]
PANDAS_DTYPES = {"string": "string", "float": "float64", "Int": "Int64", "date": "string"}  # a date's ISO text in frames
FRICTIONLESS_TYPES = {"string": "string", "float": "number", "Int": "integer", "date": "date"}


def good_row(table: str, **values: object) -> dict[str, object]:
    """A row that passes the table's schema: every required column set."""
    fill = {"string": "x", "float": 1.0, "Int": 2000, "date": "2020-01-01"}
    spec = TABLES[table]
    row: dict[str, object] = {c.name: fill[c.type] for c in spec.columns if not c.nullable or c.name in spec.key}
    row.update({"city_id": "villa-maria-arg", "country_code": "ARG", "scope": "city", "group": "all",
                "severity": "info", "email_status": "valid", "position": 1, "level": 1, "portrait_index": 1,
                "char_start": 3, "char_end": 9, "spans": "3:5;7:9", "sdg": 4,
                "basis": "challenges+plan"})
    row = {k: v for k, v in row.items() if k in spec.names}
    row.update(values)
    return row


def test_tables_are_the_contracts_in_its_order() -> None:
    assert list(TABLES) == list(CONTRACT)


@pytest.mark.parametrize(("table", "column", "type_"), CONTRACT_COLUMNS, ids=[f"{t}.{c}" for t, c, _ in CONTRACT_COLUMNS])
def test_contract_column_is_in_spec_with_its_type(table: str, column: str, type_: str) -> None:
    spec = {c.name: c for c in TABLES[table].columns}
    assert column in spec
    assert spec[column].type == type_
    assert spec[column].contract


@pytest.mark.parametrize("table", list(CONTRACT))
def test_contract_columns_come_first_and_key_matches(table: str) -> None:
    key, columns = CONTRACT[table]
    spec = TABLES[table]
    assert spec.names[: len(columns)] == tuple(columns)
    assert not any(c.contract for c in spec.columns[len(columns):])
    # One city may have several documents (a brochure portrait and a web
    # profile): every key also holds `document_id`, the contract's key otherwise
    # (but partners, which compare cities across all their documents).
    assert "document_id" in spec.key or table == "partners"
    assert [k for k in spec.key if k != "document_id"] == [k for k in key if k != "document_id"]
    assert len(set(spec.names)) == len(spec.names)


@pytest.mark.parametrize(("table", "column"), ALL_COLUMNS, ids=[f"{t}.{c.name}" for t, c in ALL_COLUMNS])
def test_every_column_is_described(table: str, column: schemas.ColumnSpec) -> None:
    assert column.type in PANDAS_DTYPES
    assert len(column.description) > 15 and column.description.endswith((".", "…"))


@pytest.mark.parametrize("table", list(TABLES))
def test_to_frame_types_orders_and_sorts(table: str) -> None:
    spec = TABLES[table]
    numbers = {c.name for c in spec.columns if c.type != "string"}
    strings = [k for k in spec.key if k != "city_id" and k not in numbers]
    first = good_row(table, **{k: "b" for k in strings}, city_id="b-arg")
    second = good_row(table, **{k: "a" for k in strings}, city_id="a-arg")
    for k in numbers & set(spec.key):
        first[k], second[k] = 2, 1
    frame = to_frame(table, [first, second])
    assert tuple(frame.columns) == spec.names
    assert {c.name: str(frame[c.name].dtype) for c in spec.columns} == {
        c.name: PANDAS_DTYPES[c.type] for c in spec.columns}
    assert list(frame.index) == [0, 1]
    assert frame.loc[0, "city_id"] == "a-arg"


def test_to_frame_nulls_missing_and_empty_values_and_sorts_nulls_first() -> None:
    rows = [good_row("findings", city_id="b-arg"), good_row("findings", city_id=""), good_row("findings", city_id=None)]
    del rows[2]["field"]
    frame = to_frame("findings", rows)
    assert frame["city_id"].isna().tolist() == [True, True, False]
    assert frame["field"].isna().tolist() == [True, False, False]
    assert frame["value"].isna().all()  # never given


def test_to_frame_sort_is_stable() -> None:
    rows = [good_row("findings", message=m) for m in ("second", "first", "third")]
    assert to_frame("findings", rows)["message"].tolist() == ["second", "first", "third"]


def test_to_frame_of_no_rows_is_typed_and_empty() -> None:
    frame = to_frame("items", [])
    assert frame.empty and tuple(frame.columns) == TABLES["items"].names
    assert str(frame["position"].dtype) == "Int64"
    assert validate_frame("items", frame) == []


def test_to_frame_rejects_an_unknown_column() -> None:
    with pytest.raises(ValueError, match="populaton"):
        to_frame("cities", [good_row("cities", populaton=1.0)])


@pytest.mark.parametrize("table", list(TABLES))
def test_validate_frame_accepts_a_good_frame(table: str) -> None:
    assert validate_frame(table, to_frame(table, [good_row(table)])) == []


@pytest.mark.parametrize("table", list(TABLES))
def test_validate_frame_reports_a_duplicate_key(table: str) -> None:
    frame = to_frame(table, [good_row(table), good_row(table)])
    found = {(f["table"], f["column"], f["check"], f["row"]) for f in validate_frame(table, frame)}
    for column in TABLES[table].key:
        for row in (0, 1):
            assert (table, column, "multiple_fields_uniqueness", row) in found


@pytest.mark.parametrize(("table", "column"), [
    (t, c.name) for t, spec in TABLES.items() for c in spec.columns
    if (c.name == "year" or c.name.endswith("_year") or c.name == "learning_city_award")
    and t != "events"])  # a dated fact of a city's history may be older than 1900
@pytest.mark.parametrize("year", [1899, 2101])
def test_validate_frame_reports_an_out_of_range_year(table: str, column: str, year: int) -> None:
    found = validate_frame(table, to_frame(table, [good_row(table, **{column: year})]))
    assert [(f["column"], f["check"], f["value"]) for f in found] == [(column, "in_range(1900, 2100)", year)]


@pytest.mark.parametrize(("table", "values", "column", "check"), [
    ("findings", {"severity": "fatal"}, "severity", "isin(['error', 'warning', 'info'])"),
    ("contacts", {"email_status": "ok"}, "email_status", "isin(['valid', 'repaired', 'invalid', 'missing'])"),
    ("indicators", {"scope": "region"}, "scope", "isin(['city', 'country'])"),
    ("indicators", {"group": "girls"}, "group", "isin(['all', 'men', 'women'])"),
    ("items", {"position": 0}, "position", "greater_than_or_equal_to(1)"),
    ("quotes", {"char_start": -1}, "char_start", "greater_than_or_equal_to(0)"),
    ("sections", {"char_start": 9, "char_end": 3}, "char_start", "char_start <= char_end"),
    ("cities", {"tagline_char_start": 9, "tagline_char_end": 3}, "tagline_char_end",
     "tagline_char_start <= tagline_char_end"),
    ("indicators", {"value_min": 15000.0, "value_max": 10000.0}, "value_max", "value_min <= value_max"),
    ("cities", {"country_code": "ar"}, "country_code", "str_matches('^(?:[A-Z]{3})$')"),
    ("cities", {"city_id": None}, "city_id", "not_nullable"),
])
def test_validate_frame_reports_a_bad_value(table: str, values: dict[str, object], column: str, check: str) -> None:
    found = validate_frame(table, to_frame(table, [good_row(table, **values)]))
    assert (table, column, check) in {(f["table"], f["column"], f["check"]) for f in found}


def test_validate_frame_reports_a_missing_column_without_raising() -> None:
    frame = to_frame("sections", [good_row("sections")]).drop(columns=["text"])
    found = validate_frame("sections", frame)
    assert ("text", "column_in_dataframe") in {(f["column"], f["check"]) for f in found}


def test_data_dictionary_has_a_subsection_and_a_row_per_column() -> None:
    text = data_dictionary_markdown()
    for name, spec in TABLES.items():
        assert f"\n### {name}\n" in text
        for c in spec.columns:
            assert f"| {c.name}{'' if c.contract else ' +'} | {c.type} | " in text


@pytest.mark.parametrize("table", list(TABLES))
def test_datapackage_lists_every_column_with_its_type(table: str) -> None:
    package = datapackage(list(TABLES))
    assert package["profile"] == "tabular-data-package" and package["name"] == "extract-output"
    resource = {r["name"]: r for r in package["resources"]}[table]
    assert (resource["path"], resource["format"], resource["encoding"]) == (f"{table}.csv", "csv", "utf-8")
    schema = resource["schema"]
    assert [(f["name"], f["type"]) for f in schema["fields"]] == [
        (c.name, FRICTIONLESS_TYPES[c.type]) for c in TABLES[table].columns]
    assert schema["primaryKey"] == list(TABLES[table].key)
    assert schema["missingValues"] == [""]


def _digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())}


def test_write_tables_is_byte_identical_and_formats_numbers(tmp_path: Path) -> None:
    rows = [good_row("cities", population=80006.0, area_km2=268.05, gdp_per_capita_country_usd=7924.7,
                     mean_years_schooling=0.1 + 0.2, intro='A "quote",\nnext line'),
            good_row("cities", city_id="dilijan-arm", population=21705000.0)]
    frames = {"cities": rows_to_table("cities", rows), "findings": rows_to_table("findings", [good_row("findings")])}
    out = tmp_path / "output"
    write_tables(frames, out)
    first = _digests(out)
    write_tables(frames, out)
    assert _digests(out) == first
    assert sorted(first) == ["cities.csv", "cities.parquet", "datapackage.json", "extract.db", "findings.csv",
                             "findings.parquet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]  # no temporary directory left
    raw = (out / "cities.csv").read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n")
    lines = raw.decode("utf-8").split("\n")
    assert lines[0] == ",".join(TABLES["cities"].names)
    header = lines[0].split(",")
    dilijan = dict(zip(header, lines[1].split(",")))
    assert (dilijan["population"], dilijan["area_km2"], dilijan["tagline"]) == ("21705000", "", "")
    villa = dict(zip(header, lines[2].split(",")))
    assert (villa["population"], villa["area_km2"], villa["gdp_per_capita_country_usd"]) == ("80006", "268.05", "7924.7")
    assert villa["mean_years_schooling"] == "0.3"
    assert '"A ""quote"",\nnext line"' in raw.decode("utf-8")
    package = json.loads((out / "datapackage.json").read_text("utf-8"))
    assert [r["name"] for r in package["resources"]] == ["cities", "findings"]
    parquet = pd.read_parquet(out / "cities.parquet")
    assert parquet["population"].tolist() == [21705000.0, 80006.0]
    assert str(parquet["population_year"].dtype) == "Int64"


def test_write_tables_removes_only_our_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "quotes.csv").write_text("stale\n")
    (out / "notes.txt").write_text("keep\n")
    write_tables({"findings": rows_to_table("findings", [])}, out)
    assert sorted(p.name for p in out.iterdir()) == ["datapackage.json", "extract.db", "findings.csv", "findings.parquet",
                                                      "notes.txt"]
    assert (out / "findings.csv").read_text("utf-8") == ",".join(TABLES["findings"].names) + "\n"


def test_write_tables_rejects_a_table_not_built_from_the_spec(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="sections"):
        write_tables({"sections": pa.table({"city_id": ["a-arg"]})}, tmp_path / "output")
    assert not (tmp_path / "output").exists() or not any((tmp_path / "output").iterdir())


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e14, max_value=1e14))
def test_csv_float_reads_back_to_fifteen_digits(x: float) -> None:
    from extract.tables.write import _format_float

    text = _format_float(x)
    assert not text.endswith(".0")
    assert "e" not in text or abs(x) < 1e-4
    assert float(text) == pytest.approx(x, rel=1e-14, abs=1e-300)
