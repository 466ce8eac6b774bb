"""The tables in Arrow (``tables.arrow``, ``checks``, ``spill``, ``stream``)
held to what the pandas frames and pandera checks made of the same rows
(``tables.frames``, the reference), and the summaries kept across documents."""
from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extract.enrich.partners import (
    Evidence,
    evidence_to_partners,
    partners_to_findings,
    profiles_to_findings,
    rows_to_evidence,
    themes_to_partners,
)
from extract.rules import load_rules
from extract.tables.arrays import iso_date
from extract.tables.arrow import arrow_schema, rows_to_batch, rows_to_table, to_output
from extract.tables.checks import sort_failures
from extract.tables.frames import to_frame, validate_frame
from extract.tables.schemas import TABLES
from extract.tables.spill import TableSpill
from extract.tables.stream import TableStream, unique_findings
from extract.tables.validate import MAX_FIGURES, Figure, figures_to_findings
from extract.tables.write import _format_float, write_tables
from test_schemas import good_row

BAD = [  # table, values of one row (besides a good row's) that break its schema
    ("findings", {"severity": "fatal"}), ("contacts", {"email_status": "ok"}), ("indicators", {"scope": "region"}),
    ("indicators", {"group": "girls", "year": 1850}), ("items", {"position": 0}), ("quotes", {"char_start": -1}),
    ("sections", {"char_start": 9, "char_end": 3}), ("cities", {"tagline_char_start": 9, "tagline_char_end": 3}),
    ("indicators", {"value_min": 15000.0, "value_max": 10000.0}), ("cities", {"country_code": "ar"}),
    ("cities", {"city_id": None, "joined_gnlc": "2015-13", "population_year": 2101}),
    ("challenge_sdgs", {"sdg": 18}), ("partners", {"score": 2.0}), ("themes", {"position": 0}),
    ("findings", {"city_id": "Not A Slug"}), ("quotes", {"spans": "3:5;"}), ("events", {"month": 13}),
    ("challenges", {"deadline": "2021-02-30"}), ("challenges", {"deadline": "30 June 2021"}),
    ("cities", {"joined_year": 1850, "joined_month": 0}),
]


def pandera_cases(table: str, rows: list[dict]) -> list[tuple]:
    """What the run made of the rows before: pandera's failures on the sorted frame."""
    frame = to_frame(table, rows)
    out = []
    for f in validate_frame(table, frame):
        doc = frame.loc[f["row"]].get("document_id")
        out.append((f["column"], f["check"], str(f["value"]), f["row"], "" if pd.isna(doc) else doc))
    return out


def arrow_cases(table: str, rows: list[dict], folder: Path, chunk_bytes: int = 1 << 20) -> list[tuple]:
    spill = TableSpill(table, folder, chunk_bytes)
    for part in (rows[:1], rows[1:]):
        spill.append(rows_to_batch(table, part))
    found = [(f.column, f.check, str(f.value), f.row, f.document_id) for f in sort_failures(spill.sort())]
    spill.discard()
    return found


@pytest.mark.parametrize(("table", "values"), BAD, ids=[f"{t}-{'-'.join(v)}" for t, v in BAD])
def test_arrow_checks_find_what_pandera_found(table: str, values: dict, tmp_path: Path) -> None:
    rows = [good_row(table, document_id="b.txt"), good_row(table, **values), good_row(table, document_id="a.txt")]
    rows = [{k: v for k, v in r.items() if k in TABLES[table].names} for r in rows]
    assert arrow_cases(table, rows, tmp_path) == pandera_cases(table, rows)
    assert pandera_cases(table, rows)  # each case breaks something


@pytest.mark.parametrize("table", [t for t in TABLES if t != "findings"])
def test_arrow_checks_find_the_duplicate_keys_pandera_found(table: str, tmp_path: Path) -> None:
    rows = [good_row(table), good_row(table, city_id="b-arg"), good_row(table), good_row(table, city_id=None),
            good_row(table, city_id=None), good_row(table, position=None), good_row(table, position=None)]
    rows = [{k: v for k, v in r.items() if k in TABLES[table].names} for r in rows]
    assert arrow_cases(table, rows, tmp_path) == pandera_cases(table, rows)


