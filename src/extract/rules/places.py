"""``countries`` and ``cities`` rules: printed country names that pycountry
does not resolve (``countries.yaml``), and other names of cities
(``cities.yaml``)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from extract.errors import RuleError
from extract.rules.base import RuleFile, compile_pattern, need, number


@dataclass(frozen=True)
class CityEvidence:
    """How a portrait's own text names a city: patterns holding a place name
    (group ``name``), each with a weight, and words that are never one."""

    name_id: str
    patterns: tuple[tuple[str, Any, float], ...] = ()  # (rule id, pattern, weight)
    not_names: frozenset[str] = frozenset()            # folded


@dataclass(frozen=True)
class PlaceRules:
    country_aliases: dict[str, str]                 # folded printed name → ISO 3166-1 alpha-3
    city_aliases: tuple[tuple[str, str, str], ...]  # (rule id, city, alias)
    evidence: CityEvidence = CityEvidence("")


def load_countries(rf: RuleFile) -> dict[str, str]:
    rf.keys(("aliases",))
    out = {}
    for r in rf.list("aliases"):
        rid = need(rf.name, r, ("name", "alpha_3"), ())
        if not regex.fullmatch(r"[A-Z]{3}", str(r["alpha_3"])):
            raise RuleError(rf.name, rid, "alpha_3 must be three capital letters")
        out[str(r["name"]).casefold()] = str(r["alpha_3"])
    return out


def load_cities(rf: RuleFile) -> tuple[tuple[tuple[str, str, str], ...], CityEvidence]:
    """The aliases of ``cities.yaml`` and how a text names a city."""
    rf.keys(("aliases", "name", "evidence", "not_names"))
    f = rf.name
    aliases = tuple((need(f, r, ("city", "alias"), ()), str(r["city"]), str(r["alias"])) for r in rf.list("aliases"))
    name = rf.section("name", ("pattern",), ())
    compile_pattern(f, name["id"], name["pattern"])
    patterns = []
    for r in rf.list("evidence"):
        rid = need(f, r, ("pattern", "weight"), ())
        if "{name}" not in str(r["pattern"]):
            raise RuleError(f, rid, "the pattern needs the slot {name}")
        weight = number(f, r, "weight")
        patterns.append((rid, compile_pattern(f, rid, str(r["pattern"]).replace("{name}", name["pattern"]), regex.M),
                         float(weight)))
    not_names = frozenset(" ".join(str(r["phrase"]).casefold().split())
                          for r in rf.list("not_names") if need(f, r, ("phrase",), ()))
    return aliases, CityEvidence(name["id"], tuple(patterns), not_names)
