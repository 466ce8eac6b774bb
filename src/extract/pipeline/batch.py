"""Run the stages over a batch of documents and write the tables.

``run`` never stops on one bad document or portrait: a file that cannot be
read, a document without portraits, a document over its time budget or an
extractor that fails becomes an ``error`` finding and one line on stderr, and
the batch goes on. A document that fails as a whole leaves no rows but its
findings."""
from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Protocol

import pandas as pd

from extract.challenge.page import extract_challenge
from extract.read.detect import Detection, detect_format
from extract.errors import InputError, UsageError
from extract.findings import Context, make_finding
from extract.portrait.identify import PRIOR, identify
from extract.read.ingest import GUESSED_ENCODINGS, ingest
from extract.read.limits import Limits, TimeBudgetExceeded, time_budget
from extract.portrait.mentions import mention_index
from extract.portrait.extract import extract_portrait
from extract.tables.records import challenge_to_rows, finding_to_row, result_to_rows, with_page
from extract.enrich.events import sections_to_events
from extract.enrich.partners import themes_to_partners
from extract.rules.load import Rules
from extract.enrich.themes import rows_to_themes
from extract.tables.runinfo import InputRecord, Stopwatch, file_sha256, record_to_json, run_record
from extract.tables.frames import to_frame, validate_frame
from extract.tables.schemas import TABLES
from extract.portrait.profile import segment_profile
from extract.portrait.segment import segment
from extract.types import CityMatch, Document, Finding, Portrait, PortraitResult
from extract.tables.validate import validate
from extract.read.layout import hard_before, soft_breaks
from extract.tables.write import check_output_folder, write_tables

@dataclass
class RunSummary:
    documents: int = 0
    portraits: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    inputs: list[InputRecord] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Input:
    """One file of the batch and the id its rows carry: its path relative to
    the folder named (``sub/brochure.txt``), or its name for a file named."""

    path: Path
    document_id: str


def input_files(paths: list[str | Path], skip: str | Path | None = None) -> list[Input]:
    """Files named, and the files of folders named (not hidden, symbolic links
    to folders not followed, not the folder ``skip``: the output folder), each
    once, in a stable order. ``UsageError`` for a path that does not exist."""
    out: list[Input] = []
    skipped = Path(skip).resolve() if skip is not None else None
    for p in map(Path, paths):
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".") and Path(root, d).resolve() != skipped]
                found += [Path(root, f) for f in files if not f.startswith(".")]
            out += sorted((Input(f, f.relative_to(p).as_posix()) for f in found if f.is_file()),
                          key=lambda i: i.document_id)
        elif p.exists():
            out.append(Input(p, p.name))
        else:
            raise UsageError(f"{p}: no such file or folder")
    seen: set[Path] = set()
    unique = []
    for i in out:
        key = i.path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(i)
    return unique


