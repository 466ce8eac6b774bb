"""One document through the stages, into a ``Batch``:

ingest → layout (soft line breaks) → detect (format) → segment (portraits,
member list) → identify (each portrait's city) → extract (each portrait's
records) → enrich (themes, events). A challenge page waits in the batch
until every other document has named its cities (``challenge_page``)."""
from __future__ import annotations

import unicodedata
from dataclasses import replace

import regex

from extract.challenge.page import ChallengePageRules, extract_challenge
from extract.enrich.events import sections_to_events
from extract.enrich.themes import rows_to_themes
from extract.errors import InputError
from extract.findings import make_finding
from extract.pipeline.batch import Batch, failure, guarded
from extract.pipeline.inputs import Input
from extract.portrait.context import Context, PortraitRules
from extract.portrait.extract import extract_portrait
from extract.portrait.identify import PRIOR, candidates_note, identify
from extract.portrait.mentions import mention_index
from extract.portrait.profile import segment_profile
from extract.portrait.segment import SegmentRules, segment
from extract.read.detect import Detection, detect_format
from extract.read.furniture import drop_furniture
from extract.read.ingest import ENCODING_NAMES, GUESSED_ENCODINGS, ingest
from extract.read.layout import TextLines, continued_breaks, hard_before, soft_breaks
from extract.read.limits import Limits
from extract.read.markdown import read_markdown
from extract.read.textutil import OTHER_DIGIT, blank, non_ascii
from extract.rules import Rules
from extract.rules.formats import format_rules
from extract.tables.records import challenge_to_rows, finding_to_row, result_to_rows, with_page
from extract.types import CityMatch, Document, Finding, NameRepair, Portrait


def one_document(item: Input, rules: Rules, limits: Limits) -> tuple[Batch, int]:
    """One document extracted into a batch of its own (in a worker process
    when a run has several), and the number of its portraits."""
    batch = Batch()
    return batch, guarded(item.document_id, lambda: document(item, rules, batch, limits), batch, rules.findings,
                          limits)


