"""Two columns set side by side on each line (read/columns.py), on pages laid
out here from the brochure's portraits as ``pdftotext -layout`` sets a
two-column page: read back in the order they were laid out, whatever the
gutter's width, with a line across both columns kept whole between two bands
of columns; every character still the file's. Text in one column — prose
with double spaces, tables whose cells are set apart by runs of spaces, a
list of short entries side by side — is left as it is."""
from __future__ import annotations

import csv
import textwrap

import pytest

from extract.bench import renderings as R
from extract.pipeline import run
from extract.read.columns import file_offset, read_columns
from extract.read.ingest import ingest
from extract.rules.text import shipped_columns

SOURCE = R.SOURCE.read_text(encoding="utf-8")
BROCHURE = R.parse(SOURCE)
RULES = shipped_columns()
WIDTH = 48  # a column's width, in characters


def _set(text: str, width: int = WIDTH) -> list[str]:
    """``text`` as set in a column ``width`` wide: paragraphs wrapped, table
    cells apart by two spaces (a leading empty cell an indent), no blank lines."""
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        indent = "    " if line.startswith("\t") else ""
        line = indent + "  ".join(c for c in line.split("\t") if c)
        out += textwrap.wrap(line, width, drop_whitespace=True) if len(line) > width else [line]
    return out


def _side_by_side(left: list[str], right: list[str], gutter: int, width: int = WIDTH) -> list[str]:
    rows = max(len(left), len(right))
    left, right = left + [""] * (rows - len(left)), right + [""] * (rows - len(right))
    return [(a.ljust(width + gutter) + b).rstrip() for a, b in zip(left, right)]


def _pages(lines: list[str], gutter: int, rows: int = 40) -> tuple[str, list[list[str]]]:
    """``lines`` set in two columns of ``rows`` lines a page, and each page's lines in reading order."""
    text_pages, order = [], []
    for at in range(0, len(lines), 2 * rows):
        left, right = lines[at:at + rows], lines[at + rows:at + 2 * rows]
        number = " " * 50 + str(len(order) + 1)  # the page number, centred: a line across the gutter
        text_pages.append("\n".join(_side_by_side(left, right, gutter)) + "\n\n\n" + number + "\n")
        order.append(left + right + [number])
    return "\f".join(text_pages), order


def _read_lines(text: str) -> list[list[str]]:
    """Each page's non-blank lines, right ends stripped."""
    return [[ln.rstrip() for ln in page.split("\n") if ln.strip()] for page in text.split("\f")]


def _portraits(k: int) -> list[str]:
    return [ln for p in BROCHURE.portraits[:k] for ln in _set(p)]


@pytest.mark.parametrize("gutter", [3, 4, 6, 10, 24])
def test_columns_read_in_order(gutter):
    text, order = _pages(_portraits(5), gutter)
    read, regions = read_columns(text, RULES)
    assert _read_lines(read) == order
    assert sorted({r.page for r in regions}) == list(range(1, len(order) + 1))
    assert len(read) == len(text)
    assert [k for k, ch in enumerate(read) if ch == "\f"] == [k for k, ch in enumerate(text) if ch == "\f"]


@pytest.mark.parametrize("gutter", [3, 8])
def test_a_line_across_both_columns_stays_between_its_bands(gutter):
    lines = _portraits(2)
    heading = " ".join(BROCHURE.portraits[2].split())[:2 * WIDTH + gutter].rstrip()
    assert heading[WIDTH:WIDTH + gutter].strip() and "  " not in heading  # it runs across the gutter
    top = _side_by_side(lines[:20], lines[20:40], gutter)
    bottom = _side_by_side(lines[40:70], lines[70:100], gutter)
    text = "\n".join(top + [heading] + bottom) + "\n"
    read, regions = read_columns(text, RULES)
    assert _read_lines(read) == [lines[:40] + [heading] + lines[40:100]]
    assert len(regions) == 2 and regions[0].span.end < text.index(heading) < regions[1].span.start


def test_a_short_last_page_is_read_with_the_gutter_of_the_others():
    lines = _portraits(4)
    assert len(lines) >= 204
    text, order = _pages(lines[:160], 6)
    last = _side_by_side(lines[160:200], lines[200:204], 6)  # its right column four lines long
    read, regions = read_columns(text + "\f" + "\n".join(last) + "\n", RULES)
    assert _read_lines(read) == order + [lines[160:204]]
    assert max(r.page for r in regions) == len(order) + 1


