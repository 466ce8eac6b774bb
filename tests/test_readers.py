"""Types that survive every reader: the README's read options for pandas,
pyarrow, polars and DuckDB give, for every CSV, the values and types of the
Parquet file, cell by cell; dates are dates; the data package declares foreign
keys, license and version, and ``frictionless validate`` passes;
``extract.load`` returns the typed tables."""
from __future__ import annotations

import json
import math
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import extract
from conftest import ROOT
from extract.tables.schemas import TABLES

READERS = ("pandas", "pyarrow", "polars", "duckdb")


@pytest.fixture(scope="module")
def readme_readers() -> dict:
    """The functions of the README's "Reading the CSVs" code block, run as printed."""
    pytest.importorskip("polars")
    pytest.importorskip("duckdb")
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("### Reading the CSVs", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(code, "README.md: Reading the CSVs", "exec"), namespace)
    return namespace


def _to_arrow(reader: str, result) -> pa.Table:
    if reader == "pandas":
        result = pa.Table.from_pandas(result, preserve_index=False)
    elif reader == "polars":
        result = result.to_arrow()
    elif reader == "duckdb":
        result = result.to_arrow_table() if hasattr(result, "to_arrow_table") else result.arrow()
    text = (pa.types.is_large_string, pa.types.is_string_view)
    return pa.table({n: c.cast(pa.string()) if any(is_(c.type) for is_ in text) else c
                     for n, c in zip(result.column_names, result.columns)})