def document(item: Input, rules: Rules, batch: Batch, limits: Limits) -> int:
    """Ingest, detect and extract one document into ``batch``; the number of
    portraits found."""
    clock = batch.clock
    if item.problem:
        raise InputError(str(item.path), item.problem)
    with clock.stage("ingest"):
        doc, markdown = read_markdown(replace(ingest(item.path, limits, rules.text.columns),
                                                  document_id=item.document_id))
    batch.page_starts[doc.document_id] = doc.page_starts
    batch.files[doc.document_id] = (doc.size, doc.sha256)
    batch.rows["findings"] += [finding_to_row(f, doc.page_starts) for f in ingest_findings(doc, rules, limits)]
    if markdown:
        batch.rows["findings"].append(finding_to_row(make_finding(
            rules.findings, doc.document_id, "", "markdown_read", "documents", "document",
            f"read as Markdown ({markdown}): its marks were set aside", "markdown")))
    doc, furniture = drop_furniture(doc)
    if furniture:
        shown = " ".join(doc.text[furniture[0].start:furniture[0].end].split())
        batch.rows["findings"].append(finding_to_row(make_finding(
            rules.findings, doc.document_id, "", "page_furniture_removed", "documents", "document",
            f"{len(furniture)} running header or footer line(s) set aside as page furniture, e.g. {shown!r}",
            shown[:200], furniture[0].start, furniture[0].end), doc.page_starts))
    with clock.stage("layout"):
        plain = blank(doc.text, furniture)
        lines = TextLines.of(plain)
        soft = doc.soft if doc.soft is not None else soft_breaks(plain, lines)
        beside_furniture = {n for s in furniture for n in (s.start - 1, s.end)}
        soft = (soft | continued_breaks(plain, rules.text.continuation_words, lines)) - beside_furniture
        starts = [rules.document.member_heading] + [h.pattern for h in rules.headings]
        doc = replace(doc, soft=hard_before(doc.match_text, soft, starts, rules.text.bullet_re))
    with clock.stage("detect"):
        detection = detect_format(doc.match_text, rules.formats)
    if not detection.format:
        batch.rows["findings"].append(finding_to_row(make_finding(
            rules.findings, doc.document_id, "", "format_unknown", "documents", "document",
            f"unknown format (looked for {detection.looked_for})")))
        return 0
    doc = replace(doc, source_format=detection.format)
    batch.formats[doc.document_id] = detection.format
    if detection.format == "challenge_page":
        batch.challenge_pages.append((doc, detection))
        return 0
    with clock.stage("segment"):
        if detection.format == "web_profile":  # the title names the city
            seg, matches = segment_profile(doc, SegmentRules.of(rules), format_rules(rules.formats, detection.format))
            index = mention_index(seg.members, rules.places)
        else:
            seg = segment(doc, SegmentRules.of(rules))
            index = mention_index(seg.members, rules.places)
            matches = identify(seg, rules.people, rules.places, index)
    batch.members[doc.document_id] = (seg.members, index)
    found = [make_finding(rules.findings, doc.document_id, "", "text_outside_portraits", "documents",
                          f"text@{s.start}", "Text outside any portrait (front matter or back cover).",
                          " ".join(doc.match_text[s.start:s.end].split())[:200], s.start, s.end)
             for s in seg.outside]
    found += [make_finding(rules.findings, doc.document_id, "", "member_entry_unparsed", "documents", "member_list",
                           "A line of the member list is no entry (country and city); it was skipped.",
                           " ".join(doc.match_text[s.start:s.end].split())[:200], s.start, s.end)
              for s in seg.member_unreadable]
    if not seg.portraits:
        found.append(make_finding(rules.findings, doc.document_id, "", "no_portraits", "documents", "document",
                                  "no portrait found (no indicator table or section headings)"))
    portrait_rules = PortraitRules.of(rules)
    with clock.stage("portraits"):
        for portrait, match in zip(seg.portraits, matches):
            if match is None:
                found.append(make_finding(
                    rules.findings, doc.document_id, f"portrait-{portrait.index + 1}", "city_unidentified", "cities",
                    "city", "No city could be tied to this portrait; candidates from its text: "
                    f"{candidates_note(seg, portrait, rules.people, rules.places)}.", "",
                    portrait.span.start, portrait.span.end))
                continue
            found += portrait_to_batch(doc, portrait, match, detection, portrait_rules, batch)
    with clock.stage("themes"):
        text_of = lambda _document_id: doc.match_text  # noqa: E731 (this batch holds one document)
        themes = rows_to_themes(batch.rows["sections"], batch.rows["items"], text_of, rules.themes)
        events = sections_to_events(batch.rows["sections"], text_of, rules.events, seg.published_year)
        batch.rows["themes"] += [with_page(r, doc.page_starts) for r in themes]
        batch.rows["events"] += [with_page(r, doc.page_starts) for r in events]
    batch.rows["findings"] += [finding_to_row(f, doc.page_starts) for f in found]
    return len(seg.portraits)


def ingest_findings(doc: Document, rules: Rules, limits: Limits) -> list[Finding]:
    """What reading the file left doubtful: a guessed encoding, lines too long to extract."""
    found = []
    if doc.encoding in GUESSED_ENCODINGS:
        found.append(make_finding(rules.findings, doc.document_id, "", "encoding_guessed", "documents", "encoding",
                                  f"not UTF-8 and no byte order mark: read as {GUESSED_ENCODINGS[doc.encoding]}",
                                  doc.encoding))
    if doc.replaced:
        at = [m.start() for m in regex.finditer("\ufffd", doc.text)][:20] or [None]
        where = f", the first at character {at[0]:,}" if at[0] is not None else ""
        found.append(make_finding(
            rules.findings, doc.document_id, "", "bytes_replaced", "documents", "encoding",
            f"{doc.replaced:,} byte(s) not valid {ENCODING_NAMES.get(doc.encoding, doc.encoding)} replaced by U+FFFD"
            f"{where}; the rest was read", ", ".join(map(str, at)) if at[0] is not None else "",
            at[0], at[0] + 1 if at[0] is not None else None))
    digits = any(OTHER_DIGIT.match(c) for c in non_ascii(doc.text))  # cheaper than a regex over the text
    other = [m.start() for m in OTHER_DIGIT.finditer(doc.text)] if digits else []
    if other:
        scripts = sorted({unicodedata.name(doc.text[i], "DIGIT").split(" DIGIT")[0].title() for i in other})
        found.append(make_finding(
            rules.findings, doc.document_id, "", "digits_converted", "documents", "digits",
            f"{len(other):,} digit(s) of another script ({', '.join(scripts)}) read as ASCII digits, the first at "
            f"character {other[0]:,}", ", ".join(map(str, other[:20])), other[0], other[0] + 1))
    if doc.repaired:
        found.append(make_finding(rules.findings, doc.document_id, "", "encoding_repaired", "documents", "encoding",
                                  f"the text was damaged by a wrong decoding: {doc.repaired}", doc.repaired[:200]))
    if doc.columns:
        pages = sorted({r.page for r in doc.columns})
        first = doc.columns[0].span
        found.append(make_finding(
            rules.findings, doc.document_id, "", "columns_read", "documents", "document",
            f"{len(doc.columns)} region(s) of two columns side by side on page(s) {page_list(pages)} read column "
            "by column, the left column's lines and then the right column's; offsets point into the text so read",
            page_list(pages), first.start, first.end))
    for s in doc.masked:
        found.append(make_finding(rules.findings, doc.document_id, "", "line_too_long", "documents", f"line@{s.start}",
                                  f"a line of {s.end - s.start:,} characters (over the limit of "
                                  f"{limits.max_line_chars:,}, --max-line-chars) was not extracted",
                                  doc.text[s.start:s.start + 200], s.start, s.end))
    return found


