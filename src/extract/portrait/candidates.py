"""A portrait's own text → the places it is about, scored: the candidates for
its city when no member list names it.

Each evidence pattern of ``rules/cities.yaml`` that catches a name adds its
weight to that name (``X is working``, ``X's citizens``, ``Mayor
of X``, ``in X,``); a header line that is the name adds 10, an
email domain holding it 3, a city of that name in the gazetteer 2. Names of
countries, people (after an honorific) and the rules' ``not_names`` are no
candidates. The printed form a candidate is given is its most frequent."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import regex

from extract.portrait.gazetteer import GazCity, city_hits
from extract.portrait.places import country_code
from extract.read.textutil import fold_key, slug
from extract.rules import PeopleRules, PlaceRules
from extract.types import Line, Span

HEADER, DOMAIN, GAZETTEER = 10.0, 3.0, 2.0


@dataclass
class Candidate:
    key: str                                   # folded name
    score: float = 0.0
    forms: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    first: Span | None = None
    hits: tuple[GazCity, ...] = ()

    @property
    def name(self) -> str:
        """The form printed most often (the longest on a tie)."""
        return max(self.forms.items(), key=lambda kv: (kv[1], len(kv[0])))[0]

    def count_forms(self, body: str) -> None:
        """Count each form where the portrait prints it, not only where evidence caught it."""
        for form in list(self.forms):
            self.forms[form] = len(regex.findall(rf"(?<![\p{{L}}\p{{N}}]){regex.escape(form)}(?![\p{{L}}\p{{N}}])", body))

    @property
    def evidence(self) -> str:
        return ", ".join(f"{rule}×{n}" if n > 1 else rule for rule, n in self.rules.most_common())


def _trim(name: str, start: int, not_names: frozenset[str]) -> tuple[str, int]:
    """``name`` less leading and trailing words that are never a place
    (``The X`` → ``X``, ``X Email`` → ``X``)."""
    words = name.split()
    while len(words) > 1 and fold_key(words[0]) in not_names:
        start += name.index(words[1], len(words[0]))
        name = name[name.index(words[1], len(words[0])):]
        words = words[1:]
    while len(words) > 1 and fold_key(words[-1]) in not_names:
        name = name[:name.rindex(words[-1])].rstrip()
        words = words[:-1]
    return name, start


_NAME_END = regex.compile(r"\s[-\u2013\u2014]\s|[,;(\n]")


def _people(text: str, people: PeopleRules) -> set[str]:
    """Folded words of the names printed after an honorific (``Mr Given
    Family - Mayor of …``: up to the role)."""
    out = set()
    for m in people.honorific_re.finditer(text):
        if m.start() and text[m.start() - 1].isalnum():
            continue
        rest = text[m.end():m.end() + 80]
        cut = _NAME_END.search(rest)
        out |= {fold_key(w) for w in rest[:cut.start() if cut else len(rest)].split()[:5] if w[:1].isupper()}
    return out


def portrait_candidates(text: str, start: int, end: int, header: tuple[Line, ...], places: PlaceRules,
                        people: PeopleRules) -> list[Candidate]:
    """The candidates for the city of the portrait ``text[start:end]``, best first."""
    body = text[start:end]
    ev = places.evidence
    persons = _people(body, people)
    found: dict[str, Candidate] = {}

    def add(name: str, at: int, rule: str, weight: float) -> None:
        name, at = _trim(name.strip(), at, ev.not_names)
        key = fold_key(name)
        if not key or key in ev.not_names or set(key.split()) <= persons or country_code(name, places):
            return
        c = found.setdefault(key, Candidate(key))
        c.score += weight
        c.forms[name] += 1
        c.rules[rule] += 1
        if c.first is None or at < c.first.start:
            c.first = Span(at, at + len(name))

    for rid, pattern, weight in ev.patterns:
        for m in pattern.finditer(body):
            add(m.group("name"), start + m.start("name"), rid, weight)
    for m in people.mayor_re.finditer(body):
        add(m.group(1).split("  ")[0], start + m.start(1), "title.mayor-of", 0.0)
    header_keys = {fold_key(h.text) for h in header}
    domains = " ".join(m.group("domain").replace(".", "").replace("-", "")
                       for m in people.email_domain_re.finditer(body)).lower()
    for c in found.values():
        c.count_forms(body)
        if c.key in header_keys:
            c.score += HEADER
            c.rules["header"] += 1
        s = slug(c.name).replace("-", "")
        if len(s) >= 4 and s in domains:
            c.score += DOMAIN
            c.rules["email-domain"] += 1
        c.hits = city_hits(c.name)
        if c.hits:
            c.score += GAZETTEER
            c.rules["gazetteer"] += 1
    return sorted((c for c in found.values() if c.score > 0), key=lambda c: (-c.score, c.key))
