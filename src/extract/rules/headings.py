"""``headings`` rules (``headings.yaml``): the section headings of a portrait,
in the order a portrait prints them."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import regex

from extract.errors import RuleError
from extract.rules.base import RuleFile, compile_pattern, need, phrases_of

SECTIONS = ("vision", "challenges", "plan", "contact")


@dataclass(frozen=True)
class Heading:
    id: str
    section: str
    pattern: Any
    number: Any = None  # a heading's number (``2. ``), between its line's start and it: part of the heading


def word_forms(word: str, signs: Mapping[str, list]) -> list[str]:
    """How a heading's word may be printed: as written, capitalised, in
    capitals, or as one of its ``signs`` (``and`` → ``&``); never in lower
    case unless written so (a wrapped line of prose starts in lower case)."""
    forms = [word, word[:1].upper() + word[1:], word.upper(), *map(str, signs.get(word.casefold(), ()))]
    return list(dict.fromkeys(forms))


def heading_re(phrase: str, signs: Mapping[str, list], lead: str = "") -> str:
    """A heading's phrase as a pattern: its words in any of their forms
    (``word_forms``), any white space between them; ``lead``, the first
    character every form of its first word opens with, left out (the caller
    sets it in front)."""
    out = []
    for n, word in enumerate(phrase.split()):
        forms = [f[len(lead):] for f in word_forms(word, signs)] if n == 0 else word_forms(word, signs)
        out.append(regex.escape(forms[0]) if len(forms) == 1 else "(?:" + "|".join(map(regex.escape, forms)) + ")")
    return r"\s+".join(out)


def phrases_re(phrases: list[str], signs: Mapping[str, list]) -> str:
    """A heading printed as one of ``phrases`` (``heading_re`` each; the
    longest first): a phrase of one word only where a colon or the line's
    end follows it (``Contact:``; a line of prose may start with the word).
    The first character every form of every phrase opens with, when they
    share one, stands in front as a literal, which ``portrait/sections.py``
    searches for first."""
    ordered = sorted(phrases, key=len, reverse=True)
    firsts = [f for p in ordered for f in word_forms(p.split()[0], signs)]
    lead = firsts[0][:1] if all(f[:1] == firsts[0][:1] and len(f) > 1 for f in firsts) else ""
    parts = [heading_re(p, signs, lead) + (r"(?=[ \t]*(?::|$))" if len(p.split()) == 1 else "") for p in ordered]
    return regex.escape(lead) + (parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")")


def load_headings(rf: RuleFile) -> tuple[Heading, ...]:
    """Each heading's pattern: its phrase (``heading_re``) at a line start,
    glued to a word before it (scraped text) or after spaces or tabs that
    follow other text on its line (a number, a column beside it); the
    file's ``numbering`` on each heading, for ``portrait/sections.py``."""
    rf.keys(("rules", "word_signs", "numbering"))
    signs = rf.data.get("word_signs") or {}
    if not isinstance(signs, dict) or not all(isinstance(v, list) and all(isinstance(x, str) and x for x in v)
                                              for v in signs.values()):
        raise RuleError(rf.name, "word_signs", "word_signs must map a word to a list of the signs printed for it")
    signs = {str(k).casefold(): v for k, v in signs.items()}
    numbering = rf.data.get("numbering")
    number = compile_pattern(rf.name, "numbering", rf"[ \t]*(?P<n>{numbering})[ \t]+") if numbering else None
    out = []
    for r in rf.list("rules"):
        rid = need(rf.name, r, ("section", "phrase"), ("suffix",))
        if r["section"] not in SECTIONS:
            raise RuleError(rf.name, rid, f"section must be one of {', '.join(SECTIONS)}, not {r['section']!r}")
        pat = rf"(?:^|(?<=[^\s]))[ \t]*(?P<h>{phrases_re(phrases_of(rf.name, rid, r['phrase']), signs)})" \
              f"{r.get('suffix', '')}"
        out.append(Heading(rid, r["section"], compile_pattern(rf.name, rid, pat, regex.M), number))
    return tuple(out)
