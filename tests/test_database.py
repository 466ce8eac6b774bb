"""``output/extract.db``: every table in SQLite, with foreign keys that hold,
indexes on the keys, full-text search and the views of the README's questions;
written in the same swap as the other files, a chunk at a time as they are, and
the same from the Parquet files' tables as from the run's chunks."""
from __future__ import annotations

import sqlite3

import pyarrow.parquet as pq
import pytest

from extract.tables.arrow import rows_to_table
from extract.tables.database import tables_to_database
from extract.tables.schemas import TABLES
from extract.tables.write import write_tables


@pytest.fixture(scope="module")
def db(raw_out):
    conn = sqlite3.connect(f"file:{raw_out / 'extract.db'}?mode=ro", uri=True)
    yield conn
    conn.close()


def _columns(db, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info([{table}])")]


@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_with_its_rows_and_columns(db, raw_out, table):
    parquet = pq.read_table(raw_out / f"{table}.parquet")
    assert _columns(db, table) == parquet.column_names
    assert db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0] == parquet.num_rows


def test_foreign_keys_hold(db):
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.parametrize("table", [t for t in TABLES if t != "findings"])
def test_every_id_column_is_a_foreign_key(db, table):
    keys = {(r[3], r[2], r[4]) for r in db.execute(f"PRAGMA foreign_key_list([{table}])")}
    wanted = {(c, "city_index", "city_id") for c in ("city_id", "partner_city_id") if c in _columns(db, table)}
    wanted |= {("document_id", "documents", "document_id")} if "document_id" in _columns(db, table) else set()
    assert keys == wanted


def test_city_index_has_one_row_per_city_with_its_name(db):
    cities = db.execute("SELECT count(DISTINCT city_id) FROM cities").fetchone()[0]
    rows = db.execute("SELECT city_id, city, portraits FROM city_index").fetchall()
    assert len(rows) == cities and all(city and portraits >= 1 for _, city, portraits in rows)
    assert sum(n for _, _, n in rows) == db.execute("SELECT count(*) FROM cities").fetchone()[0]
    assert ("kaunas-ltu", "Kaunas", 2) in rows  # a brochure portrait and a web profile


@pytest.mark.parametrize("table", list(TABLES))
def test_an_index_on_the_key(db, table):
    indexes = {r[1]: [c[2] for c in db.execute(f"PRAGMA index_info([{r[1]}])")]
               for r in db.execute(f"PRAGMA index_list([{table}])")}
    assert list(TABLES[table].key) in indexes.values()
    if "city_id" in _columns(db, table) and table != "findings":
        assert any(cols[0] == "city_id" for cols in indexes.values())


@pytest.mark.parametrize("table, word", [("sections", "literacy"), ("items", "literacy"), ("quotes", "learning"),
                                         ("challenges", "networks")])
def test_full_text_search(db, table, word):
    found = db.execute(f"SELECT t.rowid FROM [{table}_fts] f JOIN [{table}] t ON t.rowid = f.rowid "
                       f"WHERE [{table}_fts] MATCH ?", (word,)).fetchall()
    assert found


def test_themes_by_city_answers_which_cities_work_on_a_theme(db):
    rows = db.execute("SELECT city, passages, example FROM themes_by_city WHERE theme = 'inclusive_learning'").fetchall()
    assert len(rows) >= 10 and all(n >= 1 and example for _, n, example in rows)
    assert [n for _, n, _ in rows] == sorted((n for _, n, _ in rows), reverse=True)


def test_partner_evidence_gives_a_passage_of_each_city_per_shared_theme(db):
    rows = db.execute("SELECT rank, partner, theme, city_passage, partner_passage, basis FROM partner_evidence "
                      "WHERE city_id = 'kaunas-ltu' ORDER BY rank, theme_position").fetchall()
    partners = db.execute("SELECT partner_city_id, shared_themes FROM partners WHERE city_id = 'kaunas-ltu'").fetchall()
    assert {r[0] for r in rows} == set(range(1, len(partners) + 1))
    shared = sum(len(s.split(";")) for _, s in partners if s)
    assert sum(1 for r in rows if r[2]) == shared
    assert all(r[3] and r[4] for r in rows if r[2])


