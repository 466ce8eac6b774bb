"""``text`` rules (``text.yaml``): list markers, quote marks, the words
after which a paragraph broken by a page break goes on, and the thresholds
by which two columns set side by side are told from one (``ColumnRules``).

Each list marker has a ``class``: ``dash``, ``dot`` or ``number``; a name
without a role may have its role on the next dash entry."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import regex

from extract.errors import RuleError
from extract.rules.base import RuleFile, compile_pattern, need, number, read_rule_file

BULLET_CLASSES = ("dash", "dot", "number")


@dataclass(frozen=True)
class ColumnRules:
    """When a page is two columns side by side (see ``read.columns``)."""

    min_gutter: int
    zone: tuple[float, float]
    max_crossing: float
    min_lines: int
    min_share: float
    min_words: int
    min_fill: float


_COLUMN_INTS = ("min_gutter", "min_lines", "min_words")
_COLUMN_SHARES = ("max_crossing", "min_share", "min_fill")


def load_columns(rf: RuleFile) -> ColumnRules:
    """The ``columns`` section of ``text.yaml``; ``RuleError`` on a missing,
    unknown or out-of-range key."""
    f = rf.name
    sec = rf.section("columns", _COLUMN_INTS + _COLUMN_SHARES + ("zone",), ())
    rid = str(sec["id"])
    for key in _COLUMN_INTS:
        if number(f, sec, key, int) < 1:
            raise RuleError(f, rid, f"{key} must be 1 or more")
    for key in _COLUMN_SHARES:
        if not 0 <= number(f, sec, key) <= 1:
            raise RuleError(f, rid, f"{key} must be a share between 0 and 1")
    zone = sec["zone"]
    if (not isinstance(zone, list) or len(zone) != 2 or any(isinstance(z, bool) or not isinstance(z, (int, float))
                                                             for z in zone) or not 0 <= zone[0] < zone[1] <= 1):
        raise RuleError(f, rid, "zone must be [low, high], shares of the page's width with low < high")
    return ColumnRules(zone=(float(zone[0]), float(zone[1])), **{k: sec[k] for k in _COLUMN_INTS + _COLUMN_SHARES})


@functools.cache
def shipped_columns() -> ColumnRules:
    """The ``columns`` section of the ``text.yaml`` shipped in the package:
    what ``read.ingest`` reads by when it is given no rules (the review and
    the tests re-reading a file; a run passes those of its ``--rules``)."""
    source = files("extract.rules") / "text.yaml"
    return load_columns(RuleFile(source.name, read_rule_file(source, "text"), []))


@dataclass(frozen=True)
class TextRules:
    bullet_re: Any      # any list marker: groups ``indent`` and ``marker``
    next_dash_item_re: Any  # line ends, then a dash list entry (group ``rest``: its text)
    open_quotes: str
    close_quotes: str
    continuation_words: frozenset[str]
    columns: ColumnRules
    open_quote_re: Any    # any opening quote mark
    closing_line_re: Any  # a line that ends a sentence with a closing quote mark (group ``x``: its text)


def load_text(rf: RuleFile) -> TextRules:
    rf.keys(("bullets", "open_quotes", "close_quotes", "continuation_words", "columns"))
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
        open_quotes=opens, close_quotes=closes, continuation_words=frozenset(map(str, words)), columns=load_columns(rf),
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
