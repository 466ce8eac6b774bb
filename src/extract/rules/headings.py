"""``headings`` rules (``headings.yaml``): the section headings of a portrait,
in the order a portrait prints them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from extract.rules.base import RuleFile, compile_pattern, need, phrase_re

SECTIONS = ("vision", "challenges", "plan", "contact")


@dataclass(frozen=True)
class Heading:
    id: str
    section: str
    pattern: Any


def load_headings(rf: RuleFile) -> tuple[Heading, ...]:
    """Each heading at a line start, or glued to a word before it (scraped
    text); never inside a sentence after a space."""
    rf.keys(("rules",))
    out = []
    for r in rf.list("rules"):
        rid = need(rf.name, r, ("section", "phrase"), ("suffix",))
        if r["section"] not in SECTIONS:
            from extract.errors import RuleError
            raise RuleError(rf.name, rid, f"section must be one of {', '.join(SECTIONS)}, not {r['section']!r}")
        pat = rf"(?:^|(?<=[^\s]))[ \t]*(?P<h>{phrase_re(r['phrase'])}){r.get('suffix', '')}"
        out.append(Heading(rid, r["section"], compile_pattern(rf.name, rid, pat, regex.M)))
    return tuple(out)
