"""The comparison of two output folders (``extract.diff``) and its rendering."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import BROCHURE, ROOT
from extract.errors import UsageError
from extract.pipeline import run
from extract.qa.diff import DuplicateKey, baseline_from_git, diff_run, diff_tables
from extract.qa.diff_render import render
from extract.rules import load_rules
from extract.tables.arrow import rows_to_table
from extract.tables.write import write_tables

DOC = "gnlc-portraits-2016.txt"
CITY = {"city_id": "a-city-kor", "city": "A City", "country": "Korea", "country_code": "KOR",
        "document_id": "doc.txt", "source_format": "brochure", "portrait_index": 1,
        "char_start": 0, "char_end": 10, "page": 1, "city_evidence": "e", "format_evidence": "f"}


def write_cities(folder: Path, *rows: dict) -> Path:
    """``rows`` (changes to ``CITY``) written as the ``cities`` table of ``folder``."""
    write_tables({"cities": rows_to_table("cities", [dict(CITY, **r) for r in rows])}, folder)
    return folder


def without_rule(rules_dir: Path, section: str, rule_id: str) -> Path:
    """``rules_dir`` with rule ``rule_id`` taken out of ``indicators.yaml``."""
    path = rules_dir / "indicators.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert any(r["id"] == rule_id for r in data[section])
    data[section] = [r for r in data[section] if r["id"] != rule_id]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return rules_dir


def test_identical_folders_no_change(brochure_out, tmp_path):
    copy = shutil.copytree(brochure_out, tmp_path / "copy")
    diffs = diff_tables(brochure_out, copy)
    assert not diffs.has_changes
    assert diffs.flatten() == [] and diffs.flatten_rows() == []
    assert render(diffs, "text") == "no change\n"
    assert "no change" in render(diffs, "markdown")
    assert "<p>no change</p>" in render(diffs, "html")


@pytest.mark.parametrize("group, column, value", [("women", "mean_years_schooling_women", 10.9),
                                                  ("men", "mean_years_schooling_men", 12.4)])
def test_a_removed_group_label_loses_exactly_its_figure(brochure_out, tmp_path, group, column, value):
    rules_dir = without_rule(Path(shutil.copytree(ROOT / "rules", tmp_path / "rules")), "groups", f"group.{group}")
    run([BROCHURE], tmp_path / "new", load_rules(rules_dir), say=lambda line: None)
    diffs = diff_tables(brochure_out, tmp_path / "new")
    assert diffs.flatten() == [("cities", ("gwanak-gu-kor", DOC), column, value, None)]
    assert diffs.flatten_rows() == [
        ("indicators", "-", ("gwanak-gu-kor", DOC, "mean_years_schooling", "city", group)),
        ("findings", "+", (DOC, "gwanak-gu-kor", "table_row_unparsed", "mean_years_schooling"))]
    text = render(diffs, "text")
    assert f"city_id=gwanak-gu-kor, document_id={DOC} {column}: {value} → ∅" in text
    assert (f"- city_id=gwanak-gu-kor, document_id={DOC}, indicator=mean_years_schooling, scope=city, group={group}"
            in text)


@pytest.mark.parametrize("old, new, changed", [
    ({"area_km2": 2.5}, {"area_km2": 2.5 + 1e-12}, False),
    ({"population": 637187.0}, {"population": 637187.0 * (1 + 1e-12)}, False),
    ({"area_km2": 2.5}, {"area_km2": 3.5}, True),
    ({"area_km2": None}, {"area_km2": None}, False),
    ({"area_km2": None}, {"area_km2": 0.0}, True),
    ({"population_year": 2015}, {"population_year": 2016}, True),
    ({"tagline": "Learning  always\n and\teverywhere "}, {"tagline": "Learning always and everywhere"}, False),
    ({"tagline": "Learning always"}, {"tagline": "Learning Always"}, True),
    ({"tagline": None}, {"tagline": "Learning"}, True),
])
def test_tolerance_and_normalization(tmp_path, old, new, changed):
    diffs = diff_tables(write_cities(tmp_path / "a", old), write_cities(tmp_path / "b", new))
    (column, before), = old.items()
    expected = [("cities", ("a-city-kor", "doc.txt"), column, before, new[column])] if changed else []
    assert diffs.flatten() == expected


def test_tolerances_are_parameters(tmp_path):
    a, b = write_cities(tmp_path / "a", {"area_km2": 100.0}), write_cities(tmp_path / "b", {"area_km2": 100.5})
    assert len(diff_tables(a, b).flatten()) == 1
    assert diff_tables(a, b, rel_tol=0.01).flatten() == []
    assert diff_tables(a, b, abs_tol=1.0).flatten() == []


def test_a_folder_that_does_not_exist_is_a_usage_error(brochure_out, tmp_path):
    with pytest.raises(UsageError, match="is not a folder"):
        diff_tables(tmp_path / "nowhere", brochure_out)


def test_rows_added_and_removed(tmp_path):
    a = write_cities(tmp_path / "a", {}, {"city_id": "b-city-kor"})
    b = write_cities(tmp_path / "b", {}, {"city_id": "c-city-kor"})
    assert diff_tables(a, b).flatten_rows() == [("cities", "+", ("c-city-kor", "doc.txt")),
                                                ("cities", "-", ("b-city-kor", "doc.txt"))]


def test_a_table_missing_on_one_side(brochure_out, tmp_path):
    base = tmp_path / "base"
    base.mkdir()
    shutil.copy(brochure_out / "cities.parquet", base)
    diffs = diff_tables(base, brochure_out)
    contacts = next(t for t in diffs.tables if t.table == "contacts")
    assert contacts.missing_in == "baseline"
    assert len(contacts.added) == len(pd.read_parquet(brochure_out / "contacts.parquet")) and not contacts.removed
    assert not next(t for t in diffs.tables if t.table == "cities").has_changes
    back = diff_tables(brochure_out, base)
    assert next(t for t in back.tables if t.table == "contacts").missing_in == "new"
    assert "table missing in baseline" in render(diffs, "text")


def test_columns_added_and_removed_are_a_schema_change(brochure_out, tmp_path):
    new = shutil.copytree(brochure_out, tmp_path / "new")
    cities = pd.read_parquet(new / "cities.parquet").drop(columns=["tagline"]).assign(note="x")
    cities.to_parquet(new / "cities.parquet")
    diffs = diff_tables(brochure_out, new)
    table = next(t for t in diffs.tables if t.table == "cities")
    assert (table.columns_added, table.columns_removed, table.changed) == (("note",), ("tagline",), ())
    assert diffs.flatten() == []
    text = render(diffs, "text")
    assert "+ column note" in text and "- column tagline" in text


def test_repeated_keys_are_reported_not_fatal(tmp_path):
    a = write_cities(tmp_path / "a", {})
    frame = pd.read_parquet(a / "cities.parquet")
    (tmp_path / "b").mkdir()
    pd.concat([frame, frame.assign(tagline="second")]).to_parquet(tmp_path / "b" / "cities.parquet")
    diffs = diff_tables(a, tmp_path / "b")
    table = diffs.tables[0]
    assert table.duplicates == (DuplicateKey("cities", "new", ("a-city-kor", "doc.txt"), 2),)
    assert table.changed == () and diffs.flatten_rows() == []
    assert "! key city_id=a-city-kor, document_id=doc.txt appears 2 times in new" in render(diffs, "text")


@pytest.fixture
def small_diff(tmp_path):
    a = write_cities(tmp_path / "a", {"tagline": "Safe <b>", "population": 1000.0}, {"city_id": "b-city-kor"})
    b = write_cities(tmp_path / "b", {"tagline": "<script>alert(1)</script>", "population": 1234.5},
                     {"city_id": "c-city-kor"})
    return diff_tables(a, b)


def test_render_text(small_diff):
    text = render(small_diff, "text")
    assert text.splitlines()[:2] == ["cities: 1 row added, 1 row removed, 2 cells changed",
                                     "total: 1 row added, 1 row removed, 2 cells changed; in 1 table"]
    values = ("    city=A City · country=Korea · country_code=KOR · source_format=brochure · portrait_index=1 · "
              "char_start=0 · char_end=10 · page=1 · city_evidence=e · format_evidence=f")
    assert text.splitlines()[3:] == [
        "cities",
        "+ city_id=c-city-kor, document_id=doc.txt", values,
        "- city_id=b-city-kor, document_id=doc.txt", values,
        "city_id=a-city-kor, document_id=doc.txt tagline: Safe <b> → <script>alert(1)</script>",
        "city_id=a-city-kor, document_id=doc.txt population: 1000 → 1234.5"]
    assert render(small_diff) == text


def test_render_markdown(small_diff):
    md = render(small_diff, "markdown")
    assert md.startswith("| table | rows added | rows removed | cells changed |")
    assert "| cities | 1 | 1 | 2 |" in md and "| total | 1 | 1 | 2 |" in md
    assert md.index("| total |") < md.index("### cities")
    assert "city_id=a-city-kor, document_id=doc.txt population: 1000 → 1234.5" in md


def test_render_html_is_escaped_and_self_contained(small_diff):
    page = render(small_diff, "html")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<style>" in page and "http" not in page
    assert page.index("<table>") < page.index("<h2")
    plain = re.sub(r"<[^>]+>", "", page)
    assert "city_id=a-city-kor, document_id=doc.txt population: 1000 → 1234.5" in plain


def test_render_is_deterministic_and_rejects_unknown_formats(small_diff):
    assert all(render(small_diff, f) == render(small_diff, f) for f in ("text", "markdown", "html"))
    with pytest.raises(ValueError):
        render(small_diff, "pdf")


def test_long_text_shows_where_it_first_differs(tmp_path):
    head = "word " * 100
    a = write_cities(tmp_path / "a", {"intro": head + "old ending " + "tail " * 50})
    b = write_cities(tmp_path / "b", {"intro": head + "new ending " + "tail " * 50})
    line = render(diff_tables(a, b), "text").splitlines()[-1]
    old, new = line.split(" intro: ")[1].split(" → ")
    assert old.startswith("…") and old.endswith("…") and "old ending" in old
    assert new.startswith("…") and new.endswith("…") and "new ending" in new
    assert len(old) <= 122 and len(new) <= 122


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, brochure_out):
    """A git repository whose one commit holds an output folder with two tables."""
    repo = tmp_path / "repo"
    (repo / "output").mkdir(parents=True)
    for name in ("cities.parquet", "cities.csv", "findings.parquet", "findings.csv"):
        shutil.copy(brochure_out / name, repo / "output")
    git(repo, "init", "-q")
    git(repo, "add", "output")
    git(repo, "commit", "-q", "-m", "output")
    return repo


def test_baseline_from_git_gives_the_committed_output(repo, tmp_path):
    (repo / "output" / "cities.parquet").write_bytes(b"changed since the commit")
    dest = baseline_from_git(repo, tmp_path / "baseline")
    assert sorted(p.name for p in dest.iterdir()) == ["cities.csv", "cities.parquet", "findings.csv",
                                                      "findings.parquet"]
    git(repo, "checkout", "--", "output")
    assert not diff_tables(dest, repo / "output").has_changes


def test_baseline_from_git_refuses_what_has_no_output(repo, tmp_path):
    with pytest.raises(UsageError, match="not a git repository"):
        baseline_from_git(tmp_path / "nothing", tmp_path / "b1")
    with pytest.raises(UsageError, match="not a commit"):
        baseline_from_git(repo, tmp_path / "b2", rev="no-such-rev")
    with pytest.raises(UsageError, match="no tables in results/"):
        baseline_from_git(repo, tmp_path / "b3", subdir="results")


def test_diff_run_extracts_into_its_own_folder(brochure_out, rules, tmp_path):
    diffs = diff_run([BROCHURE], rules, brochure_out, tmp_path, say=lambda line: None)
    assert not diffs.has_changes
    assert (tmp_path / "new" / "cities.parquet").is_file()


def test_the_diff_command_shows_the_changed_cells_and_fails_on_change(brochure_out, tmp_path, capsys):
    from extract.cli import main
    assert main(["diff", str(BROCHURE), "--baseline", str(brochure_out), "--fail-on-change"]) == 0
    assert capsys.readouterr().out == "no change\n"
    rules_dir = without_rule(Path(shutil.copytree(ROOT / "rules", tmp_path / "rules")), "groups", "group.women")
    assert main(["diff", str(BROCHURE), "--baseline", str(brochure_out), "--rules", str(rules_dir),
                 "--fail-on-change"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:5] == [
        "run: rules changed (rules_sha256 differs)",
        "cities: 0 rows added, 0 rows removed, 1 cell changed",
        "indicators: 0 rows added, 1 row removed, 0 cells changed",
        "findings: 1 row added, 0 rows removed, 0 cells changed",
        "total: 1 row added, 1 row removed, 1 cell changed; in 3 tables"]
    assert f"city_id=gwanak-gu-kor, document_id={DOC} mean_years_schooling_women: 10.9 → ∅" in out
    report = tmp_path / "diff.html"
    assert main(["diff", str(BROCHURE), "--baseline", str(brochure_out), "--rules", str(rules_dir),
                 "--format", "html", "--report", str(report)]) == 0
    assert "10.9</del> → <ins>∅</ins>" in report.read_text(encoding="utf-8")


# Issue 15: each defect of the diff, with the test that failed before its fix.

def test_added_and_removed_rows_are_shown_with_their_values(tmp_path):
    a = write_cities(tmp_path / "a", {"city_id": "b-city-kor", "tagline": "Old town", "population": 12.0})
    b = write_cities(tmp_path / "b", {"city_id": "c-city-kor", "tagline": "New town", "population_year": 2015})
    diffs = diff_tables(a, b)
    table = diffs.tables[0]
    assert dict(table.removed_values[0])["tagline"] == "Old town" and dict(table.added_values[0])["population_year"] == 2015
    text = render(diffs, "text").splitlines()
    assert text[text.index("+ city_id=c-city-kor, document_id=doc.txt") + 1].startswith("    city=A City · ")
    assert "tagline=New town" in text[text.index("+ city_id=c-city-kor, document_id=doc.txt") + 1]
    assert "population=12 " in text[text.index("- city_id=b-city-kor, document_id=doc.txt") + 1] + " "
    assert "tagline=New town" in render(diffs, "markdown")
    plain = re.sub(r"<[^>]+>", "", render(diffs, "html"))
    assert "tagline=Old town" in plain and "population_year=2015" in plain


def test_a_baseline_of_csvs_only_is_read_with_the_dictionarys_types(brochure_out, tmp_path):
    baseline = tmp_path / "csv-only"
    baseline.mkdir()
    for path in brochure_out.glob("*.csv"):
        shutil.copy(path, baseline)
    diffs = diff_tables(baseline, brochure_out)
    assert [t.table for t in diffs.tables if t.reported] == []
    text = baseline / "indicators.csv"
    text.write_text(text.read_text(encoding="utf-8").replace(",n/a,", ",n.a.,", 1), encoding="utf-8")
    changed = diff_tables(baseline, brochure_out).flatten()
    assert [(t, column, old, new) for t, _, column, old, new in changed] == [("indicators", "year_raw", "n.a.", "n/a")]


def test_a_set_in_another_order_is_no_change(brochure_out, tmp_path):
    for side in ("a", "b"):
        shutil.copytree(brochure_out, tmp_path / side)
    partners = pd.read_parquet(tmp_path / "b" / "partners.parquet")
    several = partners["shared_themes"].str.contains(";", na=False)
    assert several.any()
    partners.loc[several, "shared_themes"] = [";".join(reversed(v.split(";"))) for v in partners.loc[several, "shared_themes"]]
    partners.to_parquet(tmp_path / "b" / "partners.parquet")
    assert diff_tables(tmp_path / "a", tmp_path / "b").flatten() == []
    partners.loc[several.idxmax(), "shared_themes"] = "culture_of_learning"  # a different set is still a change
    partners.to_parquet(tmp_path / "b" / "partners.parquet")
    assert [(t, column) for t, _, column, _, _ in diff_tables(tmp_path / "a", tmp_path / "b").flatten()] == [
        ("partners", "shared_themes")]
