"""Count how often a text names each member city (by its name or an alias
of ``rules/cities.yaml``), comparing ASCII-folded, case-folded text.

One Aho-Corasick automaton over every name finds the candidates; a name
counts where no letter or digit touches it, leftmost first and the longest
of those starting at one place, without overlaps."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import ahocorasick

from extract.read.textutil import to_ascii
from extract.rules import PlaceRules
from extract.types import Member


def _fold(s: str) -> str:
    return to_ascii(s).casefold()


@dataclass(frozen=True)
class MentionIndex:
    automaton: Any  # folded name → (member index, length); None when there is no name
    owner: dict[str, int]

    def count(self, text: str) -> Counter:
        """member index → number of mentions in ``text``."""
        if self.automaton is None:
            return Counter()
        folded = _fold(text)  # ASCII: a letter or digit is what isalnum says
        n = len(folded)
        found = []
        for end, (member, length) in self.automaton.iter(folded):
            start = end - length + 1
            if (start and folded[start - 1].isalnum()) or (end + 1 < n and folded[end + 1].isalnum()):
                continue
            found.append((start, -length, member))
        found.sort()
        out: Counter = Counter()
        reached = 0
        for start, minus_length, member in found:
            if start >= reached:
                out[member] += 1
                reached = start - minus_length
        return out


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
    automaton = ahocorasick.Automaton()
    for name, member in owner.items():
        if name:
            automaton.add_word(name, (member, len(name)))
    automaton.make_automaton()
    return MentionIndex(automaton, owner)
