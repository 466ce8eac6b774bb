"""Stage 2b, identify: which member city each portrait is about.

Evidence, per portrait and member: the portrait's header names the city
(+10), the contact's email domain carries the city's name (+3), a ``Mayor of``
line names it (+2), and every mention of the city or one of its aliases
(+1). The member's place in the list is a weak prior (+0.5), never enough on
its own. Pairs are assigned greedily, strongest evidence first, so each
member is used once.

A portrait that repeats an earlier one — the same words, or a header naming
the same city as the earlier one's header — is not a candidate for another
city: it is matched to the earlier one's city with ``repeats`` set."""
from __future__ import annotations

from dataclasses import replace

from extract.portrait.mentions import MentionIndex
from extract.portrait.places import city_id
from extract.read.textutil import fold_key, slug
from extract.rules import PeopleRules, PlaceRules
from extract.types import CityMatch, Portrait, Segmentation

PRIOR = 0.5


def _evidence(portrait: Portrait, text: str, names: list[set[str]], slugs: list[str],
              index: MentionIndex, people: PeopleRules) -> list[tuple[float, str, tuple]]:
    counts = index.count(text)
    header = {fold_key(h.text) for h in portrait.header}
    found = (m.group("domain") for m in people.email_domain_re.finditer(text))
    domains = " ".join(d.replace(".", "").replace("-", "") for d in found).lower()
    mayors = {fold_key(m) for m in people.mayor_re.findall(text)}
    out = []
    for i, member_names in enumerate(names):
        score, why = float(counts.get(i, 0)), []
        if counts.get(i):
            why.append(f"mentions={counts[i]}")
        if header & member_names:
            score += 10
            why.append("header")
        if len(slugs[i]) >= 4 and slugs[i] in domains:
            score += 3
            why.append("email-domain")
        if any(any(n in m for n in member_names) for m in mayors):
            score += 2
            why.append("mayor")
        if i == portrait.index:
            score += PRIOR
            why.append("list-order")
        out.append((score, ", ".join(why), tuple(sorted(counts.items()))))
    return out


def identify(seg: Segmentation, people: PeopleRules, places: PlaceRules, index: MentionIndex) -> tuple[CityMatch | None, ...]:
    """One ``CityMatch`` per portrait of ``seg`` (None where no member is left)."""
    members = seg.members
    names = [{fold_key(m.city)} for m in members]
    for _, city, alias in places.city_aliases:
        for i, m in enumerate(members):
            if fold_key(m.city) == fold_key(city):
                names[i].add(fold_key(alias))
    slugs = [slug(m.city).replace("-", "") for m in members]
    text = seg.document.match_text
    repeats = _repeats(seg, names)
    pairs = []
    for p in seg.portraits:
        if p.index in repeats:
            continue
        for i, (score, why, mentions) in enumerate(_evidence(p, text[p.span.start:p.span.end], names, slugs, index, people)):
            pairs.append((score, -abs(i - p.index), p.index, i, why, mentions))
    pairs.sort(reverse=True)
    taken_p, taken_m, out = set(), set(), {}
    for score, _, pi, mi, why, mentions in pairs:
        if pi in taken_p or mi in taken_m or score <= 0:
            continue
        taken_p.add(pi)
        taken_m.add(mi)
        m = members[mi]
        out[pi] = CityMatch(member=m, city_id=city_id(m.city, m.country_code), score=score,
                            evidence=why, mentions=mentions)
    for pi, first in repeats.items():
        if first in out:
            out[pi] = replace(out[first], evidence=f"repeats portrait {first + 1}", repeats=first)
    return tuple(out.get(p.index) for p in seg.portraits)


def _repeats(seg: Segmentation, names: list[set[str]]) -> dict[int, int]:
    """Portrait index → index of the earlier portrait it repeats: the same
    words, or a header naming the same (single) member city."""
    text = seg.document.match_text
    first_by_words: dict[str, int] = {}
    first_by_city: dict[int, int] = {}
    out = {}
    for p in seg.portraits:
        words = " ".join(text[p.span.start:p.span.end].split())
        header = {fold_key(h.text) for h in p.header}
        named = [i for i, member_names in enumerate(names) if header & member_names]
        city = named[0] if len(named) == 1 else None
        earlier = first_by_words.get(words, first_by_city.get(city) if city is not None else None)
        if earlier is not None:
            out[p.index] = earlier
            continue
        first_by_words[words] = p.index
        if city is not None:
            first_by_city[city] = p.index
    return out
