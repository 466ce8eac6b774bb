"""Lines of a section → blocks: paragraphs and list entries.

Wrapped lines of a paragraph are joined; a list entry runs from its marker
(``-``, ``·``, ``2.``, ``1)``, or several: ``- 2.``) over the lines that go on
from it (indented, or not ending a sentence before a lower-case line);
paragraphs broken by a page break are joined again. Spans cut out (quotes)
are left out as if they were blank."""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from extract.portrait.context import Context
from extract.read.textutil import continues, last_word, squash
from extract.types import Finding, Span


class Block(NamedTuple):
    kind: str  # "para" or "item"
    marker: str
    marker_raw: str
    level: int
    text: str
    start: int
    end: int


def _visible(text: str, start: int, end: int, cut: Sequence[Span]) -> list[tuple[int, int, str]]:
    """Pieces of ``[start, end)`` outside the ``cut`` spans (sorted by
    start) that are not blank: where each starts and ends, and its text."""
    pieces, pos = [], start
    for c in cut:
        if c.end <= pos or c.start >= end:
            continue
        if c.start > pos:
            pieces.append((pos, c.start))
        pos = max(pos, c.end)
    if pos < end:
        pieces.append((pos, end))
    return [(s, e, seg) for s, e in pieces if (seg := text[s:e]).strip()]


def lines_to_blocks(ctx: Context, start: int, end: int, cut: tuple[Span, ...],
                    section: str = "") -> tuple[list[Block], list[Finding]]:
    """The blocks of ``ctx.text[start:end]``, line by line, and the findings
    of list markers with nothing after them.

    A block's lines are gathered as their bodies and squashed once when the
    block is done: squashing the bodies joined by spaces gives the text that
    squashing it line by line would (``squash`` only folds white space and
    joins ``- `` between lower-case letters, neither of which depends on
    where the joining started), and the last character of a block's text,
    all that ``_goes_on`` reads of it, is the last of its last body."""
    text, soft_breaks = ctx.text, ctx.soft
    bullet = ctx.rules.text.bullet_re.match
    wrapped = bool(soft_breaks)
    # [kind, marker, marker_raw, level, bodies, start, end] of each block; bodies are right-stripped, not
    # empty, and stripped but for a wrapped line's indent
    open_: list[list] = []
    findings: list[Finding] = []
    gap = True  # a blank line (or cut text) since the last block line
    soft = False  # whether the line above wraps on into the next
    cut = sorted((c for c in cut if c.end > start and c.start < end), key=lambda c: c.start) if cut else ()
    cut_from = min((c.start for c in cut), default=end)  # lines wholly before or after every cut span are whole
    cut_to = max((c.end for c in cut), default=start)
    line_end = start - 1
    # the lines, split once (a line end closing the range leaves an empty line after it: blank, it changes nothing)
    for seg in text[start:end].split("\n"):
        line_start = line_end + 1
        line_end = line_start + len(seg)
        soft, wraps = line_end in soft_breaks, soft  # `soft` now tells whether this line wraps on
        whole = line_end <= cut_from or line_start >= cut_to
        if wraps and whole and open_ and not gap:
            # a whole line wrapped into from the line above goes on its block (no marker is looked for):
            # its body with its indent, which squashing the block's text drops
            body = seg.rstrip()
            if body:
                last = open_[-1]
                last[4].append(body)
                last[6] = line_start + len(body)
            else:
                gap = True
            continue
        if whole:
            pieces = ((line_start, line_end, seg),) if seg.strip() else ()
        else:
            pieces = _visible(text, line_start, line_end, cut)
        if not pieces:
            gap = True
            continue
        first = True
        for s, e, seg in pieces:
            # A marker on a line wrapped into from the line above is text, not a list entry.
            m = bullet(seg) if first and not wraps else None
            first = False
            if m:
                body = seg[m.end():].rstrip()
                lead = s + len(seg) - len(seg.lstrip())  # the entry starts at its marker
                if not body:  # a marker with nothing after it
                    shown = text[lead:e].strip()
                    findings.append(ctx.finding("item_empty", "items", f"item@{lead}",
                                                "A list marker with no text after it.", shown, lead, lead + len(shown)))
                    continue
                marker_raw = m.group("marker").strip()
                open_.append(["item", marker_raw.split()[-1], marker_raw, 2 if m.group("indent") else 1, [body],
                              lead, s + m.end() + len(body)])
            else:
                stripped = seg.lstrip()
                body_s = s + len(seg) - len(stripped)
                body = stripped.rstrip()
                if open_ and not gap and (wraps or _goes_on(open_[-1], seg, line_start == s, wrapped)):
                    last = open_[-1]
                    last[4].append(body)
                    last[6] = body_s + len(body)
                else:
                    open_.append(["para", "", "", 0, [body], body_s, body_s + len(body)])
            gap = False
    blocks = [Block(kind, marker, raw, level, squash(" ".join(bodies)), s, e) for kind, marker, raw, level, bodies, s, e in open_]
    return _rejoin(ctx, blocks, findings, section), findings


def _goes_on(last: list, seg: str, at_line_start: bool, wrapped: bool) -> bool:
    """Whether a line without a marker, not wrapped into from the line above,
    continues the block above it (``last``: its kind and bodies, see
    ``lines_to_blocks``). In a wrapped text only a sentence going on in lower
    case does; otherwise a paragraph runs to a blank line."""
    kind = last[0]
    if kind == "para" and not wrapped:
        return True
    if kind == "item" and at_line_start and seg[:1] in " \t":
        return True  # a hanging indent under a list entry
    return not last[4][-1].endswith((".", ";", ":", "!", "?")) and seg.lstrip()[:1].islower()


def _broken_entry(prev: Block, nxt: Block, words: frozenset[str]) -> bool:
    """Whether list entry ``nxt`` is the rest of ``prev``, broken onto a second
    bullet (``- establishing good conditions for`` / ``- learning; and``):
    ``prev`` ends with a continuation word and no punctuation, ``nxt`` starts
    in lower case."""
    t = prev.text.rstrip()
    if not (nxt.text[:1].islower() and t[-1:].isalpha()):
        return False
    word = last_word(t)
    return word in words and not t[:-len(word)].rstrip().endswith((";", ","))


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
            out[-1] = prev._replace(text=prev.text + " " + b.text, end=b.end)
            continue
        if prev and prev.kind == b.kind == "para" and continues(prev.text, b.text, words):
            findings.append(ctx.finding("paragraph_rejoined", "sections", f"paragraph@{b.start}",
                                        "A paragraph broken by a page break was joined again.",
                                        prev.text[-40:] + " / " + b.text[:40], prev.end, b.start))
            out[-1] = prev._replace(text=prev.text + " " + b.text, end=b.end)
        else:
            out.append(b)
    return out
