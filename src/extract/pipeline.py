"""Run the stages over a batch of documents and write the tables.

``run`` never stops on one bad document or portrait: a file that cannot be
read, a document without portraits or an extractor that fails becomes an
``error`` finding and one line on stderr, and the batch goes on."""
from __future__ import annotations

import sys

import pandas as pd
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from .challenges import extract_challenge
from .detect import Detection, detect_format
from .errors import InputError
from .findings import Context, make_finding
from .identify import PRIOR, identify
from .ingest import ingest
from .mentions import mention_index
from .portrait import extract_portrait
from .records import challenge_to_rows, finding_to_row, result_to_rows
from .rules import Rules
from .schemas import TABLES, to_frame, validate_frame
from .profile import segment_profile
from .segment import segment
from .types import CityMatch, Document, Finding, Portrait, PortraitResult
from .validate import validate
from .wrapping import hard_before, soft_breaks
from .write import write_tables

@dataclass
class RunSummary:
    documents: int = 0
    portraits: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    problems: list[str] = field(default_factory=list)


def input_files(paths: list[str | Path]) -> list[Path]:
    """Files named, and the files of folders named (not hidden), sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and not any(
                part.startswith(".") for part in f.relative_to(p).parts))
        else:
            out.append(p)
    return out


@dataclass
class _Batch:
    """What the documents of a run add up to before validation across them."""

    rows: dict[str, list] = field(default_factory=lambda: {t: [] for t in TABLES})
    results: list[PortraitResult] = field(default_factory=list)
    members: dict = field(default_factory=dict)
    page_starts: dict[str, tuple[int, ...]] = field(default_factory=dict)
    challenge_pages: list[tuple[Document, Detection]] = field(default_factory=list)


def _document(path: Path, rules: Rules, batch: _Batch, say) -> int:
    """Ingest, detect and extract one document into ``batch``; the number of
    portraits found. Challenge pages wait in ``batch.challenge_pages`` until
    every other document has named its cities."""
    doc = ingest(path)
    batch.page_starts[doc.document_id] = doc.page_starts
    soft = doc.soft if doc.soft is not None else soft_breaks(doc.text)
    starts = [rules.member_heading] + [h.pattern for h in rules.headings]
    doc = replace(doc, soft=hard_before(doc.match_text, soft, starts, rules.bullet_re))
    detection = detect_format(doc.match_text, rules)
    if not detection.format:
        say(f"{path}: unknown format (looked for {detection.looked_for})")
        batch.rows["findings"].append(finding_to_row(make_finding(
            rules, doc.document_id, "", "format_unknown", "documents", "document",
            f"The document is of no known format; looked for {detection.looked_for}.")))
        return 0
    doc = replace(doc, source_format=detection.format)
    if detection.format == "challenge_page":
        batch.challenge_pages.append((doc, detection))
        return 0
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
                                  "No portrait (indicator table or section headings) was found in the document."))
        say(f"{path}: no portrait found")
    for portrait, match in zip(seg.portraits, matches):
        found += _portrait(doc, portrait, match, detection, rules, batch, say)
    batch.rows["findings"] += [finding_to_row(f, doc.page_starts) for f in found]
    return len(seg.portraits)


def _portrait(doc: Document, portrait: Portrait, match: CityMatch | None, detection: Detection, rules: Rules,
              batch: _Batch, say) -> list[Finding]:
    """Extract one portrait into ``batch``; the findings that are not the result's."""
    if match is None:
        return [make_finding(rules, doc.document_id, f"portrait-{portrait.index + 1}", "city_unidentified",
                             "cities", "city", "No member city could be tied to this portrait.", "",
                             portrait.span.start, portrait.span.end)]
    ctx = Context(doc, rules, portrait, match.city_id)
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
        last = traceback.extract_tb(exc.__traceback__)[-1]
        say(f"{doc.path}: portrait {portrait.index + 1} ({match.city_id}) failed: {exc}")
        return found + [ctx.finding("extractor_failed", "cities", "portrait",
                                    f"Extraction failed: {type(exc).__name__}: {exc} "
                                    f"({Path(last.filename).name}:{last.lineno}).", "",
                                    portrait.span.start, portrait.span.end)]
    batch.results.append(result)
    for table, new in result_to_rows(result, doc, detection.evidence).items():
        batch.rows[table] += new
    return found + list(result.findings)


def _challenge_pages(batch: _Batch, rules: Rules, say) -> None:
    """Extract the challenge pages, knowing the cities every other document named."""
    known = tuple(sorted({(m.city, m.country, m.country_code) for members, _ in batch.members.values()
                          for m in members}))
    for doc, detection in batch.challenge_pages:
        try:
            page = extract_challenge(doc, rules, known)
        except Exception as exc:  # one bad page never stops the batch
            say(f"{doc.path}: challenge page failed: {exc}")
            batch.rows["findings"].append(finding_to_row(make_finding(
                rules, doc.document_id, "", "extractor_failed", "challenges", "page",
                f"Extraction failed: {type(exc).__name__}: {exc}.")))
            continue
        for table, new in challenge_to_rows(page, doc, detection.evidence).items():
            batch.rows[table] += new
        batch.rows["findings"] += [finding_to_row(f, doc.page_starts) for f in page.findings]


def run(paths: list[str | Path], out_dir: str | Path, rules: Rules, say=None) -> RunSummary:
    """Extract every document of ``paths`` into the tables of ``out_dir``."""
    say = say or (lambda line: print(line, file=sys.stderr))
    summary = RunSummary()
    batch = _Batch()
    rows = batch.rows
    for path in input_files(paths):
        summary.documents += 1
        try:
            summary.portraits += _document(path, rules, batch, say)
        except InputError as exc:
            say(str(exc))
            rows["findings"].append(finding_to_row(make_finding(
                rules, path.name, "", "document_unreadable", "documents", "document", exc.reason)))
    _challenge_pages(batch, rules, say)
    rows["findings"] += [finding_to_row(f, batch.page_starts.get(f.document_id, (0,)))
                         for f in validate(batch.results, batch.members, rules)]
    frames = {t: to_frame(t, rows[t]) for t in TABLES if t != "findings"}
    schema_findings: list[Finding] = []
    for table, frame in frames.items():
        for case in validate_frame(table, frame):
            row = frame.loc[case["row"]] if case.get("row") in frame.index else None
            doc_id, city = ("", "") if row is None else (row.get("document_id"), row.get("city_id"))
            schema_findings.append(make_finding(
                rules, "" if pd.isna(doc_id) else doc_id, "" if pd.isna(city) else city,
                "schema_violation", table, f"{case.get('column')}:{case.get('check')}",
                f"{table}.{case.get('column')} fails {case.get('check')}.", str(case.get("value"))))
    rows["findings"] += [finding_to_row(f) for f in schema_findings]
    frames["findings"] = to_frame("findings", _unique_findings(rows["findings"]))
    write_tables(frames, out_dir)
    summary.rows = {t: len(f) for t, f in frames.items()}
    summary.errors = int((frames["findings"]["severity"] == "error").sum())
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
