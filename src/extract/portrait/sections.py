"""Stage 4, sections: a portrait's body → intro, vision, challenges, plan.

Headings (``rules/headings.yaml``) are searched in their printed order from
the end of the indicator table; each section runs to the next heading found.
The text is re-joined from its blocks (see ``blocks``): one line per paragraph
or list entry, quotes and their speakers left out."""
from __future__ import annotations

import regex

from extract.portrait.blocks import Block, lines_to_blocks
from extract.portrait.context import Context
from extract.rules import Heading
from extract.rules.derived import derived
from extract.rules.formats import format_rules
from extract.types import Extracted, Finding, Section, Span

# How ``rules.headings`` builds a heading's pattern, up to the heading itself:
# at a line start, or glued to the text before it, after spaces or tabs.
_LEAD = r"(?:^|(?<=[^\s]))[ \t]*"
_SPECIAL = set("()[]{}.^$*+?|\\#")


def _heading_tails(headings: tuple[Heading, ...]) -> tuple:
    """For each heading, its pattern without the lead (``_LEAD``), compiled,
    when the heading it names starts with a literal character that is not
    white space; else None (the pattern is searched as it is).

    The lead matches only where a run of spaces and tabs starts: at a line
    start or after a character that is not white space; the rest cannot
    start on a space or tab, so it starts where the run ends. The pattern's
    first match from ``cursor`` is therefore the first match of the tail at
    some ``q`` where the pattern matches from the start of the run of spaces
    and tabs before ``q`` (not before ``cursor``): the tail, which starts
    with a literal, is found quickly; the pattern is then tried at one place."""
    out = []
    for h in headings:
        src, flags = h.pattern.pattern, h.pattern.flags
        rest = src[len(_LEAD):]
        first = rest[len("(?P<h>"):len("(?P<h>") + 2]
        literal = (first[:1] == "\\" and first[1:] and not first[1:].isalnum() and not first[1:].isspace()) or \
                  (first[:1] and first[:1] not in _SPECIAL and not first[:1].isspace())
        if src.startswith(_LEAD) and rest.startswith("(?P<h>") and literal and not flags & regex.VERBOSE:
            out.append(regex.compile(rest, flags))
        else:
            out.append(None)
    return tuple(out)


def _headings(ctx: Context, start: int, end: int) -> list[tuple[str, str, int, int]]:
    """(section, rule id, heading start, heading end) in order of appearance."""
    found, cursor, text = [], start, ctx.text
    for h, tail in zip(ctx.rules.headings, derived(_heading_tails, ctx.rules.headings)):
        if tail is None:
            m = h.pattern.search(text, cursor, end)
        else:
            m, pos = None, cursor
            while m is None:
                t = tail.search(text, pos, end)
                if t is None:
                    break
                lead = t.start()  # where the run of spaces and tabs before the heading starts
                while lead > cursor and text[lead - 1] in " \t":
                    lead -= 1
                m = h.pattern.match(text, lead, end)
                pos = t.start() + 1
        if m is None:
            continue
        found.append((h.section, h.id, _numbered_start(text, m.start("h"), h.number), m.end()))
        cursor = m.end()
    return found


def _numbered_start(text: str, at: int, number) -> int:
    """Where a heading found at ``at`` starts: at its number (``number``)
    when that is all its line holds before it."""
    if number is None:
        return at
    line = text.rfind("\n", 0, at) + 1
    m = number.fullmatch(text, line, at) if line < at else None
    return m.start("n") if m else at


def _as_printed(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """The lines of ``text[start:end]`` that are not blank, each with its
    white space folded, one a line, and where the first starts and the
    last ends (trimmed); None when there are none."""
    folded, first, last, pos = [], 0, 0, start
    for line in text[start:end].split("\n"):
        if line.strip():
            if not folded:
                first = pos + len(line) - len(line.lstrip())
            folded.append(" ".join(line.split()))
            last = pos + len(line.rstrip())
        pos += len(line) + 1
    return ("\n".join(folded), first, last) if folded else None


def _empty(ctx: Context, section: str, heading: tuple) -> Finding:
    """The finding of a heading (start, end) with no text under it."""
    return ctx.finding("section_empty", "sections", section, f"The {section!r} heading has no text under it.",
                       ctx.text[heading[0]:heading[1]], *heading)


def block_text(blocks: list[Block]) -> str:
    return "\n".join(f"{b.marker_raw} {b.text}" if b.kind == "item" else b.text for b in blocks)


def extract_sections(ctx: Context, start: int, end: int, cut: tuple[Span, ...]
                     ) -> tuple[Extracted, dict[str, list[Block]], tuple[int, int] | None]:
    """Sections of ``ctx.text[start:end]``, their blocks, and the span of the
    contact block (after its heading) if there is one."""
    heads = _headings(ctx, start, end)
    seen = {h[0] for h in heads}
    fmt = format_rules(ctx.rules.formats, ctx.doc.source_format)
    expected = set(fmt.sections) if fmt else {h.section for h in ctx.rules.headings}
    findings = [ctx.finding("section_missing", "sections", h.section,
                            f"The portrait has no {h.section!r} section (heading {h.id}).")
                for h in ctx.rules.headings if h.section not in seen and h.section in expected]
    bounds = [("intro", "section.intro", start, start)] + heads
    records, by_section, contact = [], {}, None
    claimed = [Span(h[2], h[3]) for h in heads]
    for k, (section, rule, head_start, body_start) in enumerate(bounds):
        body_end = bounds[k + 1][2] if k + 1 < len(bounds) else end
        heading = (head_start, head_start + len(ctx.text[head_start:body_start].rstrip(" \t:\n"))) if k else (None, None)
        if section == "contact":  # read by ``contacts``; its row keeps the block as printed
            contact = (body_start, body_end)
            printed = _as_printed(ctx.text, body_start, body_end)
            if printed:
                records.append(Section(section, *printed, rule, *heading))
            else:
                findings.append(_empty(ctx, section, heading))
                records.append(Section(section, "", body_start, body_start, rule, *heading))
            continue
        blocks, found = lines_to_blocks(ctx, body_start, body_end, cut, section)
        findings += found
        claimed.append(Span(body_start, body_end))
        if not blocks:
            if k:  # a heading with nothing under it: the row keeps where the heading is
                findings.append(_empty(ctx, section, heading))
                records.append(Section(section, "", body_start, body_start, rule, *heading))
            continue
        by_section[section] = blocks
        records.append(Section(section, block_text(blocks), blocks[0].start, blocks[-1].end, rule, *heading))
    return Extracted(tuple(records), tuple(claimed), tuple(findings)), by_section, contact
