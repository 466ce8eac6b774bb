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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from pathlib import Path

import pandas as pd

from extract.errors import InputError
from extract.pipeline.report import one_line
from extract.qa.review import document_spans, index_data, tables_to_rows, text_of
from extract.qa.review_index import index_html
from extract.qa.review_page import page_html
from extract.qa.review_paths import page_path, write_page
from extract.read.ingest import ingest
from extract.read.limits import Limits, TimeBudgetExceeded, time_budget
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


# Findings of a document the run gave up on as a whole: review does not read it again.
REFUSED = frozenset({"document_unreadable", "time_budget_exceeded", "worker_died"})


def _run_record(out_dir: str | Path) -> tuple[dict[str, dict], Limits]:
    """``run.json`` of an output folder → its inputs by document id and its limits."""
    try:
        record = json.loads((Path(out_dir) / "run.json").read_text(encoding="utf-8"))
        known = {f.name for f in fields(Limits)}
        limits = Limits(**{k: v for k, v in record.get("limits", {}).items() if k in known})
        return {i["document_id"]: i for i in record["inputs"]}, limits
    except (OSError, ValueError, KeyError, TypeError):
        return {}, Limits()


def find_sources(out_dir: str | Path, document_ids: Iterable[str], raw_dir: str | Path = "raw",
                 refused: Iterable[str] = (), say: Callable[[str], None] | None = None) -> dict[str, str]:
    """The decoded text of each document, which the offsets of the tables
    index: read again from the path ``run.json`` gives, else from ``raw_dir``,
    within the run's limits and time budget. Left out (its pages show no
    text, and ``say`` is told why): a document the run did not read
    (``refused``, or no SHA-256 in ``run.json``), one that cannot be read now,
    and one whose bytes changed since the run (its SHA-256 differs from
    ``run.json``'s), whose offsets would point at the wrong text."""
    say = say or (lambda line: None)
    inputs, limits = _run_record(out_dir)
    refused = set(refused)
    sources = {}
    for document_id in sorted(set(document_ids)):
        record = inputs.get(document_id, {})
        if document_id in refused or (record and not record.get("sha256")):
            say(f"{one_line(document_id)}: not read again (the run did not extract it)")
            continue
        try:
            with time_budget(limits.document_seconds):
                doc = ingest(Path(record["path"]) if record else Path(raw_dir) / document_id, limits)
        except InputError as exc:
            say(f"{one_line(document_id)}: not shown ({exc.reason})")
            continue
        except TimeBudgetExceeded as exc:
            say(f"{one_line(document_id)}: not shown ({exc}, --time-budget of the run)")
            continue
        if record and doc.sha256 != record["sha256"]:
            say(f"{one_line(document_id)}: changed since the run (its SHA-256 differs from run.json); "
                "its pages show no source text")
            continue
        sources[document_id] = doc.text
    return sources


def render_review(out_dir: str | Path, sources: Mapping[str, str] | None, dest_dir: str | Path,
                  raw_dir: str | Path = "raw", say: Callable[[str], None] | None = None) -> list[Path]:
    """Output tables and document texts (found with ``find_sources`` when
    ``sources`` is None) → ``dest_dir/index.html`` and one page per portrait
    and challenge page; returns the files written, sorted."""
    dest = Path(dest_dir)
    tables = tables_to_rows(read_tables(out_dir))
    index = index_data(tables)
    if sources is None:
        refused = {text_of(r.get("document_id")) for r in tables.get("findings", [])
                   if text_of(r.get("code")) in REFUSED and text_of(r.get("field")).split("#")[0] == "document"}
        sources = find_sources(out_dir, (doc["document_id"] for doc in index), raw_dir, refused, say)
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