def test_a_passage_is_the_list_entry_or_the_sentence_naming_the_theme(db):
    for matched, passage, position in db.execute("SELECT matched, passage, position FROM theme_passages"):
        assert " ".join(matched.split()).lower() in passage.lower()
        if position is None:
            assert len(passage) < 1200, passage


def test_timeline_is_in_date_order_with_city_names(db):
    rows = db.execute("SELECT year, month, city FROM timeline").fetchall()
    events = db.execute("SELECT count(*) FROM events").fetchone()[0]
    assert len(rows) == events and all(city for _, _, city in rows)
    assert [r[:2] for r in rows] == sorted((r[:2] for r in rows), key=lambda ym: (ym[0], ym[1] or 0))


def test_the_parquet_tables_give_the_same_database_as_the_runs_chunks(raw_out, tmp_path):
    arrow = {t: pq.read_table(raw_out / f"{t}.parquet") for t in TABLES}
    tables_to_database(arrow, tmp_path / "arrow.db")
    assert (tmp_path / "arrow.db").read_bytes() == (raw_out / "extract.db").read_bytes()


def test_written_in_the_swap_with_a_subset_of_tables(tmp_path):
    out = tmp_path / "out"
    write_tables({"cities": rows_to_table("cities", [{"city_id": "alpha-arg", "city": "Alpha", "document_id": "a.txt"}]),
                  "findings": rows_to_table("findings", [])}, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["cities.csv", "cities.parquet", "findings.csv", "findings.parquet", "datapackage.json", "extract.db"])
    conn = sqlite3.connect(out / "extract.db")
    assert conn.execute("SELECT city_id, city FROM city_index").fetchall() == [("alpha-arg", "Alpha")]
    assert conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall() == []
    conn.close()


def test_the_sentence_of_a_passage_is_the_one_holding_the_words() -> None:
    """``_sentence`` (a text folded once, sentence ends found by bisection)
    gives what the plain reading of its docstring gives, on tricky texts."""
    import random
    import re

    from extract.tables.database_views import _sentence

    end = re.compile(r"[.!?](?=\s|$)")

    def plain(text: str, words: str) -> str:
        flat, words = " ".join(text.split()), " ".join(words.split())
        at = flat.lower().find(words.lower())
        if at < 0:
            return flat
        ends = [m.end() for m in end.finditer(flat)]
        start = max([e for e in ends if e <= at] or [0])
        stop = min([e for e in ends if e >= at + len(words)] or [len(flat)])
        return flat[start:stop].strip()

    pieces = list("ab .!?\n\tİIı") + ["x. ", "A!", " "]
    rng = random.Random(5)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        words = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
        assert _sentence(text, words) == plain(text, words), (text, words)


def test_a_null_is_bound_as_a_nan_and_stored_as_null() -> None:
    """``database.NULL``, a NaN (the sqlite3 module binds a float at once, where
    it first looks for an adapter of None), is stored as NULL whatever the column's type."""
    from extract.tables.database import NULL

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a TEXT, b INTEGER, c REAL)")
    conn.execute("INSERT INTO t VALUES (?, ?, ?)", (NULL, NULL, NULL))
    assert conn.execute("SELECT typeof(a), typeof(b), typeof(c) FROM t").fetchall() == [("null", "null", "null")]
    conn.close()


@pytest.mark.parametrize("rows", [0, 1, 99, 100, 257])
def test_rows_are_inserted_in_their_order_several_a_statement(tmp_path, rows) -> None:
    """Rows go in up to ``STATEMENT_ROWS`` an ``INSERT`` (the rest in one more),
    in their order, each value as given, a null as NULL."""
    data = [{"city_id": f"c{i:03d}-arg", "document_id": "a.txt", "city": None if i % 3 else f"C{i}",
             "portrait_index": None if i % 4 == 1 else i + 1, "population": None if i % 5 == 2 else i / 7}
            for i in range(rows)]
    tables_to_database({"cities": rows_to_table("cities", data)}, tmp_path / "x.db")
    conn = sqlite3.connect(tmp_path / "x.db")
    got = conn.execute("SELECT city_id, document_id, city, portrait_index, population FROM cities ORDER BY rowid")
    assert [tuple(r) for r in got] == [tuple(d.values()) for d in data]
    conn.close()