def test_every_character_is_the_files():
    text, _ = _pages(_portraits(3), 5)
    read, regions = read_columns(text, RULES)
    assert sorted(read.replace(" ", "").replace("\n", "")) == sorted(text.replace(" ", "").replace("\n", ""))
    for k, ch in enumerate(read):
        if not ch.isspace():
            assert text[file_offset(regions, k)] == ch, k
    assert file_offset(regions, regions[0].span.start - 1) == regions[0].span.start - 1  # outside: the same


def _one_column(width: int = 90) -> str:
    """The brochure as ``pdftotext -layout`` sets a page of one column: prose
    wrapped, each table row's cells at fixed places, a page every 55 lines."""
    lines = []
    for line in SOURCE.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            lines.append("".join(c.ljust(w) for c, w in zip(cells, (26, 10, 14, 10))).rstrip())
        else:
            lines += textwrap.wrap(line, width) or [""]
    return "\f".join("\n".join(lines[k:k + 55]) + "\n" for k in range(0, len(lines), 55))


def _double_spaced() -> str:
    return "\n".join(textwrap.fill(p, 80).replace(". ", ".  ") for p in SOURCE.split("\n") if p.strip())


def _members_side_by_side() -> str:
    rows = [ln.split("\t") for ln in BROCHURE.member_list.split("\n") if "\t" in ln]
    return "\n".join(f"  {country.ljust(55)}{city}" for country, city in rows) + "\n"


def _tables_only() -> str:
    rows = [ln.split("\t") for ln in SOURCE.split("\n") if "\t" in ln]
    return "\n".join("".join(c.ljust(w) for c, w in zip(cells, (34, 10, 16, 8))).rstrip() for cells in rows)


@pytest.mark.parametrize("make", [_one_column, _double_spaced, _members_side_by_side, _tables_only],
                         ids=["one-column-layout", "double-spaced", "members-side-by-side", "tables"])
def test_one_column_is_left_alone(make):
    text = make()
    assert " " * RULES.min_gutter in text  # runs of spaces wide enough to be a gutter
    assert read_columns(text, RULES) == (text, ())


def test_the_source_is_left_alone():
    assert read_columns(SOURCE, RULES) == (SOURCE, ())


def _rows(out, table):
    with open(out / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_a_two_column_file_gives_what_one_column_gives(tmp_path, rules):
    """The member list on a page of its own, four portraits in two columns:
    the same cities and figures as the same lines in one column, a
    ``columns_read`` finding naming the pages, and offsets into the text as
    read (``ingest`` gives it), where each figure is what was printed."""
    lines = _portraits(4)
    front = BROCHURE.member_list + "\f"
    two, order = _pages(lines, 5)
    (tmp_path / "two").mkdir()
    (tmp_path / "one").mkdir()
    two_path = tmp_path / "two" / "portraits.txt"
    two_path.write_text(front + two, encoding="utf-8")
    (tmp_path / "one" / "portraits.txt").write_text(
        front + "\f".join("\n".join(p) + "\n" for p in order), encoding="utf-8")
    for name in ("one", "two"):
        run([tmp_path / name / "portraits.txt"], tmp_path / f"out-{name}", rules, say=lambda line: None)
    one, two_out = tmp_path / "out-one", tmp_path / "out-two"
    assert [(c["city"], c["country"]) for c in _rows(two_out, "cities")] == \
        [(c["city"], c["country"]) for c in _rows(one, "cities")]
    assert len(_rows(one, "cities")) == 4
    figures = ("city_id", "indicator", "scope", "value", "year", "raw")
    assert [tuple(i[k] for k in figures) for i in _rows(two_out, "indicators")] == \
        [tuple(i[k] for k in figures) for i in _rows(one, "indicators")]
    found = [(f["code"], f["value"]) for f in _rows(two_out, "findings") if f["code"] == "columns_read"]
    assert found == [("columns_read", f"2-{len(order) + 1}")]
    assert not any(f["code"] == "columns_read" for f in _rows(one, "findings"))
    doc = ingest(two_path)
    file_text = two_path.read_text(encoding="utf-8")
    for i in _rows(two_out, "indicators"):
        start, end = int(i["char_start"]), int(i["char_end"])
        assert doc.text[start:end] == i["raw"]
        assert file_text[file_offset(doc.columns, start):][:end - start] == i["raw"]


def test_ingest_reads_by_the_shipped_rules(rules):
    """``ingest`` given no rules (the review, re-reading a file) reads by those a run loads by default."""
    assert shipped_columns() == rules.text.columns