@pytest.mark.parametrize("table", list(TABLES))
def test_rows_to_table_is_the_frame_pandas_made(table: str) -> None:
    rng = random.Random(table)
    rows = [good_row(table, city_id=rng.choice(["a-arg", "b-arg", None, ""]), position=rng.choice([1, 2, None]),
                     document_id=rng.choice(["a.txt", "b.txt"]), char_start=rng.choice([1, 2, None]))
            for _ in range(40)]
    rows = [{k: v for k, v in r.items() if k in TABLES[table].names} for r in rows]
    if "deadline" in TABLES[table].names:
        for r in rows:
            r["deadline"] = rng.choice(["2021-06-30", "2021-02-30", "30 June 2021", None])
    frame = to_frame(table, rows)
    got = rows_to_table(table, rows)
    carried = pa.Table.from_pandas(frame, preserve_index=False)
    assert got.to_pylist() == carried.to_pylist()  # a date as its text, as the CSV has it
    # and as the Parquet file had it: the date column's text a date (None where it names none)
    dates = {c.name: pd.Series([iso_date(v) for v in frame[c.name]], index=frame.index, dtype=object)
             for c in TABLES[table].columns if c.type == "date"}
    expected = pa.Table.from_pandas(frame.assign(**dates), schema=arrow_schema(table), preserve_index=False)
    assert to_output(table, got).equals(expected)
    assert arrow_schema(table).equals(expected.schema, check_metadata=True)


def test_a_number_in_a_text_column_and_a_nan_are_read_as_pandas_read_them() -> None:
    batch = rows_to_batch("indicators", [good_row("indicators", raw=5, value=float("nan"), year=2015.0)])
    assert batch.column("raw").to_pylist() == ["5"]
    assert batch.column("value").to_pylist() == [None] and batch.column("year").to_pylist() == [2015]


@pytest.mark.parametrize("chunk_bytes", [1, 300, 1 << 20])
def test_a_spilled_table_comes_back_in_key_order_in_chunks(chunk_bytes: int, tmp_path: Path) -> None:
    rng = random.Random(chunk_bytes)
    rows = [good_row("items", city_id=rng.choice(["a-arg", "b-arg", "c-arg"]), section=rng.choice(["plan", "vision"]),
                     position=rng.randint(1, 5), text=f"entry {i}") for i in range(200)]
    spill = TableSpill("items", tmp_path, chunk_bytes)
    for start in range(0, len(rows), 17):
        spill.append(rows_to_batch("items", rows[start:start + 17]))
    spill.sort()
    chunks = list(spill.chunks())
    assert (len(chunks) > 1) == (chunk_bytes < 1 << 20)
    assert pa.concat_tables(chunks).equals(rows_to_table("items", rows))  # stable: ties keep their order
    assert not list(spill.folder.iterdir())  # spill files removed as read


def _old_unique(rows: list[dict]) -> list[dict]:
    """``run._unique_findings`` as it was."""
    seen: dict[tuple, int] = {}
    out = []
    for r in rows:
        key = (r["document_id"], r["city_id"], r["code"], r["field"])
        n = seen.get(key, 0)
        seen[key] = n + 1
        out.append(dict(r, field=f"{r['field']}#{n + 1}") if n else r)
    return out


def test_unique_findings_numbers_repeated_keys_as_before() -> None:
    rng = random.Random(0)
    rows = [good_row("findings", document_id=rng.choice("ab"), city_id=rng.choice(["", "x-arg", "y-arg"]),
                     code=rng.choice(["c1", "c2"]), field=rng.choice(["", "f", "f#2", "g"]), message=f"m{i}")
            for i in range(300)]
    expected = to_frame("findings", _old_unique(rows))
    got = unique_findings(pa.Table.from_batches([rows_to_batch("findings", rows)]))
    assert got.equals(pa.Table.from_pandas(expected, schema=got.schema, preserve_index=False))


TRICKY = ['plain', 'a "quote", and a comma', 'two\nlines', 'carriage\rreturn', '', None, ' spaces ', 'ünïcödé ‘’',
          '#', '"', 'x,y']


