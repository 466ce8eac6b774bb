"""Stage 2b, identify: which member city each portrait is about.

Evidence, per portrait and member: the portrait's header names the city
(+10), the contact's email domain carries the city's name (+3), a ``Mayor of``
line names it (+2), and every mention of the city or one of its aliases
(+1). The member's place in the list is a weak prior (+0.5), never enough on
its own. Pairs are assigned greedily, strongest evidence first, so each
member is used once."""
from __future__ import annotations

import regex

from .mentions import MentionIndex
from .places import city_id
from .rules import Rules
from .textutil import fold_key, slug
from .types import CityMatch, Portrait, Segmentation

_DOMAIN = regex.compile(r"@([\w.-]+)")
PRIOR = 0.5


def _evidence(portrait: Portrait, text: str, names: list[set[str]], slugs: list[str],
              index: MentionIndex, rules: Rules) -> list[tuple[float, str, tuple]]:
    counts = index.count(text)
    header = {fold_key(h.text) for h in portrait.header}
    domains = " ".join(d.replace(".", "").replace("-", "") for d in _DOMAIN.findall(text)).lower()
    mayors = {fold_key(m) for m in rules.mayor_re.findall(text)}
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


def identify(seg: Segmentation, rules: Rules, index: MentionIndex) -> tuple[CityMatch | None, ...]:
    """One ``CityMatch`` per portrait of ``seg`` (None where no member is left)."""
    members = seg.members
    names = [{fold_key(m.city)} for m in members]
    for _, city, alias in rules.city_aliases:
        for i, m in enumerate(members):
            if fold_key(m.city) == fold_key(city):
                names[i].add(fold_key(alias))
    slugs = [slug(m.city).replace("-", "") for m in members]
    text = seg.document.match_text
    pairs = []
    for p in seg.portraits:
        for i, (score, why, mentions) in enumerate(_evidence(p, text[p.span.start:p.span.end], names, slugs, index, rules)):
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
    return tuple(out.get(p.index) for p in seg.portraits)
