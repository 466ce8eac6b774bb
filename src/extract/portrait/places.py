"""Countries and city ids: ISO 3166-1 codes from pycountry and the aliases of
``rules/countries.yaml``; the ``city_id`` slug of the contract."""
from __future__ import annotations

import pycountry

from extract.read.textutil import slug
from extract.rules import PlaceRules


def country_code(name: str, places: PlaceRules) -> str:
    """ISO 3166-1 alpha-3 code of a printed country name, or ``""``."""
    key = " ".join(name.split()).casefold()
    if key in places.country_aliases:
        return places.country_aliases[key]
    try:
        return pycountry.countries.lookup(" ".join(name.split())).alpha_3
    except LookupError:
        return ""


def city_id(city: str, code: str) -> str:
    return f"{slug(city)}-{code.lower()}" if code else slug(city)