def test_csv_is_written_as_pandas_wrote_it(tmp_path: Path) -> None:
    rows = [good_row("cities", city_id=f"c{i}-arg", tagline=t, intro=TRICKY[-1 - i % len(TRICKY)],
                     population=[80006.0, 268.05, 0.1 + 0.2, None, 1e20, -0.0, 21705000.0, 1 / 3][i % 8],
                     population_year=[2015, None][i % 2])
            for i, t in enumerate(TRICKY * 2)]
    write_tables({"cities": rows_to_table("cities", rows)}, tmp_path / "out")
    frame = to_frame("cities", rows)
    text = frame.copy()
    for c in TABLES["cities"].columns:
        if c.type == "float":
            text[c.name] = [_format_float(None if x != x else x) for x in frame[c.name].to_numpy(dtype="float64",
                                                                                                  na_value=float("nan"))]
    expected = text.to_csv(index=False, na_rep="", lineterminator="\n")
    assert (tmp_path / "out" / "cities.csv").read_bytes() == expected.encode("utf-8")


def test_a_big_table_is_written_a_row_group_per_chunk(tmp_path: Path) -> None:
    rows = [good_row("sections", city_id=f"c{i % 7}-arg", section=f"s{i}", text="x" * 50) for i in range(300)]
    stream = TableStream(tmp_path, chunk_bytes=4000)
    stream.add({"sections": rows_to_batch("sections", rows)})
    stream.finish(load_rules().findings)
    write_tables(stream.tables(), tmp_path / "out")
    assert pq.ParquetFile(tmp_path / "out" / "sections.parquet").num_row_groups > 1
    assert pq.read_table(tmp_path / "out" / "sections.parquet").equals(
        rows_to_table("sections", rows).cast(arrow_schema("sections")))
    whole = {t: rows_to_table(t, rows if t == "sections" else []) for t in TABLES}
    write_tables(whole, tmp_path / "one")
    assert (tmp_path / "out" / "sections.csv").read_bytes() == (tmp_path / "one" / "sections.csv").read_bytes()
    # the database does not depend on how the rows were cut into chunks
    assert (tmp_path / "out" / "extract.db").read_bytes() == (tmp_path / "one" / "extract.db").read_bytes()


def _figure(value: float, year: int | None, city: str, doc: str = "d.txt") -> Figure:
    return Figure("HND", "Honduras", value, year, city, doc, f"{city.lower()}-hnd")


def test_country_figures_message_as_before_when_each_figure_has_one_printer() -> None:
    rules = load_rules()
    found = figures_to_findings([_figure(2495.6, 2016, "Marcovia"), _figure(49147, None, "Cantarranas"),
                                 _figure(2500, 2016, "Other")], rules.validation, rules.findings)
    assert [f.message for f in found] == [
        "Honduras's GDP per capita is 2,495.6 (2016) here but 49,147 (year n/a) in Cantarranas.",
        "Honduras's GDP per capita is 49,147 (year n/a) here but 2,495.6 (2016) in Marcovia; "
        "2,500 (2016) in Other.",
        "Honduras's GDP per capita is 2,500 (2016) here but 49,147 (year n/a) in Cantarranas."]


def test_country_figures_name_each_clashing_figure_once() -> None:
    rules = load_rules()
    figures = [_figure(2495.6, 2016, "Marcovia", f"{i}.txt") for i in range(500)]
    figures += [_figure(49147, None, "Cantarranas", f"{i}.txt") for i in range(3)]
    figures += [_figure(10.0 ** k, None, f"City{k}") for k in range(8, 16)]
    found = {(f.document_id, f.city_id): f.message for f in figures_to_findings(figures, rules.validation,
                                                                             rules.findings)}
    assert found[("0.txt", "cantarranas-hnd")] == (
        "Honduras's GDP per capita is 49,147 (year n/a) here but 2,495.6 (2016) in Marcovia and 499 other "
        "portraits; 1e+08 (year n/a) in City8; 1e+09 (year n/a) in City9; 1e+10 (year n/a) in City10; "
        f"1e+11 (year n/a) in City11; and {8 + 1 - MAX_FIGURES} more figures.")
    assert max(map(len, found.values())) < 400


