"""The review pages: every highlighted span shows exactly its source slice,
every row with offsets is highlighted, the index counts findings right, file
names stay safe, sources are escaped, the output is deterministic."""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from conftest import BROCHURE, ROOT
from extract.pipeline import run
from extract.qa.review import document_spans, index_data
from extract.qa.review_html import read_tables, render_review
from extract.qa.review_page import page_html
from extract.qa.review_paths import safe_name
from extract.read.ingest import ingest
from extract.tables.schemas import TABLES

RAW = ROOT / "raw"
HOSTILE_DOC = "../../x\n<b>.txt"
HOSTILE_CITY = "../../../etc/passwd\x00<i>"
DOCS = sorted(p.name for p in RAW.iterdir() if p.is_file())


class Page(HTMLParser):
    """An HTML page → its marks (text per span id, offsets), ids, links and tags."""

    def __init__(self, source: str):
        super().__init__()
        self.stack: list[str | None] = []
        self.text: dict[str, list[str]] = defaultdict(list)
        self.offsets: dict[str, set[tuple[int, int]]] = defaultdict(set)
        self.depth = 0
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tags: Counter = Counter()
        self.rows: list[dict] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] += 1
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "tr" and "data-city-id" in a:
            self.rows.append(a)
        if tag == "mark":
            span = a.get("data-span")
            self.stack.append(span)
            if span is not None:
                self.offsets[span].add((int(a["data-start"]), int(a["data-end"])))
                self.text[span]  # an empty span has marks but no text
                self.depth = max(self.depth, sum(s is not None for s in self.stack))

    def handle_endtag(self, tag):
        if tag == "mark":
            self.stack.pop()

    def handle_data(self, data):
        for span in {s for s in self.stack if s is not None}:
            self.text[span].append(data)


@pytest.fixture(scope="module")
def review(tmp_path_factory, rules):
    """raw/ extracted and rendered once: (tables folder, sources, review folder)."""
    base = tmp_path_factory.mktemp("review")
    run([RAW], base / "out", rules, say=lambda line: None)
    sources = {p.name: ingest(p).text for p in sorted(RAW.iterdir()) if p.is_file()}
    render_review(base / "out", sources, base / "html")
    return base / "out", sources, base / "html"


def pages(dest: Path) -> dict[Path, Page]:
    return {p: Page(p.read_text(encoding="utf-8")) for p in sorted(dest.glob("*/*.html"))}


def document_of(page: Path) -> str:
    """The document a page belongs to, from the folder it is in (safe names)."""
    return next(d for d in DOCS if safe_name(d) == page.parent.name)


def test_every_highlighted_span_is_its_source_slice(review):
    """Over the whole brochure (and the other documents): the marks of a span,
    joined, are exactly text[data-start:data-end] of the document."""
    _, sources, dest = review
    checked = Counter()
    for path, page in pages(dest).items():
        text = sources[document_of(path)]
        for span, parts in page.text.items():
            (start, end), = page.offsets[span]  # every mark of one span carries the same offsets
            assert "".join(parts) == text[start:end], (path.name, span)
            checked[path.parent.name] += 1
    assert checked[safe_name(BROCHURE.name)] > 1000


def test_spans_nest_and_overlap(review):
    """Sections hold items, a line holds a label and a value: marks nest."""
    _, _, dest = review
    page = Page((dest / safe_name(BROCHURE.name) / "bahir-dar-eth.html").read_text(encoding="utf-8"))
    assert page.depth >= 2
    assert {s.split("-")[0] for s in page.text} >= {"cities", "indicators", "sections", "items", "quotes", "contacts"}


def offset_spans(table: str, row: pd.Series) -> int:
    """How many spans a row must give: one per offset pair that is set (a
    quote's pieces instead of its whole; the page's own range is the page)."""
    spec = TABLES[table]
    pairs = [n for n in spec.names if n.endswith("char_start")]
    if table in ("cities", "challenges"):
        pairs.remove("char_start")
    n = sum(1 for p in pairs if pd.notna(row[p]) and pd.notna(row[p.replace("_start", "_end")]))
    if table == "quotes":
        n += len(str(row["spans"]).split(";")) - 1
    return n


