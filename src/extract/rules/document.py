"""``document`` rules (``document.yaml``): the member list's headings, award
mark and how many unreadable lines in a row it may hold, the award legend,
the joining statement, the publication year, and the month names."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from extract.errors import RuleError
from extract.rules.base import RuleFile, compile_pattern, phrase_re, phrases_of


@dataclass(frozen=True)
class DocumentRules:
    member_heading: Any
    member_heading_id: str
    award_mark_re: Any
    unreadable_lines: int
    award_legend_re: Any
    joined_re: Any
    published_re: Any
    months: tuple[str, ...]


def load_document(rf: RuleFile) -> DocumentRules:
    rf.keys(("member_list", "award_legend", "joined", "published", "months"))
    f = rf.name
    ml = rf.section("member_list", ("heading", "award_mark"), ("unreadable_lines",))
    unreadable = ml.get("unreadable_lines", 0)
    if not isinstance(unreadable, int) or isinstance(unreadable, bool) or unreadable < 0:
        raise RuleError(f, ml["id"], "unreadable_lines must be a whole number >= 0")
    headings = "|".join(map(phrase_re, phrases_of(f, ml["id"], ml["heading"], "heading")))
    legend = rf.section("award_legend", ("pattern",), ())
    joined = rf.section("joined", ("pattern",), ())
    published = rf.section("published", ("pattern",), ())
    months = rf.data.get("months", [])
    if not isinstance(months, list) or len(months) not in (0, 12):
        raise RuleError(f, "months", "months must list the twelve months in calendar order")
    joined_re = compile_pattern(f, joined["id"], joined["pattern"], regex.I)
    if "year" not in joined_re.groupindex:
        raise RuleError(f, joined["id"], "the pattern needs a group 'year'")
    published_re = compile_pattern(f, published["id"], published["pattern"])
    if "year" not in published_re.groupindex:
        raise RuleError(f, published["id"], "the pattern needs a group 'year'")
    return DocumentRules(
        member_heading=compile_pattern(f, ml["id"], rf"^\s*(?:{headings})\s*:?\s*$", regex.M | regex.I),
        member_heading_id=ml["id"],
        award_mark_re=compile_pattern(f, ml["id"], rf"\s*(?P<mark>{ml['award_mark']})\s*$"),
        unreadable_lines=unreadable,
        award_legend_re=compile_pattern(f, legend["id"], legend["pattern"], regex.M),
        joined_re=joined_re, published_re=published_re, months=tuple(str(m).casefold() for m in months))
