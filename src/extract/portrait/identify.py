"""Stage 2b, identify: which city each portrait is about.

Two sources, the member list one strong source among others, never a
requirement:

1. A member list, where the document has one. Evidence, per portrait and member: the portrait's header names the city
(+10), the contact's email domain carries the city's name (+3), a ``Mayor of``
line names it (+2), and every mention of the city or one of its aliases
(+1). The member's place in the list is a weak prior (+0.5), never enough on
its own. Pairs are assigned greedily, strongest evidence first, so each
member is used once.

2. The portrait's own text (``candidates``): the name it repeats as the subject
of its sentences, in possessives, after ``Mayor of``, ``city of``, ``in``, in
its header or its contact's email domain, scored, with a city of that name
in the gazetteer as further evidence. A portrait no member claims (or only
by its place in the list) takes its best candidate: the member of that name
if there is one, else the city as printed, its country from the gazetteer
(settled by the countries the portrait names) or from the countries it
names. A candidate under ``WEAK`` points, or one closely followed by
another, is a weak tie (``weak``: a warning).

A name printed with letters a lossy conversion lost (``?``, U+FFFD) is
repaired by ``lossy``: a member's when the list is read (it is then matched
under its repaired and its printed name, since the text prints the latter), a
text candidate's here (within the country the portrait names most, else the
world), to the member of the list where it names that city whole.

A portrait that repeats an earlier one — the same words, or a header naming
the same city as the earlier one's header — is not a candidate for another
city: it is matched to the earlier one's city with ``repeats`` set."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from extract.portrait.candidates import Candidate, portrait_candidates
from extract.portrait.gazetteer import city_hits, countries_in, country_name
from extract.portrait.lossy import is_damaged, repair_name
from extract.portrait.mentions import MentionIndex
from extract.portrait.places import city_id
from extract.read.textutil import fold_key, slug
from extract.rules import PeopleRules, PlaceRules
from extract.types import CityMatch, Member, Portrait, Segmentation

PRIOR = 0.5
WEAK = 4.0      # a text candidate scoring less is a weak tie
CLOSE = 0.75    # … and so is one whose runner-up scores this share of it or more


@dataclass(frozen=True)
class _Names:
    """The member list's names for looking up evidence: each member's folded
    names and aliases (``names``), who holds a folded name (``holders``), and
    automata finding members' slugs in email domains and names in ``Mayor
    of`` lines, so that a portrait's evidence costs the members it names,
    not every member."""
    names: list[set[str]]
    holders: dict[str, tuple[int, ...]]
    slugs: Any
    within: Any
    nameless: tuple[int, ...]  # members with an empty name: inside every mayor line

    def header_members(self, header: set[str]) -> set[int]:
        return {i for h in header for i in self.holders.get(h, ())}


def _automaton(words: dict[str, list[int]]) -> Any:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word, members in words.items():
        automaton.add_word(word, tuple(members))
    if words:
        automaton.make_automaton()
    return automaton if words else None


def _found(automaton: Any, text: str) -> set[int]:
    return set() if automaton is None or not text else {i for _, members in automaton.iter(text) for i in members}


def _names(members: tuple[Member, ...], places: PlaceRules) -> _Names:
    names = [{fold_key(n) for n in m.names} for m in members]
    by_city: dict[str, list[int]] = {}
    for i, m in enumerate(members):
        by_city.setdefault(fold_key(m.city), []).append(i)
    for _, city, alias in places.city_aliases:
        for i in by_city.get(fold_key(city), ()):
            names[i].add(fold_key(alias))
    holders: dict[str, list[int]] = {}
    slugs: dict[str, list[int]] = {}
    for i, m in enumerate(members):
        for n in names[i]:
            holders.setdefault(n, []).append(i)
        s = slug(m.city).replace("-", "")
        if len(s) >= 4:
            slugs.setdefault(s, []).append(i)
    nameless = tuple(i for i, member_names in enumerate(names) if "" in member_names)
    return _Names(names, {n: tuple(v) for n, v in holders.items()}, _automaton(slugs),
                  _automaton({n: list(v) for n, v in holders.items() if n}), nameless)


def _evidence(portrait: Portrait, text: str, names: _Names, counts: Counter,
              people: PeopleRules) -> dict[int, tuple[float, str]]:
    """Member → (score, why) for the members the portrait gives evidence of
    (``counts``: its mentions of each), and the member at its place in the
    list (the prior)."""
    header = names.header_members({fold_key(h.text) for h in portrait.header})
    at = text.find("@")  # where the first email can start (the pattern opens with ``@``)
    found = (m.group("domain") for m in people.email_domain_re.finditer(text, at)) if at >= 0 else ()
    domains = _found(names.slugs, " ".join(d.replace(".", "").replace("-", "") for d in found).lower())
    mayors: set[int] = set()
    for m in {fold_key(m) for m in people.mayor_re.findall(text)}:
        mayors |= _found(names.within, m) | set(names.nameless)
    out = {}
    for i in sorted(set(counts) | header | domains | mayors | {portrait.index}):
        if i >= len(names.names):
            continue
        score, why = float(counts.get(i, 0)), []
        if counts.get(i):
            why.append(f"mentions={counts[i]}")
        if i in header:
            score += 10
            why.append("header")
        if i in domains:
            score += 3
            why.append("email-domain")
        if i in mayors:
            score += 2
            why.append("mayor")
        if i == portrait.index:
            score += PRIOR
            why.append("list-order")
        out[i] = (score, ", ".join(why))
    return out


def _member_matches(seg: Segmentation, people: PeopleRules, places: PlaceRules,
                    index: MentionIndex) -> dict[int, CityMatch]:
    """Portrait index → the member it is about, by the evidence of the member
    list. Only pairs with evidence are weighed (a pair without scores 0 and is
    never taken), so the cost grows with the portraits and the names they
    print, not with portraits × members."""
    members = seg.members
    names = _names(members, places)
    text = seg.document.match_text
    repeats = _repeats(seg, names)
    pairs = []
    mentions_of = {}
    for p in seg.portraits:
        if p.index in repeats:
            continue
        piece = text[p.span.start:p.span.end]
        counts = index.count(piece)
        mentions_of[p.index] = tuple(sorted(counts.items()))
        for i, (score, why) in _evidence(p, piece, names, counts, people).items():
            pairs.append((score, -abs(i - p.index), p.index, i, why))
    pairs.sort(reverse=True)
    taken_p, taken_m, out = set(), set(), {}
    for score, _, pi, mi, why in pairs:
        if pi in taken_p or mi in taken_m or score <= 0:
            continue
        taken_p.add(pi)
        taken_m.add(mi)
        m = members[mi]
        out[pi] = CityMatch(member=m, city_id=city_id(m.city, m.country_code), score=score,
                            evidence=why, mentions=mentions_of[pi])
    for pi, first in repeats.items():
        if first in out:
            out[pi] = replace(out[first], evidence=f"repeats portrait {first + 1}", repeats=first)
    return out


def identify(seg: Segmentation, people: PeopleRules, places: PlaceRules, index: MentionIndex) -> tuple[CityMatch | None, ...]:
    """One ``CityMatch`` per portrait of ``seg`` (None where nothing ties it to a city)."""
    by_member = _member_matches(seg, people, places, index)
    names = _member_names(seg, places)
    aliases = {fold_key(alias): city for _, city, alias in places.city_aliases}
    text = seg.document.match_text
    taken = {m.city_id: pi for pi, m in by_member.items() if m.repeats is None and m.score > PRIOR}
    out = []
    for p in seg.portraits:
        match = by_member.get(p.index)
        if match is not None and (match.repeats is not None or match.score > PRIOR):
            out.append(match)
            continue
        cands = portrait_candidates(text, p.span.start, p.span.end, p.header, places, people)
        found = _text_match(seg, p, cands, names, aliases, places)
        if found is None:
            out.append(match)
            continue
        if found.city_id in taken:
            first = taken[found.city_id]
            found = replace(found, evidence=f"repeats portrait {first + 1} ({found.evidence})", repeats=first)
        else:
            taken[found.city_id] = p.index
        out.append(found)
    return tuple(out)


def _member_names(seg: Segmentation, places: PlaceRules) -> dict[str, Member]:
    """Folded name (as used or as printed) or alias → member."""
    out = {fold_key(n): m for m in seg.members for n in m.names}
    for _, city, alias in places.city_aliases:
        member = out.get(fold_key(city))
        if member is not None:
            out.setdefault(fold_key(alias), member)
    return out


def _text_match(seg: Segmentation, p: Portrait, cands: list[Candidate], members: dict[str, Member],
                aliases: dict[str, str], places: PlaceRules) -> CityMatch | None:
    """The portrait's best text candidate as a ``CityMatch`` (None without one)."""
    if not cands:
        return None
    best = cands[0]
    weak = best.score < WEAK or (len(cands) > 1 and cands[1].score >= CLOSE * best.score)
    evidence = f"text: {best.name} ({best.evidence}; {best.score:g})"
    member = members.get(best.key)
    if member is None:
        member, more = _text_member(seg, p, best, members, aliases, places)
        evidence += more
    else:
        evidence += f"; member list: {member.city}"
    return CityMatch(member=member, city_id=city_id(member.city, member.country_code), score=best.score,
                     evidence=evidence, weak=weak)


