"""A batch of documents → validated frames (``collect``) → the tables of the
output folder and ``run.json`` (``run``). One document in memory, without
the checks across documents: ``document_rows``.

``run`` never stops on one bad document or portrait: a file that cannot be
read, a document without portraits, a document over its time budget or an
extractor that fails becomes an ``error`` finding and one line on stderr, and
the batch goes on. A document that fails as a whole leaves no rows but its
findings."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from extract.enrich.partners import partners_to_findings, themes_to_partners
from extract.findings import make_finding
from extract.pipeline.batch import Batch, guarded
from extract.pipeline.document import challenge_page, one_document
from extract.pipeline.inputs import Input, duplicate_inputs, input_files
from extract.pipeline.report import findings_to_lines
from extract.pipeline.workers import documents
from extract.read.limits import Limits
from extract.rules import Rules, Severity
from extract.tables.records import finding_to_row
from extract.tables.runinfo import InputRecord, file_sha256, record_to_json, run_record
from extract.tables.schemas import TABLES
from extract.tables.validate import validate
from extract.types import Finding

if TYPE_CHECKING:  # the tables stage brings pandas, pandera and pyarrow: imported when it runs
    import pandas as pd


@dataclass
class RunSummary:
    documents: int = 0
    portraits: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    inputs: list[InputRecord] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


class Progress(Protocol):
    """What a caller may watch a run with (the command's progress bar)."""

    def start(self, documents: int) -> None: ...

    def advance(self, document_id: str, portraits: int) -> None: ...


def collect(paths: list[str | Path], rules: Rules, limits: Limits = Limits(), say=None,
            skip: str | Path | None = None, progress: Progress | None = None, workers: int = 1,
            ) -> tuple[dict[str, pd.DataFrame], RunSummary]:
    """Extract every document of ``paths`` (but the folder ``skip``) into
    validated frames (nothing is written), ``workers`` documents at a time.
    The result does not depend on ``workers``."""
    from extract.tables.frames import to_frame
    say = say or (lambda line: print(line, file=sys.stderr))
    summary = RunSummary()
    batch = Batch()
    rows = batch.rows
    paths_of: dict[str, str] = {}

    def report(start: int) -> None:
        for line in findings_to_lines(rows["findings"][start:], paths_of, rules.findings):
            say(line)

    items = input_files(paths, skip)
    repeats = duplicate_inputs(items, limits.max_file_bytes)
    for item in (i for i in items if i.document_id in repeats):  # read once, as the first
        paths_of[item.document_id], start = str(item.path), len(rows["findings"])
        rows["findings"].append(finding_to_row(make_finding(
            rules.findings, item.document_id, "", "input_duplicated", "", "",
            f"is byte for byte the same as {repeats[item.document_id].document_id} (SHA-256); read once, as that file",
            repeats[item.document_id].document_id)))
        report(start)
    read = [i for i in items if i.document_id not in repeats]
    if progress:
        progress.start(len(read))
    portraits_of: dict[str, int] = dict.fromkeys(repeats, 0)
    for item, (done, portraits) in zip(read, documents(read, rules, limits, workers)):
        summary.documents += 1
        paths_of[item.document_id] = str(item.path)
        start = len(rows["findings"])
        batch.merge(done)
        portraits_of[item.document_id] = portraits
        summary.portraits += portraits
        report(start)
        if progress:
            progress.advance(item.document_id, portraits_of[item.document_id])
    known = tuple(sorted({(m.city, m.country, m.country_code) for members, _ in batch.members.values()
                          for m in members}))
    for doc, detection in list(batch.challenge_pages):
        start = len(rows["findings"])
        guarded(doc.document_id, lambda doc=doc, detection=detection: challenge_page(doc, detection, rules, batch, known),
                batch, rules.findings, limits)
        report(start)
    start = len(rows["findings"])
    with batch.clock.stage("validate"):
        rows["findings"] += [finding_to_row(f, batch.page_starts.get(f.document_id, (0,)))
                             for f in validate(batch.results, batch.members, rules.validation, rules.findings)]
    with batch.clock.stage("themes"):
        rows["partners"] = themes_to_partners(rows["themes"], cities=rows["cities"])
        rows["findings"] += [finding_to_row(f) for f in partners_to_findings(rows["partners"], rows["cities"],
                                                                           rules.findings)]
    with batch.clock.stage("tables"):
        frames = {t: to_frame(t, rows[t]) for t in TABLES if t != "findings"}
        rows["findings"] += [finding_to_row(f) for f in _schema_findings(frames, rules.findings)]
        frames["findings"] = to_frame("findings", _unique_findings(rows["findings"]))
    report(start)
    summary.rows = {t: len(f) for t, f in frames.items()}
    summary.errors = int((frames["findings"]["severity"] == "error").sum())
    summary.seconds = batch.clock.seconds
    summary.inputs = [InputRecord(i.document_id, str(i.path),  # a file not read whole is hashed here
                                  *(batch.files.get(i.document_id) or file_sha256(i.path, limits.max_file_bytes)),
                                  batch.formats.get(i.document_id, ""), portraits_of[i.document_id])
                      for i in items]
    return frames, summary


def document_rows(path: str | Path, rules: Rules, limits: Limits = Limits()) -> dict[str, list[dict]]:
    """One document through the stages, in memory: its rows per table (no
    checks across documents, no frames, nothing written). A challenge page
    is tied only to a city its own text names."""
    batch, _ = one_document(Input(Path(path), Path(path).name), rules, limits)
    for doc, detection in list(batch.challenge_pages):
        guarded(doc.document_id, lambda doc=doc, detection=detection: challenge_page(doc, detection, rules, batch, ()),
                batch, rules.findings, limits)
    return batch.rows


def _schema_findings(frames: dict[str, pd.DataFrame], catalogue: dict[str, Severity]) -> list[Finding]:
    import pandas as pd

    from extract.tables.frames import validate_frame
    out = []
    for table, frame in frames.items():
        for case in validate_frame(table, frame):
            row = frame.loc[case["row"]] if case.get("row") in frame.index else None
            doc_id, city = ("", "") if row is None else (row.get("document_id"), row.get("city_id"))
            out.append(make_finding(
                catalogue, "" if pd.isna(doc_id) else doc_id, "" if pd.isna(city) else city,
                "schema_violation", table, f"{case.get('column')}:{case.get('check')}",
                f"{table}.{case.get('column')} fails {case.get('check')}.", str(case.get("value"))))
    return out


def run(paths: list[str | Path], out_dir: str | Path, rules: Rules, say=None,
        limits: Limits = Limits(), progress: Progress | None = None, workers: int = 1) -> RunSummary:
    """Extract every document of ``paths`` into the tables of ``out_dir``,
    with the run's record as ``run.json``."""
    from extract.tables.write import check_output_folder, write_tables
    check_output_folder(out_dir)
    frames, summary = collect(paths, rules, limits, say, skip=out_dir, progress=progress, workers=workers)

    def record(write_seconds: float) -> dict[str, str]:
        summary.seconds["write"] = write_seconds
        return {"run.json": record_to_json(run_record(summary.inputs, frames, rules.digest, limits, summary.seconds))}

    write_tables(frames, out_dir, extra=record)
    return summary


def _unique_findings(rows: list[dict]) -> list[dict]:
    """One row per finding key; a repeated key gets a ``#n`` suffix on its field."""
    seen: dict[tuple, int] = {}
    out = []
    for r in rows:
        key = (r["document_id"], r["city_id"], r["code"], r["field"])
        n = seen.get(key, 0)
        seen[key] = n + 1
        out.append(dict(r, field=f"{r['field']}#{n + 1}") if n else r)
    return out
