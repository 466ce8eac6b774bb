"""The end-to-end evaluation: the committed output against the gold, and a
tiny output/gold pair whose true and false positives are known by hand."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from conftest import GOLD, ROOT, gold
from extract.errors import UsageError
from extract.qa.evaluate import Counts, evaluate, render_eval, summary_text
from extract.qa.evaluate_cells import soft_form, strict_form
from extract.qa.evaluate_render import miss_lines

ORIGINAL = ("cities", "contacts", "quotes")


def write_csv(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def committed():
    return evaluate(ROOT / "output", GOLD.parent)


def table(evaluation, name):
    return next(t for t in evaluation.tables if t.table == name)


def field(evaluation, name, column):
    return next(f for f in table(evaluation, name).fields if f.field == column)


# score.py counts 582 checks on these three tables (empty gold cells included,
# as hits); here an empty gold cell against an empty output cell counts
# nothing, and every gold row is one (row) true positive:
# cities 25 rows + 297 values, contacts 25 + 125, quotes 15 + 45.
@pytest.mark.parametrize("name,expected", [("cities", 322), ("contacts", 150), ("quotes", 60)])
def test_committed_output_scores_perfectly_on_the_original_gold(committed, name, expected):
    t = table(committed, name)
    assert t.average.micro_strict == Counts(tp=expected)
    assert t.average.micro_soft == Counts(tp=expected)
    assert (t.average.macro_strict, t.average.macro_soft) == (1.0, 1.0)
    assert [m for m in committed.misses if m.table == name] == []


def test_committed_output_counts_rows_of_the_original_gold(committed):
    assert [field(committed, n, "(row)").strict.tp for n in ORIGINAL] == [25, 25, 15]
    assert table(committed, "cities").cities == 25


@pytest.mark.parametrize("name,support", [("sections", 85 * 2), ("items", 114 * 3), ("findings", 22)])
def test_committed_output_is_evaluated_on_the_new_tables(committed, name, support):
    t = table(committed, name)
    assert (t.cities, t.average.support, t.notes) == (17, support, ())


def test_gold_document_names_the_brochure():
    meta = yaml.safe_load((GOLD / "document.yaml").read_text(encoding="utf-8"))
    assert meta["document_id"] == "gnlc-portraits-2016.txt"
    assert set(meta["tables"]) >= {"cities", "contacts", "quotes", "sections", "items", "findings"}


def test_gold_covers_known_cities_and_every_gold_row_is_covered():
    meta = yaml.safe_load((GOLD / "document.yaml").read_text(encoding="utf-8"))
    brochure = {g["city"] for g in gold("cities.csv")} | set(meta["tables"]["sections"]["covers"])
    for name in ("sections", "items", "findings"):
        covers = set(meta["tables"][name]["covers"])
        assert len(covers) >= 10 and covers <= brochure
        assert {g["city"] for g in gold(f"{name}.csv")} <= covers


def test_gold_items_are_the_list_lines_of_the_gold_sections():
    sections = {(g["city"], g["section"]): g["text"] for g in gold("sections.csv")}
    for g in gold("items.csv"):
        lines = sections[(g["city"], g["section"])].split("\n")
        printed = [line for line in lines if line.startswith("- ") and line.endswith(g["text"])]
        assert printed, (g["city"], g["section"], g["position"])
        assert g["marker"] == "-" or f"- {g['marker']} " in printed[0]


# --- a tiny pair whose counts are known ------------------------------------

@pytest.fixture
def pair(tmp_path):
    """An output folder and a gold root with one document, ``d.txt``."""
    out, root = tmp_path / "out", tmp_path / "gold"
    write_csv(out / "cities.csv", [
        {"city_id": "a-x", "city": "Alpha", "document_id": "d.txt", "tagline": "Learning for all", "population": "100"},
        {"city_id": "b-x", "city": "Beta", "document_id": "d.txt", "tagline": "Open doors.", "population": "200"},
        {"city_id": "c-x", "city": "Gamma", "document_id": "d.txt", "tagline": "Not covered", "population": "5"},
        {"city_id": "a-x", "city": "Alpha", "document_id": "e.txt", "tagline": "Other document", "population": "1"},
    ])
    write_csv(out / "items.csv", [
        {"city_id": "a-x", "document_id": "d.txt", "section": "plan", "position": "1", "marker": "-",
         "text": "Build libraries"},
        {"city_id": "a-x", "document_id": "d.txt", "section": "plan", "position": "2", "marker": "-",
         "text": "Train teachers"},
        {"city_id": "a-x", "document_id": "d.txt", "section": "plan", "position": "3", "marker": "-",
         "text": "An extra entry"},
        {"city_id": "c-x", "document_id": "d.txt", "section": "plan", "position": "1", "marker": "-",
         "text": "Not covered"},
    ])
    write_csv(out / "findings.csv", [
        {"document_id": "d.txt", "city_id": "b-x", "table": "contacts", "field": "contact:1",
         "code": "email_repaired", "message": "repaired"},
        {"document_id": "d.txt", "city_id": "b-x", "table": "indicators", "field": "area_km2",
         "code": "implausible_value", "message": "too large"},
        {"document_id": "d.txt", "city_id": "a-x", "table": "items", "field": "plan:3",
         "code": "item_empty", "message": "empty"},
        {"document_id": "d.txt", "city_id": "c-x", "table": "items", "field": "",
         "code": "item_empty", "message": "not covered"},
    ])
    doc = root / "doc"
    write_csv(doc / "cities.csv", [
        {"city": "Alpha", "tagline": "learning for all", "population": "100.0"},  # strict miss, soft hit
        {"city": "Beta", "tagline": "Open doors", "population": "250"},  # strict miss, soft hit; number wrong
        {"city": "Delta", "tagline": "Gone", "population": "7"},  # no output row
    ])
    write_csv(doc / "items.csv", [
        {"city": "Alpha", "section": "plan", "position": "1", "marker": "-", "text": "Build libraries"},
        {"city": "Alpha", "section": "plan", "position": "2", "marker": "1.", "text": "Train teachers!"},
    ])
    write_csv(doc / "findings.csv", [
        {"city": "Beta", "table": "contacts", "field": "", "code": "email_repaired"},
        {"city": "Beta", "table": "indicators", "field": "population", "code": "implausible_value"},
    ])
    (doc / "document.yaml").write_text(
        "document_id: d.txt\ntables:\n  findings:\n    covers: [Alpha, Beta]\n", encoding="utf-8")
    return out, root


def test_counts_per_field_strict_and_soft(pair):
    e = evaluate(*pair)
    expected = {
        ("cities", "(row)"): (Counts(2, 0, 1), Counts(2, 0, 1)),
        ("cities", "tagline"): (Counts(0, 2, 3), Counts(2, 0, 1)),
        ("cities", "population"): (Counts(1, 1, 2), Counts(1, 1, 2)),
        ("items", "(row)"): (Counts(2, 1, 0), Counts(2, 1, 0)),
        ("items", "marker"): (Counts(1, 2, 1), Counts(1, 2, 1)),
        ("items", "text"): (Counts(1, 2, 1), Counts(2, 1, 0)),
        ("findings", "(row)"): (Counts(1, 2, 1), Counts(1, 2, 1)),
    }
    got = {(f.table, f.field): (f.strict, f.soft) for t in e.tables for f in t.fields}
    assert got == expected
    assert [t.table for t in e.tables] == ["cities", "items", "findings"]
    assert field(e, "cities", "tagline").support == 3


def test_precision_recall_f1_exact(pair):
    e = evaluate(*pair)
    row = field(e, "cities", "(row)").strict
    assert (row.precision, row.recall, row.f1) == pytest.approx((1.0, 2 / 3, 0.8))
    tagline = field(e, "cities", "tagline")
    assert (tagline.strict.precision, tagline.strict.recall, tagline.strict.f1) == (0.0, 0.0, 0.0)
    assert tagline.soft.f1 == pytest.approx(0.8)
    assert field(e, "cities", "population").strict.f1 == pytest.approx(0.4)
    assert field(e, "items", "text").soft.f1 == pytest.approx(0.8)
    assert field(e, "findings", "(row)").strict.f1 == pytest.approx(0.4)


def test_micro_and_macro_averages_exact(pair):
    e = evaluate(*pair)
    cities = table(e, "cities").average
    assert cities.micro_strict == Counts(3, 3, 6) and cities.micro_soft == Counts(5, 1, 4)
    assert cities.micro_strict.f1 == pytest.approx(0.4)
    assert cities.micro_soft.f1 == pytest.approx(2 / 3)
    assert cities.macro_strict == pytest.approx((0.8 + 0.0 + 0.4) / 3)
    assert cities.macro_soft == pytest.approx((0.8 + 0.8 + 0.4) / 3)
    assert table(e, "items").average.micro_strict.f1 == pytest.approx(8 / 15)
    assert e.overall.micro_strict == Counts(8, 10, 9)
    assert e.overall.micro_strict.f1 == pytest.approx(16 / 35)
    assert e.overall.macro_strict == pytest.approx((0.8 + 0.0 + 0.4 + 0.8 + 0.4 + 0.4 + 0.4) / 7)
    assert e.overall.macro_soft == pytest.approx((0.8 + 0.8 + 0.4 + 0.8 + 0.4 + 0.8 + 0.4) / 7)


def test_misses_name_city_key_field_and_matching(pair):
    e = evaluate(*pair)
    misses = {(m.table, m.city, m.key, m.field, m.gold, m.output, m.matching) for m in e.misses}
    assert ("cities", "Alpha", "", "tagline", "learning for all", "Learning for all", "strict") in misses
    assert ("cities", "Beta", "", "population", "250", "200", "soft") in misses
    assert ("cities", "Delta", "", "(row)", "Gone | 7", "", "soft") in misses
    assert ("items", "Alpha", "section=plan, position=2", "marker", "1.", "-", "soft") in misses
    assert ("items", "Alpha", "section=plan, position=3", "(row)", "", "- | An extra entry", "soft") in misses
    assert ("findings", "Alpha", "code=item_empty, table=items, field=plan:3", "(row)", "", "empty", "soft") in misses
    assert not any(m.city in ("Gamma", "c-x") for m in e.misses)  # uncovered cities never count
    assert len(e.misses) == 14


def test_position_defaults_to_rank_within_the_city(tmp_path):
    out, root = tmp_path / "out", tmp_path / "gold"
    write_csv(out / "cities.csv", [{"city_id": "a-x", "city": "Alpha", "document_id": "d.txt"}])
    write_csv(out / "quotes.csv", [
        {"city_id": "a-x", "document_id": "d.txt", "position": "1", "speaker": "Ann Lee"},
        {"city_id": "a-x", "document_id": "d.txt", "position": "2", "speaker": "Bo Kim"},
    ])
    write_csv(root / "doc" / "quotes.csv", [{"city": "alpha", "speaker": "Ann Lee"},
                                            {"city": "Alpha", "speaker": "Bo"}])
    (root / "doc" / "document.yaml").write_text("document_id: d.txt\n", encoding="utf-8")
    e = evaluate(out, root)
    assert field(e, "quotes", "(row)").strict == Counts(2, 0, 0)
    assert field(e, "quotes", "speaker").strict == Counts(1, 1, 1)
    assert [m.key for m in e.misses] == ["position=2"]


def test_document_yaml_keys_another_table_and_a_table_without_key_is_noted(tmp_path):
    out, doc = tmp_path / "out", tmp_path / "gold" / "doc"
    write_csv(out / "cities.csv", [{"city_id": "a-x", "city": "Alpha", "document_id": "d.txt"}])
    write_csv(out / "events.csv", [{"city_id": "a-x", "document_id": "d.txt", "year": "1999", "text": "Launch"},
                                   {"city_id": "a-x", "document_id": "d.txt", "year": "2013", "text": "Conference"}])
    write_csv(doc / "events.csv", [{"city": "Alpha", "year": "2013", "text": "conference"}])
    write_csv(doc / "themes.csv", [{"city": "Alpha", "theme": "equity"}])
    (doc / "document.yaml").write_text("document_id: d.txt\ntables:\n  events:\n    key: [year]\n", encoding="utf-8")
    e = evaluate(out, tmp_path / "gold")
    assert field(e, "events", "(row)").strict == Counts(1, 1, 0)
    assert (field(e, "events", "text").strict, field(e, "events", "text").soft) == (Counts(0, 2, 1), Counts(1, 1, 0))
    assert e.notes == ("doc: no keying for table themes (give one in document.yaml); not evaluated",)


def test_missing_output_file_makes_every_gold_value_a_miss(pair):
    out, root = pair
    (out / "items.csv").unlink()
    e = evaluate(out, root)
    items = table(e, "items")
    assert [(f.field, f.strict) for f in items.fields] == [
        ("(row)", Counts(0, 0, 2)), ("marker", Counts(0, 0, 2)), ("text", Counts(0, 0, 2))]
    assert items.notes == ("output has no items.csv: every gold value is missed",)
    assert "output has no items.csv" in render_eval(e)


def test_missing_gold_table_is_not_evaluated(pair):
    out, root = pair
    (root / "doc" / "items.csv").unlink()
    e = evaluate(out, root)
    assert [t.table for t in e.tables] == ["cities", "findings"]


def test_gold_folder_without_document_yaml_is_skipped_with_a_note(pair, tmp_path):
    out, root = pair
    (root / "loose").mkdir()
    e = evaluate(out, root)
    assert e.documents == ("d.txt",)
    assert e.notes == ("loose: no document.yaml; skipped",)
    with pytest.raises(UsageError):
        evaluate(out, tmp_path / "nowhere")


def test_value_forms():
    assert strict_form(" Open\n  doors ") == "Open doors"
    assert strict_form("Cafe\u0301") == "Café"
    assert soft_form("Open-Doors, Now!") == soft_form("open doors now") == "opendoorsnow"
    assert soft_form("x²") == "x2"


def test_render_eval_puts_the_summary_first_then_tables_and_misses(pair):
    text = render_eval(evaluate(*pair))
    assert text.startswith("# Evaluation against the gold\n")
    summary = text.index("| **overall** |")
    assert summary < text.index("## cities") < text.index("## items") < text.index("## findings")
    assert "| (row) | 1.000 / 0.667 / 0.800 | 1.000 / 0.667 / 0.800 | 2 / 0 / 1 | 3 |" in text
    assert "| Alpha | ∅ | tagline | learning for all | Learning for all | strict |" in text
    assert "| Delta | ∅ | (row) | Gone \\| 7 | ∅ | soft |" in text


def test_render_eval_cuts_long_miss_lists(pair):
    misses = [m for m in evaluate(*pair).misses if m.table == "cities"]
    lines = miss_lines(misses, shown=2)
    assert sum(line.startswith("| Alpha") or line.startswith("| Beta") for line in lines) == 2
    assert lines[-1] == f"… and {len(misses) - 2} more."


def test_summary_text_has_a_line_per_table_and_overall(pair):
    lines = summary_text(evaluate(*pair)).splitlines()
    assert [line.split()[0] for line in lines] == ["cities", "items", "findings", "overall"]
    assert "micro F1 strict 0.400  soft 0.667" in lines[0]
    assert lines[-1].endswith("14 misses")
