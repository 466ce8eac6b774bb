"""Lines of a section → blocks: paragraphs and list entries.

Wrapped lines of a paragraph are joined; a list entry runs from its marker
(``-``, ``·``, ``2.``, ``1)``, or several: ``- 2.``) over the lines that go on
from it (indented, or not ending a sentence before a lower-case line);
paragraphs broken by a page break are joined again. Spans cut out (quotes)
are left out as if they were blank."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from extract.portrait.context import Context
from extract.read.textutil import continues, last_word, lines_of, squash
from extract.types import Finding, Span


@dataclass(frozen=True)
class Block:
    kind: str  # "para" or "item"
    marker: str
    marker_raw: str
    level: int
    text: str
    start: int
    end: int


def _visible(text: str, start: int, end: int, cut: Sequence[Span]) -> list[tuple[int, int]]:
    """Pieces of ``[start, end)`` outside the ``cut`` spans (sorted by start)."""
    if not cut:
        return [(start, end)] if text[start:end].strip() else []
    pieces, pos = [], start
    for c in cut:
        if c.end <= pos or c.start >= end:
            continue
        if c.start > pos:
            pieces.append((pos, c.start))
        pos = max(pos, c.end)
    if pos < end:
        pieces.append((pos, end))
    return [(s, e) for s, e in pieces if text[s:e].strip()]


def lines_to_blocks(ctx: Context, start: int, end: int, cut: tuple[Span, ...],
                    section: str = "") -> tuple[list[Block], list[Finding]]:
    text, rules = ctx.text, ctx.rules.text
    blocks: list[Block] = []
    findings: list[Finding] = []
    gap = True  # a blank line (or cut text) since the last block line
    soft = False  # whether the line above wraps on into the next
    cut = sorted((c for c in cut if c.end > start and c.start < end), key=lambda c: c.start)
    for line in lines_of(text, start, end):
        soft, wraps = line.end in ctx.soft, soft  # `soft` now tells whether this line wraps on
        pieces = _visible(text, line.start, line.end, cut)
        if not pieces:
            gap = True
            continue
        for s, e in pieces:
            seg = text[s:e]
            # A marker on a line wrapped into from the line above is text, not a list entry.
            m = rules.bullet_re.match(seg) if s == pieces[0][0] and not wraps else None
            body_s = s + (m.end() if m else len(seg) - len(seg.lstrip()))
            body = text[body_s:e].rstrip()
            if m and not body:  # a marker with nothing after it
                lead = s + len(seg) - len(seg.lstrip())
                findings.append(ctx.finding("item_empty", "items", f"item@{lead}", "A list marker with no text after it.",
                                            text[lead:e].strip(), lead, lead + len(text[lead:e].strip())))
                continue
            if m:
                marker_raw = m.group("marker").strip()
                level = 2 if m.group("indent") else 1
                lead = s + len(seg) - len(seg.lstrip())  # the entry starts at its marker
                blocks.append(Block("item", marker_raw.split()[-1], marker_raw, level, squash(body),
                                    lead, body_s + len(body)))
            elif blocks and not gap and (wraps or _goes_on(blocks[-1], seg, line.start == s, bool(ctx.soft))):
                last = blocks[-1]
                blocks[-1] = replace(last, text=squash(last.text + " " + body), end=body_s + len(body))
            else:
                blocks.append(Block("para", "", "", 0, squash(body), body_s, body_s + len(body)))
            gap = False
    return _rejoin(ctx, blocks, findings, section), findings


def _goes_on(last: Block, seg: str, at_line_start: bool, wrapped: bool) -> bool:
    """Whether a line without a marker, not wrapped into from the line above,
    continues the block above it. In a wrapped text only a sentence going on
    in lower case does; otherwise a paragraph runs to a blank line."""
    if last.kind == "para" and not wrapped:
        return True
    if last.kind == "item" and at_line_start and seg[:1] in " \t":
        return True  # a hanging indent under a list entry
    return not last.text.rstrip().endswith((".", ";", ":", "!", "?")) and seg.lstrip()[:1].islower()


def _broken_entry(prev: Block, nxt: Block, words: frozenset[str]) -> bool:
    """Whether list entry ``nxt`` is the rest of ``prev``, broken onto a second
    bullet (``- establishing good conditions for`` / ``- learning; and``):
    ``prev`` ends with a continuation word and no punctuation, ``nxt`` starts
    in lower case."""
    t = prev.text.rstrip()
    return (t[-1:].isalpha() and last_word(t) in words and not t[:-len(last_word(t))].rstrip().endswith((";", ","))
            and nxt.text[:1].islower())


def _rejoin(ctx: Context, blocks: list[Block], findings: list[Finding], section: str) -> list[Block]:
    """Paragraphs broken by a page break, and list entries broken onto a
    second bullet, joined again, each with its finding."""
    out: list[Block] = []
    words = ctx.rules.text.continuation_words
    for b in blocks:
        prev = out[-1] if out else None
        if prev and prev.kind == b.kind == "item" and _broken_entry(prev, b, words):
            entry = sum(1 for x in out if x.kind == "item")
            findings.append(ctx.finding("item_rejoined", "items", f"{section}:{entry}",
                                        "A list entry broken onto a second bullet was joined again.",
                                        prev.text + " / " + b.text, prev.start, b.end))
            out[-1] = replace(prev, text=prev.text + " " + b.text, end=b.end)
            continue
        if prev and prev.kind == b.kind == "para" and continues(prev.text, b.text, words):
            findings.append(ctx.finding("paragraph_rejoined", "sections", f"paragraph@{b.start}",
                                        "A paragraph broken by a page break was joined again.",
                                        prev.text[-40:] + " / " + b.text[:40], prev.end, b.start))
            out[-1] = replace(prev, text=prev.text + " " + b.text, end=b.end)
        else:
            out.append(b)
    return out