def one_line(text: str) -> str:
    """``text`` on one line: line ends and other control characters shown as
    escapes, so a file name or a message can never break a line of stderr."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@dataclass
class _Batch:
    """What the documents of a run add up to before validation across them."""

    rows: dict[str, list] = field(default_factory=lambda: {t: [] for t in TABLES})
    results: list[PortraitResult] = field(default_factory=list)
    members: dict = field(default_factory=dict)
    page_starts: dict[str, tuple[int, ...]] = field(default_factory=dict)
    challenge_pages: list[tuple[Document, Detection]] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[int, str | None]] = field(default_factory=dict)  # document_id → (size, SHA-256)
    clock: Stopwatch = field(default_factory=Stopwatch)

    def mark(self) -> dict[str, int]:
        """Where each list stands, for ``rollback``."""
        return {**{t: len(v) for t, v in self.rows.items()}, "_results": len(self.results),
                "_challenge_pages": len(self.challenge_pages)}

    def rollback(self, mark: dict[str, int], document_id: str) -> None:
        """Forget what one document added since ``mark``."""
        for t, v in self.rows.items():
            del v[mark[t]:]
        del self.results[mark["_results"]:]
        del self.challenge_pages[mark["_challenge_pages"]:]
        self.members.pop(document_id, None)
        self.formats.pop(document_id, None)

    def merge(self, other: "_Batch") -> None:
        """Add what another batch (one document's) holds."""
        for t, v in other.rows.items():
            self.rows[t] += v
        self.results += other.results
        self.members.update(other.members)
        self.page_starts.update(other.page_starts)
        self.challenge_pages += other.challenge_pages
        self.formats.update(other.formats)
        self.files.update(other.files)
        for stage, seconds in other.clock.seconds.items():
            self.clock.seconds[stage] = self.clock.seconds.get(stage, 0.0) + seconds


def _one_document(item: Input, rules: Rules, limits: Limits) -> tuple[_Batch, int]:
    """One document extracted into a batch of its own (in a worker process
    when a run has several), and the number of its portraits."""
    batch = _Batch()
    return batch, _guarded(item.document_id, lambda: _document(item, rules, batch, limits), batch, rules, limits)


class _Worker:
    """What a worker process keeps from its start: the rules and limits, sent
    once (the rules hold a spaCy pipeline, too big to send with every document)."""

    rules: Rules | None = None
    limits: Limits = Limits()


def _start_worker(rules: Rules, limits: Limits) -> None:
    _Worker.rules, _Worker.limits = rules, limits


def _worker_document(item: Input) -> tuple[_Batch, int]:
    assert _Worker.rules is not None
    return _one_document(item, _Worker.rules, _Worker.limits)


def _documents(items: list[Input], rules: Rules, limits: Limits, workers: int) -> Iterator[tuple[_Batch, int]]:
    """``_one_document`` of each item, in the items' order, over ``workers``
    processes (forked from a server process started before any thread)."""
    if workers <= 1 or len(items) < 2:
        yield from (_one_document(item, rules, limits) for item in items)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["extract.pipeline.batch"])
    with ProcessPoolExecutor(min(workers, len(items)), mp_context=context, initializer=_start_worker,
                             initargs=(rules, limits)) as pool:
        yield from pool.map(_worker_document, items, chunksize=4)


def _document(item: Input, rules: Rules, batch: _Batch, limits: Limits) -> int:
    """Ingest, detect and extract one document into ``batch``; the number of
    portraits found. Challenge pages wait in ``batch.challenge_pages`` until
    every other document has named its cities."""
    clock = batch.clock
    with clock.stage("ingest"):
        doc = replace(ingest(item.path, limits), document_id=item.document_id)
    batch.page_starts[doc.document_id] = doc.page_starts
    batch.files[doc.document_id] = (doc.size, doc.sha256)
    batch.rows["findings"] += [finding_to_row(f, doc.page_starts) for f in _ingest_findings(doc, rules, limits)]
    with clock.stage("layout"):
        soft = doc.soft if doc.soft is not None else soft_breaks(doc.text)
        starts = [rules.member_heading] + [h.pattern for h in rules.headings]
        doc = replace(doc, soft=hard_before(doc.match_text, soft, starts, rules.bullet_re))
    with clock.stage("detect"):
        detection = detect_format(doc.match_text, rules)
    if not detection.format:
        batch.rows["findings"].append(finding_to_row(make_finding(
            rules, doc.document_id, "", "format_unknown", "documents", "document",
            f"unknown format (looked for {detection.looked_for})")))
        return 0
    doc = replace(doc, source_format=detection.format)
    batch.formats[doc.document_id] = detection.format
    if detection.format == "challenge_page":
        batch.challenge_pages.append((doc, detection))
        return 0
    with clock.stage("segment"):
        if detection.format == "web_profile":  # the title names the city
            seg, matches = segment_profile(doc, rules)
            index = mention_index(seg.members, rules)
        else:
            seg = segment(doc, rules)
            index = mention_index(seg.members, rules)
            matches = identify(seg, rules, index)
    batch.members[doc.document_id] = (seg.members, index)
    found = [make_finding(rules, doc.document_id, "", "text_outside_portraits", "documents", f"text@{s.start}",
                          "Text outside any portrait (front matter or back cover).",
                          " ".join(doc.match_text[s.start:s.end].split())[:200], s.start, s.end)
             for s in seg.outside]
    if not seg.portraits:
        found.append(make_finding(rules, doc.document_id, "", "no_portraits", "documents", "document",
                                  "no portrait found (no indicator table or section headings)"))
    with clock.stage("portraits"):
        for portrait, match in zip(seg.portraits, matches):
            found += _portrait(doc, portrait, match, detection, rules, batch)
    with clock.stage("themes"):
        text_of = lambda _document_id: doc.match_text  # noqa: E731 (this batch holds one document)
        themes = rows_to_themes(batch.rows["sections"], batch.rows["items"], text_of, rules.themes)
        events = sections_to_events(batch.rows["sections"], text_of, rules.events, seg.published_year)
        batch.rows["themes"] += [with_page(r, doc.page_starts) for r in themes]
        batch.rows["events"] += [with_page(r, doc.page_starts) for r in events]
    batch.rows["findings"] += [finding_to_row(f, doc.page_starts) for f in found]
    return len(seg.portraits)


