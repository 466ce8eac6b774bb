"""A batch of documents → the tables of the output folder and ``run.json``
(``run``), or the tables in memory (``collect``). One document in memory,
without the checks across documents: ``document_rows``.

Each document's rows go to the tables (``tables.stream``, spilled to a
folder next to the output) as the document finishes; what the checks and
tables across documents need is kept as small summaries (the country figure
of each portrait, theme counts and figures per city for the partners, the
member cities). At the end the
tables are sorted by key, checked and written a chunk at a time.

``run`` never stops on one bad document or portrait: a file that cannot be
read, a document without portraits, a document over its time budget or an
extractor that fails becomes an ``error`` finding and one line on stderr, and
the batch goes on. A document that fails as a whole leaves no rows but its
findings."""
from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyarrow as pa

from extract.enrich.partners import Evidence, evidence_to_partners, profiles_to_findings
from extract.findings import make_finding
from extract.pipeline.batch import Batch, guarded
from extract.pipeline.database_process import DatabaseProcess
from extract.pipeline.document import challenge_page, one_document
from extract.pipeline.inputs import Input, duplicate_inputs, input_files
from extract.pipeline.output import batch_to_output
from extract.pipeline.report import findings_to_lines
from extract.pipeline.workers import collector_tuned, documents
from extract.read.limits import Limits
from extract.rules import Rules
from extract.tables.database import DatabaseThread
from extract.tables.records import finding_to_row
from extract.tables.runinfo import InputRecord, Stopwatch, file_sha256, record_to_json, run_record
from extract.tables.stream import TableStream
from extract.tables.validate import Figure, figures_to_findings
from extract.tables.write import check_output_folder, spill_folder, write_tables


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


def _add_seconds(clock: Stopwatch, seconds) -> None:
    for stage, s in seconds.items():
        clock.seconds[stage] = clock.seconds.get(stage, 0.0) + s


def extract_into(stream: TableStream, paths: list[str | Path], rules: Rules, limits: Limits = Limits(), say=None,
                 skip: str | Path | None = None, progress: Progress | None = None, workers: int = 1) -> RunSummary:
    """Extract every document of ``paths`` (but the folder ``skip``) into
    ``stream``, ``workers`` documents at a time, check across documents,
    and sort and check the tables (``TableStream.finish``); nothing is
    written. The result does not depend on ``workers``."""
    say = say or (lambda line: print(line, file=sys.stderr))
    summary, clock = RunSummary(), Stopwatch()
    paths_of: dict[str, str] = {}

    def report(rows: list[dict]) -> None:
        for line in findings_to_lines(rows, paths_of, rules.findings):
            say(line)

    items = input_files(paths, skip)
    repeats = duplicate_inputs(items, limits.max_file_bytes)
    for item in (i for i in items if i.document_id in repeats):  # read once, as the first
        paths_of[item.document_id] = str(item.path)
        same = [finding_to_row(make_finding(
            rules.findings, item.document_id, "", "input_duplicated", "", "",
            f"is byte for byte the same as {repeats[item.document_id].document_id} (SHA-256); read once, as that file",
            repeats[item.document_id].document_id))]
        stream.add_rows("findings", same)
        report(same)
    read = [i for i in items if i.document_id not in repeats]
    if progress:
        progress.start(len(read))
    portraits_of: dict[str, int] = dict.fromkeys(repeats, 0)
    formats: dict[str, str] = {}
    files: dict[str, tuple[int, str | None]] = {}
    figures: list[Figure] = []
    evidence = Evidence()
    known: set[tuple[str, str, str]] = set()
    pages = []
    for item, done in zip(read, documents(read, rules, limits, workers)):
        summary.documents += 1
        paths_of[item.document_id] = str(item.path)
        stream.add(done.batches)
        _add_seconds(clock, done.seconds)
        figures += done.figures
        evidence.add(done.partner_evidence)
        known |= done.members
        pages += done.challenge_pages
        if done.source_format is not None:
            formats[item.document_id] = done.source_format
        if done.file is not None:
            files[item.document_id] = done.file
        portraits_of[item.document_id] = done.portraits
        summary.portraits += done.portraits
        report(done.findings())
        if progress:
            progress.advance(item.document_id, done.portraits)
    members = tuple(sorted(known))
    for doc, detection in pages:
        batch = Batch(formats={doc.document_id: formats.pop(doc.document_id)})
        guarded(doc.document_id, lambda doc=doc, detection=detection, batch=batch: challenge_page(
            doc, detection, rules, batch, members), batch, rules.findings, limits)
        if doc.document_id in batch.formats:  # a page that failed as a whole has no format, as its document
            formats[doc.document_id] = batch.formats[doc.document_id]
        done = batch_to_output(doc.document_id, batch, 0, rules)
        stream.add(done.batches)
        evidence.add(done.partner_evidence)
        _add_seconds(clock, done.seconds)
        report(done.findings())
    with clock.stage("validate"):
        found = [finding_to_row(f) for f in figures_to_findings(figures, rules.validation, rules.findings)]
        stream.add_rows("findings", found)
    with clock.stage("themes"):
        partners = evidence_to_partners(evidence)
        stream.add_rows("partners", partners)
        few = [finding_to_row(f) for f in profiles_to_findings(partners, evidence.cities, rules.findings)]
        stream.add_rows("findings", few)
        found += few
    with clock.stage("tables"):
        found += [finding_to_row(f) for f in stream.finish(rules.findings)]
    report(found)
    summary.rows = {t: n for t, n in stream.rows.items() if t != "findings"} | {"findings": stream.rows["findings"]}
    summary.errors = stream.counts("severity").get("error", 0)
    summary.seconds = clock.seconds
    summary.inputs = [InputRecord(i.document_id, str(i.path),  # a file not read whole is hashed here
                                  *(files.get(i.document_id) or file_sha256(i.path, limits.max_file_bytes)),
                                  formats.get(i.document_id, ""), portraits_of[i.document_id])
                      for i in items]
    return summary