def page_list(pages: list[int]) -> str:
    """``[1, 2, 3, 5]`` → ``1-3, 5``."""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def portrait_to_batch(doc: Document, portrait: Portrait, match: CityMatch, detection: Detection,
                      rules: PortraitRules, batch: Batch) -> list[Finding]:
    """Extract one portrait into ``batch``; the findings that are not the result's."""
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
    elif match.weak:
        found.append(ctx.finding("city_evidence_weak", "cities", "city",
                                 f"Only weak evidence in its text ties the portrait to {match.member.city}.",
                                 match.evidence, portrait.span.start, portrait.span.end))
    if match.member.repair is not None:
        found.append(repair_finding(ctx, match.member.repair))
    if not match.member.country_code:
        found.append(ctx.finding("country_unknown", "cities", "country",
                                 f"The country {match.member.country!r} is not a known country name."
                                 if match.member.country else f"No country could be found for {match.member.city}.",
                                 match.member.country, match.member.span.start, match.member.span.end))
    try:
        result = extract_portrait(ctx, match, batch.results)  # this batch holds one document
    except Exception as exc:  # one bad portrait never stops the batch
        return found + [ctx.finding("extractor_failed", "cities", "portrait",
                                    f"portrait {portrait.index + 1} failed: {failure(exc)}", "",
                                    portrait.span.start, portrait.span.end)]
    batch.results.append(result)
    for table, new in result_to_rows(result, doc, detection.evidence).items():
        batch.rows[table] += new
    return found + list(result.findings)


def repair_finding(ctx: Context, fix: NameRepair) -> Finding:
    """The finding of a city name printed with characters a conversion lost:
    ``name_repaired`` naming the printed and the repaired form, or
    ``name_unrepaired`` naming the names it fits (several, or none)."""
    where = f"at {fix.span.start}–{fix.span.end}"
    scope = f"in {fix.country}" if fix.country else "in any country"
    if fix.repaired:
        return ctx.finding("name_repaired", "cities", "city",
                           f"The city's name is printed {fix.printed!r} ({where}), with characters a conversion "
                           f"lost; {fix.repaired!r} is the one name of the {fix.source} {scope} it fits, and is "
                           f"used for city and city_id.", f"{fix.printed} → {fix.repaired}", fix.span.start, fix.span.end)
    fits = (f"it fits several names of the {fix.source} {scope}: {', '.join(map(repr, fix.candidates))}"
            if fix.candidates else f"no name of the member list or of the gazetteer {scope} fits it")
    return ctx.finding("name_unrepaired", "cities", "city",
                       f"The city's name is printed {fix.printed!r} ({where}), with characters a conversion lost; "
                       f"{fits}: it is used as printed.", fix.printed, fix.span.start, fix.span.end)


def challenge_page(doc: Document, detection: Detection, rules: Rules, batch: Batch, known: tuple) -> int:
    """Read one challenge page into ``batch``, its city looked for among ``known``."""
    with batch.clock.stage("challenge_pages"):
        page = extract_challenge(doc, ChallengePageRules.of(rules), known)
    for table, new in challenge_to_rows(page, doc, detection.evidence).items():
        batch.rows[table] += new
    batch.rows["findings"] += [finding_to_row(f, doc.page_starts) for f in page.findings]
    return 0
