"""``challenges`` rules (``challenges.yaml``): the parts of a challenge page
and their labels, the 17 SDGs with their numbers and other names, the
separators of target groups, and date patterns."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from extract.errors import RuleError
from extract.rules.base import RuleFile, compile_pattern, need, phrase_re, rule_section


@dataclass(frozen=True)
class ChallengePart:
    id: str
    part: str
    pattern: Any


@dataclass(frozen=True)
class SdgRule:
    id: str
    number: int
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ChallengeRules:
    """Rules of ``challenges.yaml``. ``sdg_re`` finds a goal by number
    (groups ``number`` and an optional ``name``) or by name (group ``alone``);
    ``sdg_names`` maps a folded name or alias to its number."""

    breadcrumb_id: str
    breadcrumb_re: Any
    parts: tuple[ChallengePart, ...]
    sdgs: tuple[SdgRule, ...]
    sdg_names: dict[str, int]
    sdg_number_id: str
    sdg_re: Any
    sdg_line_id: str
    sdg_separator_re: Any
    max_unknown_words: int
    group_separator_id: str
    group_separator_re: Any
    connectors: frozenset[str]
    dates: tuple[tuple[str, Any], ...]
    generic_words: frozenset[str]


CHALLENGE_PARTS = ("challenge", "expected_impact", "target_groups", "deadline")
_SENTENCE_GAP = 8  # the most spaces between a sentence's end and a label glued after it




def sdg_key(name: str) -> str:
    return " ".join(name.casefold().split())


def load_challenges(rf: RuleFile) -> ChallengeRules:
    """The rules of the ``challenges`` kind, validated; ``rf.ids`` gets their ids."""
    rf.keys(("breadcrumb", "parts", "sdgs", "sdg_number", "sdg_line", "group_separators", "group_connectors",
             "dates", "generic_words"))
    file, data, ids = rf.name, rf.data, rf.ids
    bc = rule_section(file, data, "breadcrumb", ("pattern",), ids)
    breadcrumb_re = compile_pattern(file, bc["id"], bc["pattern"], regex.M)
    if "title" not in breadcrumb_re.groupindex:
        raise RuleError(file, bc["id"], "the pattern needs a group 'title'")
    parts = []
    for r in rf.list("parts"):
        rid = need(file, r, ("part", "phrase"))
        if r["part"] not in CHALLENGE_PARTS:
            raise RuleError(file, rid, f"part must be one of {', '.join(CHALLENGE_PARTS)}, not {r['part']!r}")
        # At a line start, glued to the text before it or after a sentence's
        # end (a few spaces after it: a look-behind that may run back over a
        # long run of spaces would make the search quadratic on it); then a
        # colon, the line end, glued text or a capital or digit.
        pat = (rf"(?:^[ \t]*|(?<=\S)|(?<=[.!?;:)\"'][ \t]{{1,{_SENTENCE_GAP}}}))(?P<h>{phrase_re(str(r['phrase']))})"
               rf"(?=[ \t]*:|[ \t]*$|\S|[ \t]+[\p{{Lu}}\p{{N}}])[ \t]*:?[ \t]*")
        parts.append(ChallengePart(rid, r["part"], compile_pattern(file, rid, pat, regex.M)))
    for part in CHALLENGE_PARTS:
        if part not in {p.part for p in parts}:
            raise RuleError(file, "parts", f"no label of the part {part!r}")
    sdgs, names = [], {}
    for r in rf.list("sdgs"):
        rid = need(file, r, ("number", "name"))
        aliases = r.get("aliases", [])
        if not isinstance(r["number"], int) or not 1 <= r["number"] <= 17:
            raise RuleError(file, rid, "number must be a whole number from 1 to 17")
        if r["number"] in {s.number for s in sdgs} or not isinstance(aliases, list):
            raise RuleError(file, rid, f"number {r['number']} is used twice, or aliases is not a list")
        for name in [r["name"], *aliases]:
            if sdg_key(str(name)) in names:
                raise RuleError(file, rid, f"{name!r} also names SDG {names[sdg_key(str(name))]}")
            names[sdg_key(str(name))] = r["number"]
        sdgs.append(SdgRule(rid, r["number"], str(r["name"]), tuple(map(str, aliases))))
    if len(sdgs) != 17:
        raise RuleError(file, "sdgs", "all 17 goals need a rule")
    num = rule_section(file, data, "sdg_number", ("pattern", "joiner"), ids)
    alts = "|".join(phrase_re(n) for n in sorted(names, key=len, reverse=True))
    sdg_re = compile_pattern(file, num["id"], rf"(?<![\p{{L}}\p{{N}}])(?:(?:{num['pattern']})(?:{num['joiner']}"
                      rf"(?P<name>{alts}))?|(?P<alone>{alts}))(?![\p{{L}}\p{{N}}])", regex.I)
    if "number" not in sdg_re.groupindex:
        raise RuleError(file, num["id"], "the pattern needs a group 'number'")
    line = rule_section(file, data, "sdg_line", ("separators", "max_unknown_words"), ids)
    if not isinstance(line["max_unknown_words"], int):
        raise RuleError(file, line["id"], "max_unknown_words must be a whole number")
    gs = rule_section(file, data, "group_separators", ("pattern",), ids)
    gc = rule_section(file, data, "group_connectors", ("words",), ids)
    gw = rule_section(file, data, "generic_words", ("words",), ids)
    dates = []
    for r in rf.list("dates"):
        rid = need(file, r, ("pattern",))
        pattern = compile_pattern(file, rid, r["pattern"], regex.I)
        if not {"year", "month", "day"} <= set(pattern.groupindex):
            raise RuleError(file, rid, "a date pattern needs the groups 'year', 'month' and 'day'")
        dates.append((rid, pattern))
    generic = {str(w).casefold() for w in gw["words"]}
    generic |= {w.casefold() for s in sdgs for n in (s.name, *s.aliases) for w in regex.findall(r"[\w'-]+", n)}
    return ChallengeRules(
        breadcrumb_id=bc["id"], breadcrumb_re=breadcrumb_re, parts=tuple(parts), sdgs=tuple(sdgs),
        sdg_names=names, sdg_number_id=num["id"], sdg_re=sdg_re, sdg_line_id=line["id"],
        sdg_separator_re=compile_pattern(file, line["id"], line["separators"]),
        max_unknown_words=int(line["max_unknown_words"]), group_separator_id=gs["id"],
        group_separator_re=compile_pattern(file, gs["id"], gs["pattern"]),
        connectors=frozenset(str(w).casefold() for w in gc["words"]), dates=tuple(dates),
        generic_words=frozenset(generic))