def _text_member(seg: Segmentation, p: Portrait, best: Candidate, members: dict[str, Member],
                 aliases: dict[str, str], places: PlaceRules) -> tuple[Member, str]:
    """The member for a text candidate the member list does not name: its
    country from the gazetteer (settled by the countries the portrait names)
    or from those countries; a name printed with lost characters repaired
    first (``lossy``), to the member list's member where it prints the name
    whole. And the evidence to add."""
    text = seg.document.match_text
    own = countries_in(text[p.span.start:p.span.end], places)
    name, hits, fix = aliases.get(best.key, best.name), best.hits, None
    assert best.first is not None
    if is_damaged(name):
        fix = repair_name(name, own.most_common(1)[0][0] if own else "", seg.members, best.first)
        listed = members.get(fold_key(fix.repaired)) if fix.repaired else None
        if listed is not None:
            return replace(listed, repair=fix), f"; repaired: member list: {listed.city}"
        name = fix.repaired or name
        hits = city_hits(fix.repaired) if fix.repaired else ()
    printed = fold_key(fix.repaired if fix and fix.repaired else best.name)
    hits = sorted(hits, key=lambda h: (-own.get(h.country_code, 0), fold_key(h.name) != printed, -h.population))
    code = hits[0].country_code if hits else (own.most_common(1)[0][0] if own else "")
    evidence = f"; repaired from the {fix.source}: {name}" if fix and fix.repaired else ""
    if hits:
        evidence += f"; gazetteer: {hits[0].name}, {code}"
    elif code:
        evidence += f"; country named in the text: {code}"
    return Member(city=name, country=country_name(code, text, places) if code else "", country_code=code,
                  award_year=None, span=best.first, rule=best.rules.most_common(1)[0][0], repair=fix), evidence