def test_partners_from_evidence_kept_a_document_at_a_time_are_the_partners_of_all_rows() -> None:
    """Every tier (challenges and plan, all sections, profile) and ``partners_few``
    from per-city summaries added up a document at a time, in any order."""
    rng = random.Random(1)
    cities = ["a-arg", "b-arg", "c-arg", "d-arg", "e-arg", "f-arg", "g-arg"]
    themes = [{"city_id": rng.choice(cities[:4]), "document_id": rng.choice("xyz"),
               "theme": rng.choice(["t1", "t2", "t3", "t4"]), "section": rng.choice(["plan", "challenges", "vision"]),
               "position": rng.choice([None, 1, 2, 3])} for _ in range(60)]
    themes += [{"city_id": "e-arg", "document_id": d, "theme": t, "section": "vision", "position": None}
               for d, t in (("y", "t1"), ("z", "t2"), ("z", "t1"))]  # filled from all sections
    rows = [{"city_id": c, "document_id": d, "population": rng.choice([None, 0, -5, 1e4, 2e5, 3e6]),
             "gdp_per_capita_city_usd": rng.choice([None, 900.0, 25000.0, float("inf")]),
             "gdp_per_capita_country_usd": rng.choice([None, 1200.0, 40000.0])}
            for c in cities for d in rng.sample("xyz", rng.randint(1, 3))]
    catalogue = load_rules().findings
    partners = themes_to_partners(themes, cities=rows)
    assert {r["basis"] for r in partners} == {"challenges+plan", "all sections", "profile"}
    for order in ("xyz", "zyx", "yxz"):
        total = Evidence()
        for doc in order:
            total.add(rows_to_evidence([t for t in themes if t["document_id"] == doc],
                                       [r for r in rows if r["document_id"] == doc]))
        assert evidence_to_partners(total) == partners
        assert profiles_to_findings(partners[:4], total.cities, catalogue) == partners_to_findings(
            partners[:4], rows, catalogue)


def test_collect_holds_the_tables_run_writes(tmp_path: Path) -> None:
    from conftest import BROCHURE
    from extract.pipeline import collect, run
    rules = load_rules()
    tables, summary = collect([BROCHURE], rules, say=lambda line: None)
    ran = run([BROCHURE], tmp_path / "out", rules, say=lambda line: None)
    assert summary.rows == ran.rows == {t: tables[t].num_rows for t in summary.rows}
    for name, table in tables.items():
        assert pq.read_table(tmp_path / "out" / f"{name}.parquet").equals(table.cast(arrow_schema(name)))
    assert not [p.name for p in tmp_path.iterdir() if p.name != "out"]  # the spill folder is gone


def test_a_run_imports_neither_pandas_nor_pandera(tmp_path: Path) -> None:
    """pyarrow imports pandas when it converts Python values (``tables.arrays`` builds from buffers)."""
    import subprocess
    import sys

    from conftest import BROCHURE
    code = ("import sys; from extract.pipeline import run; from extract.rules import load_rules; "
            f"run([{str(BROCHURE.parent)!r}], {str(tmp_path / 'out')!r}, load_rules(), say=lambda line: None); "
            "print(sorted(m for m in ('pandas', 'pandera') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_arrays_are_built_without_pandas() -> None:
    import numpy as np

    from extract.tables.arrays import floats, from_numpy, ints, scalar, strings, to_numpy
    assert strings(["a", None, 5]).to_pylist() == ["a", None, "5"]
    assert floats([1.5, None, float("nan"), 2]).to_pylist() == [1.5, None, None, 2.0]
    assert ints([2015.0, None, True]).to_pylist() == [2015, None, 1]
    assert to_numpy(from_numpy(np.array([3, 1]))).tolist() == [3, 1]
    mask = pa.compute.equal(ints([1, None, 2]), scalar(1))
    assert to_numpy(mask).tolist() == [True, False, False]
    assert to_numpy(mask.slice(1)).tolist() == [False, False]
