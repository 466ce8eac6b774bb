"""Review pages: the plain data of ``review`` → static HTML files.

Input: a folder of output tables, the decoded texts of the documents
(``{document_id: Document.text}``) and a destination folder. Output:
``index.html`` (every document, its pages with their findings counted by
severity, the document's own findings) and one page per portrait or challenge
page, ``<document>/<city_id>.html`` (``<document>/_challenge.html``). File
names hold only ``[a-z0-9._-]`` and never leave the destination, whatever the
ids contain (``review_paths``). A page shows the source text with every span
highlighted in place (nested ``<mark>`` elements, one colour per table, the
field on hover), the records beside it and the findings linked both ways
(``review_page``; the index is ``review_index``, the shared look
``review_style``). Everything is escaped, nothing is fetched, and the same
input gives the same bytes."""
from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from extract.errors import InputError
from extract.qa.review import document_spans, index_data, tables_to_rows
from extract.qa.review_index import index_html
from extract.qa.review_page import page_html
from extract.qa.review_paths import page_path, write_page
from extract.read.ingest import ingest
from extract.tables.schemas import TABLES


def read_tables(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """An output folder → its tables (Parquet, else CSV read as strings)."""
    out = Path(out_dir)
    tables = {}
    for name in TABLES:
        if (out / f"{name}.parquet").is_file():
            tables[name] = pd.read_parquet(out / f"{name}.parquet")
        elif (out / f"{name}.csv").is_file():
            tables[name] = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
    return tables


def find_sources(out_dir: str | Path, document_ids: Iterable[str], raw_dir: str | Path = "raw") -> dict[str, str]:
    """The decoded text of each document, which the offsets of the tables
    index: read again from the path ``run.json`` gives, else from ``raw_dir``.
    A document that cannot be read is left out (its pages show no text)."""
    try:
        inputs = json.loads((Path(out_dir) / "run.json").read_text(encoding="utf-8"))["inputs"]
        paths = {i["document_id"]: Path(i["path"]) for i in inputs}
    except (OSError, ValueError, KeyError):
        paths = {}
    sources = {}
    for document_id in sorted(set(document_ids)):
        try:
            sources[document_id] = ingest(paths.get(document_id, Path(raw_dir) / document_id)).text
        except InputError:
            continue
    return sources


def render_review(out_dir: str | Path, sources: Mapping[str, str] | None, dest_dir: str | Path,
                  raw_dir: str | Path = "raw") -> list[Path]:
    """Output tables and document texts (found with ``find_sources`` when
    ``sources`` is None) → ``dest_dir/index.html`` and one page per portrait
    and challenge page; returns the files written, sorted."""
    dest = Path(dest_dir)
    tables = tables_to_rows(read_tables(out_dir))
    index = index_data(tables)
    if sources is None:
        sources = find_sources(out_dir, (doc["document_id"] for doc in index), raw_dir)
    written = [write_page(dest, "index.html", index_html(index))]
    for doc in index:
        for page in document_spans(sources.get(doc["document_id"]), tables, doc["document_id"]):
            written.append(write_page(dest, page_path(doc["document_id"], page["kind"], page["city_id"]),
                                      page_html(page)))
    return sorted(written)


def screenshot(page: str | Path, png: str | Path, chromium: str = "chromium",
               size: tuple[int, int] = (1400, 1000), timeout: float = 120.0) -> Path:
    """An HTML file → a PNG of it drawn by headless Chromium (no network)."""
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--window-size={size[0]},{size[1]}", f"--screenshot={Path(png).resolve()}", Path(page).resolve().as_uri()]
    subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
    return Path(png)
