"""Stage 5, items: the list entries of a portrait's sections → ``Item`` records.

Entries are numbered by position within their section (1-based), whatever
their printed marker. An entry broken onto a second bullet (``- establishing
good conditions for`` / ``- learning; and``) is joined again: the first ends
with a continuation word and no punctuation, the second starts in lower case."""
from __future__ import annotations

from .blocks import Block
from .findings import Context
from .textutil import last_word
from .types import Extracted, Item


def _broken(prev: Block, nxt: Block, words: frozenset[str]) -> bool:
    t = prev.text.rstrip()
    return (t[-1:].isalpha() and last_word(t) in words and not t[:-len(last_word(t))].rstrip().endswith((";", ","))
            and nxt.text[:1].islower())


def extract_items(ctx: Context, blocks_by_section: dict[str, list[Block]]) -> Extracted:
    records, findings = [], []
    for section, blocks in blocks_by_section.items():
        entries: list[Block] = []
        for b in blocks:
            if b.kind != "item":
                continue
            if entries and entries[-1].end < b.start and _broken(entries[-1], b, ctx.rules.continuation_words):
                prev = entries[-1]
                findings.append(ctx.finding("item_rejoined", "items", f"{section}:{len(entries)}",
                                            "A list entry broken onto a second bullet was joined again.",
                                            prev.text + " / " + b.text, prev.start, b.end))
                entries[-1] = Block("item", prev.marker, prev.marker_raw, prev.level,
                                    prev.text + " " + b.text, prev.start, b.end)
                continue
            entries.append(b)
        for pos, b in enumerate(entries, 1):
            records.append(Item(section=section, position=pos, marker=b.marker, marker_raw=b.marker_raw,
                                level=b.level, text=b.text, char_start=b.start, char_end=b.end,
                                rule="item.marker"))
    return Extracted(tuple(records), (), tuple(findings))