def _ingest_findings(doc: Document, rules: Rules, limits: Limits) -> list[Finding]:
    """What reading the file left doubtful: a guessed encoding, lines too long to extract."""
    found = []
    if doc.encoding in GUESSED_ENCODINGS:
        found.append(make_finding(rules, doc.document_id, "", "encoding_guessed", "documents", "encoding",
                                  f"not UTF-8 and no byte order mark: read as {GUESSED_ENCODINGS[doc.encoding]}",
                                  doc.encoding))
    for s in doc.masked:
        found.append(make_finding(rules, doc.document_id, "", "line_too_long", "documents", f"line@{s.start}",
                                  f"a line of {s.end - s.start:,} characters (over the limit of "
                                  f"{limits.max_line_chars:,}, --max-line-chars) was not extracted",
                                  doc.text[s.start:s.start + 200], s.start, s.end))
    return found


def _portrait(doc: Document, portrait: Portrait, match: CityMatch | None, detection: Detection, rules: Rules,
              batch: _Batch) -> list[Finding]:
    """Extract one portrait into ``batch``; the findings that are not the result's."""
    if match is None:
        return [make_finding(rules, doc.document_id, f"portrait-{portrait.index + 1}", "city_unidentified",
                             "cities", "city", "No member city could be tied to this portrait.", "",
                             portrait.span.start, portrait.span.end)]
    ctx = Context(doc, rules, portrait, match.city_id)
    if match.repeats is not None:
        return [ctx.finding("portrait_duplicated", "cities", "portrait",
                            f"portrait {portrait.index + 1} repeats portrait {match.repeats + 1} "
                            f"({match.member.city}); the first is kept",
                            " ".join(doc.match_text[portrait.span.start:portrait.span.end].split())[:200],
                            portrait.span.start, portrait.span.end)]
    found = []
    if match.score <= PRIOR:
        found.append(ctx.finding("city_evidence_weak", "cities", "city",
                                 f"Only the portrait's place in the member list ties it to {match.member.city}.",
                                 match.evidence, portrait.span.start, portrait.span.end))
    if not match.member.country_code:
        found.append(ctx.finding("country_unknown", "cities", "country",
                                 f"The country {match.member.country!r} is not a known country name.",
                                 match.member.country, match.member.span.start, match.member.span.end))
    try:
        result = extract_portrait(ctx, match)
    except Exception as exc:  # one bad portrait never stops the batch
        return found + [ctx.finding("extractor_failed", "cities", "portrait",
                                    f"portrait {portrait.index + 1} failed: {_failure(exc)}", "",
                                    portrait.span.start, portrait.span.end)]
    batch.results.append(result)
    for table, new in result_to_rows(result, doc, detection.evidence).items():
        batch.rows[table] += new
    return found + list(result.findings)


def _failure(exc: BaseException) -> str:
    """``exc`` as a short phrase naming where in the code it happened."""
    last = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" ({Path(last.filename).name}:{last.lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _challenge_page(doc: Document, detection: Detection, rules: Rules, batch: _Batch, known: tuple) -> int:
    with batch.clock.stage("challenge_pages"):
        page = extract_challenge(doc, rules, known)
    for table, new in challenge_to_rows(page, doc, detection.evidence).items():
        batch.rows[table] += new
    batch.rows["findings"] += [finding_to_row(f, doc.page_starts) for f in page.findings]
    return 0


def _guarded(document_id: str, work, batch: _Batch, rules: Rules, limits: Limits) -> int:
    """Run ``work()`` (one document's extraction into ``batch``) within the
    time budget; if it fails as a whole, roll back what it added and record
    why as an ``error`` finding. The number of portraits it found."""
    mark = batch.mark()
    try:
        with time_budget(limits.document_seconds):
            return work()
    except InputError as exc:
        code, message = "document_unreadable", exc.reason
    except TimeBudgetExceeded as exc:
        code, message = "time_budget_exceeded", f"{exc} (--time-budget); nothing of it was extracted"
    except Exception as exc:  # a fault in a stage stops this document only
        code, message = "extractor_failed", f"failed: {_failure(exc)}; nothing of it was extracted"
    batch.rollback(mark, document_id)
    batch.rows["findings"].append(finding_to_row(make_finding(
        rules, document_id, "", code, "documents", "document", message)))
    return 0