def test_every_row_with_offsets_is_highlighted(review):
    out, _, dest = review
    expected = Counter()
    for table in TABLES:
        frame = pd.read_parquet(out / f"{table}.parquet")
        for _, row in frame.iterrows():
            expected[table] += offset_spans(table, row)
    shown = Counter(span.split("-")[0] for page in pages(dest).values() for span in page.text)
    assert +expected == shown
    assert expected["findings"] > 0 and expected["quotes"] > 0


def test_index_lists_every_page_with_its_counts(review):
    out, _, dest = review
    index = Page((dest / "index.html").read_text(encoding="utf-8"))
    findings = pd.read_parquet(out / "findings.parquet").fillna({"city_id": ""})
    counts = Counter(zip(findings.document_id, findings.city_id, findings.severity))
    cities = pd.read_parquet(out / "cities.parquet")
    rows = {(r["data-document-id"], r["data-city-id"]): r for r in index.rows if r["data-kind"] == "city"}
    assert set(rows) == set(zip(cities.document_id, cities.city_id))
    assert len(index.rows) == len(cities) + len(pd.read_parquet(out / "challenges.parquet"))
    for (doc, city), row in rows.items():
        for sev in ("error", "warning", "info"):
            assert int(row[f"data-{sev}"]) == counts[(doc, city, sev)], (city, sev)
    for href in index.hrefs:
        assert (dest / href.split("#")[0]).is_file(), href
    own = findings[(findings.city_id == "") & (findings.document_id == BROCHURE.name)]
    linked = [h for h in index.hrefs if h.startswith(f"{safe_name(BROCHURE.name)}/_document.html#")]
    assert len(own) == len(linked) > 0


def test_links_resolve_within_pages(review):
    _, _, dest = review
    for path, page in pages(dest).items():
        for href in page.hrefs:
            if href.startswith("#"):
                assert href[1:] in page.ids, (path.name, href)
            else:
                assert (path.parent / href.split("#")[0]).resolve().is_file(), (path.name, href)


def test_page_data_is_plain_and_grounded(review):
    out, sources, _ = review
    tables = read_tables(out)
    text = sources[BROCHURE.name]
    for page in document_spans(text, tables, BROCHURE.name):
        json.dumps(page)
        assert page["text"] == text[page["start"]:page["end"]]
        assert not page["unplaced"]
        for s in page["spans"]:
            assert any(p["start"] <= s["start"] <= s["end"] <= p["end"] for p in page["passages"]), s
    assert {d["document_id"] for d in index_data(tables)} == set(DOCS)


def hostile_tables(out: Path, folder: Path, source: str) -> tuple[Path, str]:
    """The web profile's rows under a hostile document id and city id, as CSV,
    and its text with ``<script>`` put in place of a word of its tagline."""
    doc = "web-profile-kaunas.txt"
    folder.mkdir()
    for table in TABLES:
        frame = pd.read_csv(out / f"{table}.csv", dtype=str, keep_default_na=False)
        if "document_id" not in frame:  # partners: across documents, not drawn
            continue
        frame = frame[frame.document_id == doc].copy()
        frame["document_id"] = HOSTILE_DOC
        if "city_id" in frame:
            frame["city_id"] = frame["city_id"].where(frame["city_id"] == "", HOSTILE_CITY)
        frame.to_csv(folder / f"{table}.csv", index=False)
    cities = pd.read_csv(out / "cities.csv", dtype=str, keep_default_na=False)
    start = int(cities[cities.document_id == doc].tagline_char_start.iloc[0])
    return folder, source[:start] + "<script>" + source[start + 8:]


def test_hostile_ids_and_markup_stay_text(review, tmp_path):
    out, sources, _ = review
    tables, text = hostile_tables(out, tmp_path / "tables", sources["web-profile-kaunas.txt"])
    dest = tmp_path / "html"
    written = render_review(tables, {HOSTILE_DOC: text}, dest)
    assert len(written) >= 2
    for path in written:
        assert dest.resolve() in path.resolve().parents
        assert re.fullmatch(r"[a-z0-9._-]+", path.name), path
        assert all(re.fullmatch(r"[a-z0-9._-]+", part) for part in path.relative_to(dest.resolve()).parts)
    page = next(p for p in written if p.parent != dest.resolve())
    html_text = page.read_text(encoding="utf-8")
    parsed = Page(html_text)
    assert parsed.tags["script"] == 1 and "&lt;script&gt;" in html_text and "<b>" not in html_text
    assert any("<script>" in "".join(parts) for parts in parsed.text.values())
    for span, parts in parsed.text.items():
        (start, end), = parsed.offsets[span]
        assert "".join(parts) == text[start:end]


