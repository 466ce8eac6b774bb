"""Issue 15: the review pages read well at 900 and 1,400 px: records are boxes
of wrapped values (no table cut off at the right, no box that scrolls or clips,
long texts open on a click), the index lists every page without a scroll box
and sorts by any column, and pages are counted with one word and one number.
Chromium draws the pages at both widths and a script in them checks that
every value of every record is visible (slow; skipped without chromium)."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import pytest

from extract.cli import main
from extract.qa.review import document_spans, index_data, tables_to_rows
from extract.qa.review_html import read_tables, render_review
from extract.qa.review_page import LONG, page_html
from extract.qa.review_style import table_css

WIDTHS = (900, 1400)
# Opens every <details>, then lists what the page cuts off: the page wider than the
# window, a record's value or a table cell clipped by its box or past the window's
# right edge, and any element that scrolls on its own.
CHECK = """document.querySelectorAll('details').forEach(function(d){d.open=true});
var out={page:document.documentElement.scrollWidth>window.innerWidth,clipped:[],scrollers:[]};
document.querySelectorAll('.record dt, .record dd, td, th').forEach(function(el){var r=el.getBoundingClientRect();
if(el.scrollWidth>el.clientWidth+1||el.scrollHeight>el.clientHeight+1||r.right>window.innerWidth+1){
out.clipped.push(el.textContent.slice(0,60))}});
document.querySelectorAll('body *').forEach(function(el){var s=getComputedStyle(el);
if((/(auto|scroll)/.test(s.overflowY)&&el.scrollHeight>el.clientHeight+1)||
(/(auto|scroll)/.test(s.overflowX)&&el.scrollWidth>el.clientWidth+1)){out.scrollers.push(el.tagName+'.'+el.className)}});
var pre=document.createElement('pre');pre.id='layout-check';pre.textContent=JSON.stringify(out);document.body.appendChild(pre);"""


@pytest.fixture(scope="module")
def review(raw_out, tmp_path_factory):
    dest = tmp_path_factory.mktemp("review-layout")
    return render_review(raw_out, None, dest), dest


def test_no_box_scrolls_or_clips_its_content():
    css = table_css()
    assert not re.search(r"overflow(-[xy])?:(auto|scroll|hidden)", css)
    assert "max-height" not in css and "position:sticky;top:44px" not in css


def test_records_are_boxes_and_every_value_is_on_the_page(raw_out):
    tables = tables_to_rows(read_tables(raw_out))
    checked = 0
    for doc in index_data(tables):
        for page in document_spans(None, tables, doc["document_id"]):
            text = page_html(page)
            assert 'class="scroll"' not in text and "<table" not in text
            for table, rows in page["records"].items():
                if table == "findings":
                    continue
                for n, row in enumerate(rows):
                    assert f'id="r-{table}-{n}"' in text
                    for column, value in row.items():
                        if value is None or column in ("document_id", "city_id"):
                            continue
                        shown = int(value) if isinstance(value, float) and value.is_integer() else value
                        assert html.escape(str(shown), quote=True).replace("\\r", "&#13;") in text, (table, column)
                        checked += 1
    assert checked > 5000


def test_a_long_text_opens_from_its_beginning(raw_out):
    tables = tables_to_rows(read_tables(raw_out))
    page = next(p for p in document_spans(None, tables, "gnlc-portraits-2016.txt") if p["kind"] == "city")
    long = [r["text"] for r in page["records"]["sections"] if len(r["text"]) > LONG]
    assert long
    text = page_html(page)
    assert text.count('<details class="long">') >= len(long) and f"{len(long[0]):,} characters" in text


def test_the_index_lists_every_page_sortable_without_a_scroll_box(review):
    _, dest = review
    index = (dest / "index.html").read_text(encoding="utf-8")
    assert 'class="scroll"' not in index
    heads = re.findall(r"<th[^>]*>", index)
    assert heads and all("data-sort=" in h for h in heads)
    assert "th[data-sort]" in index and "localeCompare" in index
    assert len(re.findall(r'<tr data-document-id=', index)) == 39  # 37 portraits, a web profile, a challenge page


def test_pages_have_one_word_and_one_count(raw_out, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dest = tmp_path / "review"
    assert main(["review", "--out", str(raw_out), "--dest", "review"]) == 0  # a relative folder, as `make review` gives
    said = re.search(r"extract: (\d+) pages and the index → ", capsys.readouterr().err)
    listed = re.search(r'class="meta">3 documents · (\d+) pages<', (dest / "index.html").read_text(encoding="utf-8"))
    written = [p for p in dest.rglob("*.html") if p.name != "index.html"]
    assert said and listed and int(said.group(1)) == int(listed.group(1)) == len(written)


def _checked(page, width: int, tmp_path) -> dict:
    probe = tmp_path / f"{page.parent.name}-{page.stem}-{width}.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", f"<script>{CHECK}</script></body>"),
                     encoding="utf-8")
    done = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--window-size={width},1000",
                           "--virtual-time-budget=3000", "--dump-dom", probe.as_uri()],
                          capture_output=True, text=True, timeout=120, check=True)
    found = re.search(r'<pre id="layout-check">(.*?)</pre>', done.stdout)
    assert found, done.stdout[-500:]
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")
@pytest.mark.parametrize("width", WIDTHS)
def test_pages_are_readable_at_900_and_1400_px(review, tmp_path, width):
    _, dest = review
    city = max(dest.glob("gnlc-portraits-2016.txt/*.html"), key=lambda p: p.stat().st_size)
    pages = [dest / "index.html", city, next(dest.glob("challenge-page-kaunas.txt/*.html"))]
    for page in pages:
        assert _checked(page, width, tmp_path) == {"page": False, "clipped": [], "scrollers": []}, page.name
        png = tmp_path / f"{page.stem}-{width}.png"
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--window-size={width},1000", f"--screenshot={png}", page.as_uri()],
                       capture_output=True, timeout=120, check=True)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
