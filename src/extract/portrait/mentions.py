"""Count how often a text names each member city (by its name or an alias
of ``rules/cities.yaml``), comparing ASCII-folded, case-folded text."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import regex

from extract.read.textutil import to_ascii
from extract.rules import PlaceRules
from extract.types import Member


def _fold(s: str) -> str:
    return to_ascii(s).casefold()


@dataclass(frozen=True)
class MentionIndex:
    pattern: Any
    owner: dict[str, int]

    def count(self, text: str) -> Counter:
        """member index → number of mentions in ``text``."""
        if self.pattern is None:
            return Counter()
        return Counter(self.owner[m.group(0)] for m in self.pattern.finditer(_fold(text)))


def mention_index(members: tuple[Member, ...], places: PlaceRules) -> MentionIndex:
    owner: dict[str, int] = {}
    for i, m in enumerate(members):
        for name in m.names:  # a repaired name: the text prints it as the list did
            owner.setdefault(_fold(name), i)
    by_city = {_fold(m.city): i for i, m in enumerate(members)}
    for _, city, alias in places.city_aliases:
        if _fold(city) in by_city:
            owner.setdefault(_fold(alias), by_city[_fold(city)])
    if not owner:
        return MentionIndex(None, {})
    alts = "|".join(regex.escape(n) for n in sorted(owner, key=len, reverse=True))
    return MentionIndex(regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{alts})(?![\p{{L}}\p{{N}}])"), owner)