@pytest.mark.parametrize("raw", ["gnlc-portraits-2016.txt", "index.html", ".", "..", "A.TXT", "", "a/b", "é\u0000"])
def test_safe_name(raw):
    name = safe_name(raw, reserved=("index.html",))
    assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*", name) and name not in (".", "..", "index.html")
    assert (name == raw) == (raw in ("gnlc-portraits-2016.txt",))


def test_render_is_deterministic(review, tmp_path):
    out, sources, dest = review
    again = tmp_path / "again"
    render_review(out, sources, again)
    first = {p.relative_to(dest): p.read_bytes() for p in sorted(dest.rglob("*.html"))}
    second = {p.relative_to(again): p.read_bytes() for p in sorted(again.rglob("*.html"))}
    assert first == second


def test_partial_overlaps_empty_spans_and_spans_outside_the_portrait():
    """Spans crossing each other and the portrait's end, an empty span, a
    carriage return inside a span, a finding outside the portrait and offsets
    beyond the text."""
    text = "0123456789\nabc\rdefghi\nklmnopqrst\nuvwxyz"
    head = {"document_id": "d.txt", "city_id": "c-xyz"}
    tables = {
        "cities": [dict(head, city="C", country="X", char_start=11, char_end=19,
                        tagline_char_start=12, tagline_char_end=16)],
        "indicators": [dict(head, indicator="area_km2", scope="city", group="all",
                            label_char_start=14, label_char_end=25, char_start=18, char_end=18)],
        "findings": [dict(head, table="indicators", field="area_km2", severity="error", code="x", message="m",
                          char_start=36, char_end=38),
                     dict(head, table="items", field="f", severity="info", code="y", message="n",
                          char_start=30, char_end=99)],
    }
    page, = document_spans(text, tables, "d.txt")
    assert [(p["start"], p["end"]) for p in page["passages"]] == [(11, 32), (33, 39)]
    assert [s["id"] for s in page["unplaced"]] == ["findings-1"]
    assert page["findings"][0]["targets"] == ["indicators-0-label", "indicators-0-value"]
    parsed = Page(page_html(page))
    assert set(parsed.text) == {"cities-0-tagline", "indicators-0-label", "indicators-0-value", "findings-0"}
    for span, parts in parsed.text.items():
        (start, end), = parsed.offsets[span]
        assert "".join(parts) == text[start:end]
    assert "#f-0" in parsed.hrefs and "s-findings-0" in parsed.ids


def test_the_review_command_writes_the_index_and_a_page_per_city(tmp_path, capsys):
    import shutil as sh

    from extract.cli import main
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("gnlc-portraits-2016.txt", "web-profile-kaunas.txt", "challenge-page-kaunas.txt"):
        sh.copy(ROOT / "raw" / name, raw)
    out, dest = tmp_path / "out", tmp_path / "review"
    assert main(["run", str(raw), "--out", str(out), "--quiet"]) == 0
    raw.rename(tmp_path / "moved")  # run.json names where the documents were; --raw says where they are now
    assert main(["review", "--out", str(out), "--dest", str(dest), "--raw", str(tmp_path / "moved")]) == 0
    assert "pages and the index → " in capsys.readouterr().err
    cities = pd.read_parquet(out / "cities.parquet")
    pages = {p.stem for p in dest.rglob("*.html")}
    assert set(cities["city_id"]) <= pages and "index.html" in {p.name for p in dest.iterdir()}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed "
                                                                "(make review-screenshot installs it)")
def test_headless_chromium_draws_a_city_page(tmp_path):
    from extract.cli import main
    png = tmp_path / "city.png"
    assert main(["review", "--dest", str(tmp_path / "review"), "--screenshot", str(png), "--city", "amman-jor"]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
