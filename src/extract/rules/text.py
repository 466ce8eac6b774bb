"""``text`` rules (``text.yaml``): list markers, quote marks, and the words
after which a paragraph broken by a page break goes on.

Each list marker has a ``class``: ``dash``, ``dot`` or ``number``; a name
without a role may have its role on the next dash entry."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from extract.errors import RuleError
from extract.rules.base import RuleFile, compile_pattern, need

BULLET_CLASSES = ("dash", "dot", "number")


@dataclass(frozen=True)
class TextRules:
    bullet_re: Any      # any list marker: groups ``indent`` and ``marker``
    next_dash_item_re: Any  # line ends, then a dash list entry (group ``rest``: its text)
    open_quotes: str
    close_quotes: str
    continuation_words: frozenset[str]
    open_quote_re: Any    # any opening quote mark
    closing_line_re: Any  # a line that ends a sentence with a closing quote mark (group ``x``: its text)


def load_text(rf: RuleFile) -> TextRules:
    rf.keys(("bullets", "open_quotes", "close_quotes", "continuation_words"))
    f = rf.name
    by_class: dict[str, list[str]] = {c: [] for c in BULLET_CLASSES}
    for r in rf.list("bullets"):
        rid = need(f, r, ("pattern", "class"), ())
        if r["class"] not in BULLET_CLASSES:
            raise RuleError(f, rid, f"class must be one of {', '.join(BULLET_CLASSES)}, not {r['class']!r}")
        compile_pattern(f, rid, str(r["pattern"]))
        by_class[r["class"]].append(f"(?:{r['pattern']})")
    every = [f"(?:{r['pattern']})" for r in rf.data["bullets"]]
    if not by_class["dash"]:
        raise RuleError(f, "bullets", "no list marker of the class 'dash'")
    for key in ("open_quotes", "close_quotes"):
        if not isinstance(rf.data.get(key, ""), str):
            raise RuleError(f, key, f"{key} must be a string of quote marks")
    opens, closes = str(rf.data.get("open_quotes", "'\"")), str(rf.data.get("close_quotes", "'\""))
    words = rf.data.get("continuation_words", [])
    if not isinstance(words, list):
        raise RuleError(f, "continuation_words", "continuation_words must be a list")
    return TextRules(
        bullet_re=compile_pattern(f, "bullets", rf"^(?P<indent>[ \t]*)(?P<marker>(?:(?:{'|'.join(every)})[ \t]+)+)"),
        next_dash_item_re=compile_pattern(
            f, "bullets", rf"[ \t]*(?:\n[ \t]*)+(?:{'|'.join(by_class['dash'])})[ \t]+(?P<rest>[^\n]+)"),
        open_quotes=opens, close_quotes=closes, continuation_words=frozenset(map(str, words)),
        open_quote_re=_compile(f, "open_quotes", "[" + regex.escape(opens) + "]"),
        closing_line_re=_compile(f, "close_quotes",
                                 r"(?m)^[ \t]*(?P<x>[^\n]{1,400}?[.!?,][" + regex.escape(closes) + r"])[ \t]*$"))


def _compile(file: str, rule_id: str, pattern: str) -> Any:
    """``pattern`` compiled as the ``regex`` module's functions compile a
    string (version 0, unlike ``compile_pattern``); else ``RuleError``."""
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise RuleError(file, rule_id, f"bad pattern: {exc}") from None
