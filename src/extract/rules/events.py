"""``events`` rules (``events.yaml``): the patterns of dated facts in the
narrative (``in 1999``, ``until the year 2026``, ``15 years ago``) with
``{year}``, ``{month}`` and ``{number}`` slots, what is not one (decades,
years in names), the sections they are looked for in, how sentences and
list entries are told apart, and the gate: what any match of a pattern
holds (a year, ``ago``), so that text without it is not read. All compiled
once, here."""
from __future__ import annotations

import re
import re._constants as re_constants
import re._parser as re_parser
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex

from extract.errors import RuleError
from extract.rules.base import Source, listed, need, read_rule_file, rule_section

DEFAULT_PATH = Path(__file__).resolve().parent / "events.yaml"
GROUPS = ("year", "ago")


@dataclass(frozen=True)
class EventRules:
    """The validated rules of an events file, patterns compiled."""

    file: str
    sections: tuple[str, ...]
    months: tuple[str, ...]
    numbers: tuple[tuple[str, int], ...]
    sentence_end: Any
    item_marker: Any
    patterns: tuple[tuple[str, Any], ...]
    exclusions: tuple[tuple[str, Any], ...]
    rule_ids: tuple[str, ...]
    gate: Any = None  # None: every sentence is read


def compile_rule(file: str, rid: str, pattern: str, slots: Mapping[str, str]) -> Any:
    """``pattern`` with its ``{slot}``s filled, compiled; else ``RuleError``."""
    for slot, value in slots.items():
        pattern = pattern.replace("{" + slot + "}", value)
    try:
        return regex.compile(pattern, regex.I | regex.V1)
    except regex.error as exc:
        raise RuleError(file, rid, f"bad pattern: {exc}") from None


def looks_around(pattern: str) -> str | None:
    """What in ``pattern`` (as Python's ``re`` reads it) looks at the text
    around a match rather than at its words: an anchor (``^``, ``$``,
    ``\\b``…) or a lookaround; ``None`` when nothing does."""
    def walk(node: Any) -> str | None:
        if isinstance(node, re_parser.SubPattern):
            node = list(node)
        if isinstance(node, (list, tuple)):
            if len(node) == 2 and node[0] is re_constants.AT:  # (opcode, argument)
                return "an anchor"
            if len(node) == 2 and node[0] in (re_constants.ASSERT, re_constants.ASSERT_NOT):
                return "a lookaround"
            return next((found for child in node if (found := walk(child))), None)
        return None
    return walk(re_parser.parse(pattern))


def compile_gate(file: str, rid: str, pattern: str, slots: Mapping[str, str]) -> Any:
    """The gate's pattern compiled (``compile_rule``); a ``RuleError`` when it
    looks around its words, which the gate, looked for in a whole section
    before its sentences, must not (the module docstring of ``enrich/events.py``)."""
    compiled = compile_rule(file, rid, pattern, slots)
    try:
        found = looks_around(compiled.pattern)
    except re.error:
        raise RuleError(file, rid, "the gate must be a plain pattern (one Python's re reads) "
                                   "so that it can be checked for anchors and lookarounds") from None
    if found:
        raise RuleError(file, rid, f"the gate holds {found}: it must match words only, not what is around them")
    return compiled


@cache
def load_event_rules(path: Source = DEFAULT_PATH) -> EventRules:
    """``rules/events.yaml`` read and validated into ``EventRules``; anything
    wrong raises ``RuleError(file, rule_id, reason)``."""
    file, ids = path.name, []
    data = read_rule_file(path, "events")
    scope = rule_section(file, data, "scope", ("sections",), ids)
    year = rule_section(file, data, "year", ("pattern",), ids)
    months = rule_section(file, data, "months", ("names",), ids)
    numbers = rule_section(file, data, "number_words", ("words",), ids)
    if not isinstance(months["names"], list) or len(months["names"]) != 12:
        raise RuleError(file, months["id"], "names must list the twelve months in calendar order")
    if not isinstance(numbers["words"], dict) or not all(isinstance(v, int) for v in numbers["words"].values()):
        raise RuleError(file, numbers["id"], "words must map each number word to a whole number")
    words = sorted(map(str, numbers["words"]), key=len, reverse=True)
    slots = {"year": f"(?:{year['pattern']})",
             "month": "(?:" + "|".join(regex.escape(str(m)) for m in months["names"]) + ")",
             "number": "(?:" + "|".join(regex.escape(w) for w in words) + ")"}
    compile_rule(file, year["id"], year["pattern"], {})
    sentence = rule_section(file, data, "sentences", ("pattern",), ids)
    marker = rule_section(file, data, "item_marker", ("pattern",), ids)
    gate = rule_section(file, data, "gate", ("pattern",), ids) if "gate" in data else None
    compiled = {}
    for key in ("patterns", "exclusions"):
        out = []
        for rule in listed(file, data, key, required=key == "patterns"):
            rid = need(file, rule, ("pattern",))
            pattern = compile_rule(file, rid, str(rule["pattern"]), slots)
            if key == "patterns" and not set(GROUPS) & set(pattern.groupindex):
                raise RuleError(file, rid, "a pattern needs a group 'year' or 'ago'")
            ids.append(rid)
            out.append((rid, pattern))
        compiled[key] = tuple(out)
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RuleError(file, dupes[0], "rule id used more than once")
    return EventRules(
        file=file, sections=tuple(map(str, scope["sections"])), months=tuple(str(m).casefold() for m in months["names"]),
        numbers=tuple((str(k).casefold(), int(v)) for k, v in numbers["words"].items()),
        sentence_end=compile_rule(file, sentence["id"], str(sentence["pattern"]), {}),
        item_marker=compile_rule(file, marker["id"], str(marker["pattern"]), {}),
        patterns=compiled["patterns"], exclusions=compiled["exclusions"], rule_ids=tuple(ids),
        gate=compile_gate(file, gate["id"], str(gate["pattern"]), slots) if gate is not None else None)
