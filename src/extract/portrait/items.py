"""Stage 5, items: the list entries of a portrait's sections → ``Item`` records.

Entries are numbered by position within their section (1-based), whatever
their printed marker. An entry broken onto a second bullet has already been
joined again by ``blocks``, so the section text and the items agree."""
from __future__ import annotations

from extract.portrait.blocks import Block
from extract.portrait.context import Context
from extract.types import Extracted, Item


def extract_items(ctx: Context, blocks_by_section: dict[str, list[Block]]) -> Extracted:
    records = []
    for section, blocks in blocks_by_section.items():
        entries = [b for b in blocks if b.kind == "item"]
        for pos, b in enumerate(entries, 1):  # (section, position, marker, marker_raw, level, text, start, end, rule)
            records.append(Item(section, pos, b.marker, b.marker_raw, b.level, b.text, b.start, b.end, "item.marker"))
    return Extracted(tuple(records), (), ())
