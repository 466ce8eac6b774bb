"""``countries`` and ``cities`` rules: printed country names that pycountry
does not resolve (``countries.yaml``), and other names of cities
(``cities.yaml``)."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from extract.errors import RuleError
from extract.rules.base import RuleFile, need


@dataclass(frozen=True)
class PlaceRules:
    country_aliases: dict[str, str]                 # folded printed name → ISO 3166-1 alpha-3
    city_aliases: tuple[tuple[str, str, str], ...]  # (rule id, city, alias)


def load_countries(rf: RuleFile) -> dict[str, str]:
    rf.keys(("aliases",))
    out = {}
    for r in rf.list("aliases"):
        rid = need(rf.name, r, ("name", "alpha_3"), ())
        if not regex.fullmatch(r"[A-Z]{3}", str(r["alpha_3"])):
            raise RuleError(rf.name, rid, "alpha_3 must be three capital letters")
        out[str(r["name"]).casefold()] = str(r["alpha_3"])
    return out


def load_cities(rf: RuleFile) -> tuple[tuple[str, str, str], ...]:
    rf.keys(("aliases",))
    return tuple((need(rf.name, r, ("city", "alias"), ()), str(r["city"]), str(r["alias"]))
                 for r in rf.list("aliases"))