def _report(rows: list[dict], paths: dict[str, str], rules: Rules, say) -> None:
    """One stderr line per problem: per document, city and code, the first
    ``error`` finding's message (or that of a code marked ``stderr`` in
    ``rules/findings.yaml``) and how many more there are of that code."""
    said: dict[tuple, list[dict]] = {}
    for r in rows:
        if r["severity"] == "error" or rules.findings[r["code"]].stderr:
            said.setdefault((r["document_id"], r["city_id"], r["code"]), []).append(r)
    for (document_id, city_id, code), found in said.items():
        where = [paths.get(document_id, document_id) or "batch"] + ([city_id] if city_id else [])
        more = f" (and {len(found) - 1} more {code})" if len(found) > 1 else ""
        say(one_line(": ".join(where + [found[0]["message"]]) + more))


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
    say = say or (lambda line: print(line, file=sys.stderr))
    summary = RunSummary()
    batch = _Batch()
    rows = batch.rows
    paths_of: dict[str, str] = {}
    items = input_files(paths, skip)
    if progress:
        progress.start(len(items))
    portraits_of: dict[str, int] = {}
    for item, (done, portraits) in zip(items, _documents(items, rules, limits, workers)):
        summary.documents += 1
        paths_of[item.document_id] = str(item.path)
        start = len(rows["findings"])
        batch.merge(done)
        portraits_of[item.document_id] = portraits
        summary.portraits += portraits
        _report(rows["findings"][start:], paths_of, rules, say)
        if progress:
            progress.advance(item.document_id, portraits_of[item.document_id])
    known = tuple(sorted({(m.city, m.country, m.country_code) for members, _ in batch.members.values()
                          for m in members}))
    for doc, detection in list(batch.challenge_pages):
        start = len(rows["findings"])
        _guarded(doc.document_id, lambda: _challenge_page(doc, detection, rules, batch, known),
                 batch, rules, limits)
        _report(rows["findings"][start:], paths_of, rules, say)
    start = len(rows["findings"])
    with batch.clock.stage("validate"):
        rows["findings"] += [finding_to_row(f, batch.page_starts.get(f.document_id, (0,)))
                             for f in validate(batch.results, batch.members, rules)]
    with batch.clock.stage("themes"):
        rows["partners"] = themes_to_partners(rows["themes"])
    with batch.clock.stage("tables"):
        frames = {t: to_frame(t, rows[t]) for t in TABLES if t != "findings"}
        rows["findings"] += [finding_to_row(f) for f in _schema_findings(frames, rules)]
        frames["findings"] = to_frame("findings", _unique_findings(rows["findings"]))
    _report(rows["findings"][start:], paths_of, rules, say)
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
    batch, _ = _one_document(Input(Path(path), Path(path).name), rules, limits)
    for doc, detection in list(batch.challenge_pages):
        _guarded(doc.document_id, lambda: _challenge_page(doc, detection, rules, batch, ()), batch, rules, limits)
    return batch.rows


def _schema_findings(frames: dict[str, pd.DataFrame], rules: Rules) -> list[Finding]:
    out = []
    for table, frame in frames.items():
        for case in validate_frame(table, frame):
            row = frame.loc[case["row"]] if case.get("row") in frame.index else None
            doc_id, city = ("", "") if row is None else (row.get("document_id"), row.get("city_id"))
            out.append(make_finding(
                rules, "" if pd.isna(doc_id) else doc_id, "" if pd.isna(city) else city,
                "schema_violation", table, f"{case.get('column')}:{case.get('check')}",
                f"{table}.{case.get('column')} fails {case.get('check')}.", str(case.get("value"))))
    return out


def run(paths: list[str | Path], out_dir: str | Path, rules: Rules, say=None,
        limits: Limits = Limits(), progress: Progress | None = None, workers: int = 1) -> RunSummary:
    """Extract every document of ``paths`` into the tables of ``out_dir``,
    with the run's record as ``run.json``."""
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