def collect(paths: list[str | Path], rules: Rules, limits: Limits = Limits(), say=None,
            skip: str | Path | None = None, progress: Progress | None = None, workers: int = 1,
            ) -> tuple[dict[str, pa.Table], RunSummary]:
    """Extract every document of ``paths`` (but the folder ``skip``) into
    checked Arrow tables in key order, held in memory (nothing is written),
    ``workers`` documents at a time. The result does not depend on ``workers``."""
    with tempfile.TemporaryDirectory(prefix="extract-spill-") as folder, collector_tuned():
        stream = TableStream(folder)
        summary = extract_into(stream, paths, rules, limits, say, skip, progress, workers)
        return {t: stream.table(t) for t in summary.rows}, summary


def document_rows(path: str | Path, rules: Rules, limits: Limits = Limits()) -> dict[str, list[dict]]:
    """One document through the stages, in memory: its rows per table (no
    checks across documents, no frames, nothing written). A challenge page
    is tied only to a city its own text names."""
    batch, _ = one_document(Input(Path(path), Path(path).name), rules, limits)
    for doc, detection in list(batch.challenge_pages):
        guarded(doc.document_id, lambda doc=doc, detection=detection: challenge_page(doc, detection, rules, batch, ()),
                batch, rules.findings, limits)
    return batch.rows


def run(paths: list[str | Path], out_dir: str | Path, rules: Rules, say=None,
        limits: Limits = Limits(), progress: Progress | None = None, workers: int = 1) -> RunSummary:
    """Extract every document of ``paths`` into the tables of ``out_dir``,
    with the run's record as ``run.json``."""
    check_output_folder(out_dir)
    with spill_folder(out_dir) as folder, collector_tuned():
        stream = TableStream(folder)
        summary = extract_into(stream, paths, rules, limits, say, skip=out_dir, progress=progress, workers=workers)

        def record(write_seconds: float) -> dict[str, str]:
            summary.seconds["write"] = write_seconds
            found = {"severity": stream.counts("severity"), "code": stream.counts("code")}
            return {"run.json": record_to_json(run_record(summary.inputs, summary.rows, found, rules.digest, limits,
                                                          summary.seconds))}

        pooled = workers > 1 and summary.documents > 1  # the workers' forkserver runs: extract.db on a core of its own
        write_tables(stream.tables(), out_dir, extra=record, database=DatabaseProcess if pooled else DatabaseThread)
    return summary