def candidates_note(seg: Segmentation, p: Portrait, people: PeopleRules, places: PlaceRules) -> str:
    """The candidates a portrait's text offered, for a ``city_unidentified`` message."""
    cands = portrait_candidates(seg.document.match_text, p.span.start, p.span.end, p.header, places, people)
    return ", ".join(f"{c.name} ({c.score:g})" for c in cands[:5]) or "none"


def _repeats(seg: Segmentation, names: _Names) -> dict[int, int]:
    """Portrait index → index of the earlier portrait it repeats: the same
    words, or a header naming the same (single) member city."""
    text = seg.document.match_text
    words = _Words(text)
    first_by_words: dict[tuple[int, ...], list[Portrait]] = {}  # by ``_Words.shape``
    first_by_city: dict[int, int] = {}
    out = {}
    for p in seg.portraits:
        shape = words.shape(p)
        same = first_by_words.get(shape, ())
        by_words = next((q.index for q in same if words.of(q) == words.of(p)), None) if same else None
        named = sorted(names.header_members({fold_key(h.text) for h in p.header}))
        city = named[0] if len(named) == 1 else None
        earlier = by_words if by_words is not None else first_by_city.get(city) if city is not None else None
        if earlier is not None:
            out[p.index] = earlier
            continue
        first_by_words.setdefault(shape, []).append(p)
        if city is not None:
            first_by_city[city] = p.index
    return out


class _Words:
    """A portrait's words (its text with white space squashed), read only
    for portraits of the same ``shape``: how often it prints two letters,
    which two texts of the same words share."""

    def __init__(self, text: str):
        self.text = text
        self.read: dict[int, str] = {}

    def shape(self, p: Portrait) -> tuple[int, int]:
        return self.text.count("e", p.span.start, p.span.end), self.text.count("a", p.span.start, p.span.end)

    def of(self, p: Portrait) -> str:
        got = self.read.get(p.index)
        if got is None:
            got = self.read[p.index] = " ".join(self.text[p.span.start:p.span.end].split())
        return got