def _same(a, b) -> bool:
    """Equal cells; floats the CSV printed with 15 significant digits within 1e-14."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-14) or (math.isnan(a) and math.isnan(b))
    return a == b and type(a) is type(b)


@pytest.mark.parametrize("table", list(TABLES))
@pytest.mark.parametrize("reader", READERS)
def test_csv_read_with_the_readme_options_equals_the_parquet(readme_readers, raw_out, reader, table):
    got = _to_arrow(reader, readme_readers[f"read_{reader}"](str(raw_out), table))
    want = pq.read_table(raw_out / f"{table}.parquet")
    assert got.column_names == want.column_names
    assert [str(t) for t in got.schema.types] == [str(t) for t in want.schema.types]
    differing = [(name, row, a, b) for name in want.column_names
                 for row, (a, b) in enumerate(zip(got.column(name).to_pylist(), want.column(name).to_pylist()))
                 if not _same(a, b)]
    assert differing == []
    assert got.num_rows == want.num_rows


def test_the_tables_hold_what_readers_used_to_mistype(raw_out):
    """What went wrong before: an `n/a` raw value, a nullable year, a range past row 100, a date and its raw text."""
    indicators = pq.read_table(raw_out / "indicators.parquet").to_pylist()
    assert any(r["raw"] == "n/a" for r in indicators)
    assert any(r["value_min"] is not None for r in indicators[100:])
    cities = pq.read_table(raw_out / "cities.parquet")
    assert cities.schema.field("population_year").type == pa.int64() and cities.column("population_year").null_count


def test_dates_are_dates_and_raw_text_stays_text(raw_out):
    challenges = pq.read_table(raw_out / "challenges.parquet")
    assert challenges.schema.field("deadline").type == pa.date32()
    assert challenges.schema.field("deadline_raw").type == pa.string()
    assert str(challenges.column("deadline")[0]) == challenges.column("deadline_raw")[0].as_py() == "2020-12-31"
    package = json.loads((raw_out / "datapackage.json").read_text(encoding="utf-8"))
    fields = {r["name"]: {f["name"]: f["type"] for f in r["schema"]["fields"]} for r in package["resources"]}
    assert fields["challenges"]["deadline"] == "date" and fields["challenges"]["deadline_raw"] == "string"
    assert all(t == "string" for r in fields.values() for name, t in r.items() if name.endswith("_raw"))


def test_joined_gnlc_keeps_its_text_and_gains_year_and_month(raw_out):
    rows = pq.read_table(raw_out / "cities.parquet", columns=["joined_gnlc", "joined_year", "joined_month"]).to_pylist()
    joined = [r for r in rows if r["joined_gnlc"]]
    assert joined
    for r in rows:
        year, _, month = (r["joined_gnlc"] or "").partition("-")
        assert (r["joined_year"], r["joined_month"]) == (int(year) if year else None, int(month) if month else None)


def test_datapackage_declares_foreign_keys_license_and_version(raw_out):
    package = json.loads((raw_out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == extract.__version__
    assert package["licenses"][0]["name"] == "MIT"
    keys = {r["name"]: r["schema"].get("foreignKeys", []) for r in package["resources"]}
    portrait = {"fields": ["city_id", "document_id"], "reference": {"resource": "cities", "fields": ["city_id", "document_id"]}}
    for table in ("indicators", "sections", "contacts", "quotes", "themes", "events"):
        assert keys[table] == [portrait], table
    assert [k["fields"] for k in keys["partners"]] == [["city_id"], ["partner_city_id"]]
    assert keys["challenge_sdgs"] == [{"fields": ["document_id"], "reference": {"resource": "challenges",
                                                                               "fields": ["document_id"]}}]


def test_frictionless_validate_passes_with_the_foreign_keys(raw_out):
    pytest.importorskip("frictionless")
    done = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json",
                           str(raw_out / "datapackage.json")], capture_output=True, text=True, timeout=300)
    report = json.loads(done.stdout)
    assert report["valid"], [(t["name"], e["type"], e["message"]) for t in report["tasks"] for e in t["errors"]]
    assert len(report["tasks"]) == len(TABLES)


def test_frictionless_sees_a_broken_foreign_key(raw_out, tmp_path):
    """The check above is not vacuous: a partner that is no city fails it."""
    pytest.importorskip("frictionless")
    for path in raw_out.glob("*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "datapackage.json").write_bytes((raw_out / "datapackage.json").read_bytes())
    lines = (tmp_path / "partners.csv").read_text(encoding="utf-8").split("\n")
    first = lines[1].split(",")
    lines[1] = ",".join([first[0], "nowhere-xxx", *first[2:]])
    (tmp_path / "partners.csv").write_text("\n".join(lines), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", str(tmp_path / "datapackage.json")],
                          capture_output=True, text=True, timeout=300)
    errors = [e["type"] for t in json.loads(done.stdout)["tasks"] for e in t["errors"]]
    assert errors == ["foreign-key"]


def test_load_returns_typed_pandas_frames(raw_out):
    tables = extract.load(raw_out)
    assert list(tables) == list(TABLES)
    cities = tables["cities"]
    assert str(cities["population_year"].dtype) == "Int64" and str(cities["city"].dtype) == "string"
    assert str(tables["challenges"]["deadline"].dtype) == "date32[day][pyarrow]"
    assert (tables["indicators"]["raw"] == "n/a").any()


def test_load_arrow_equals_the_parquet_and_reads_a_csv_only_folder(raw_out, tmp_path):
    arrow = extract.load(raw_out, ["challenges", "indicators"], arrow=True)
    for name, table in arrow.items():
        assert table.equals(pq.read_table(raw_out / f"{name}.parquet"))
        (tmp_path / f"{name}.csv").write_bytes((raw_out / f"{name}.csv").read_bytes())
    from_csv = extract.load(tmp_path, arrow=True)
    assert list(from_csv) == ["indicators", "challenges"]
    for name, table in from_csv.items():
        assert table.schema.types == arrow[name].schema.types
        assert table.to_pylist() == arrow[name].to_pylist()


def test_importing_extract_does_not_import_pandas():
    done = subprocess.run([sys.executable, "-c", "import sys, extract; print('pandas' in sys.modules, 'pyarrow' in sys.modules)"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
