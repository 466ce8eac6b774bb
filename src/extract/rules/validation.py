"""``validation`` rules (``validation.yaml``): the thresholds of the checks
across records, and the indicators each check reads.

The checks themselves are code (``extract.tables.validate``); each has a
fixed id and the keys it needs, so a misspelt key is a ``RuleError``."""
from __future__ import annotations

from dataclasses import dataclass

from extract.errors import RuleError
from extract.rules.base import RuleFile, need, number


@dataclass(frozen=True)
class Bounds:
    id: str
    min: float
    max: float


@dataclass(frozen=True)
class ValidationRules:
    density: Bounds                 # inhabitants per km² of a city
    density_of: tuple[str, str]     # the indicators divided: (population, area)
    density_band_id: str
    density_band_indicator: str     # the printed density, whose band the computed one must fall in
    density_band_tolerance: float   # ... give or take this share of the band's edge
    gdp_ratio_id: str
    gdp_ratio_max: float            # a city's figure this many times its country's is implausible
    gdp_indicator: str
    country_figure_id: str
    country_figure_tolerance: float  # one country's figure may differ between portraits by this factor,
    country_figure_per_year: float   # growing by this for each year between them
    country_figure_indicator: str
    schooling: Bounds
    schooling_indicator: str
    foreign_city_id: str
    foreign_city_min_mentions: int

    def indicators(self) -> list[tuple[str, str]]:
        """(check id, indicator) of every indicator a check reads."""
        return [(self.density.id, self.density_of[0]), (self.density.id, self.density_of[1]),
                (self.density_band_id, self.density_band_indicator),
                (self.gdp_ratio_id, self.gdp_indicator), (self.country_figure_id, self.country_figure_indicator),
                (self.schooling.id, self.schooling_indicator)]


# check id → the keys it needs (numbers unless named in _NAMES)
CHECKS = {
    "check.density": ("min", "max", "population", "area"),
    "check.density-band": ("tolerance", "indicator"),
    "check.gdp-ratio": ("max", "indicator"),
    "check.country-figure": ("tolerance", "per_year", "indicator"),
    "check.schooling": ("min", "max", "indicator"),
    "check.foreign-city": ("min_mentions",),
}
_NAMES = ("population", "area", "indicator")


def load_validation(rf: RuleFile) -> ValidationRules:
    rf.keys(("checks",))
    f, by_id = rf.name, {}
    for r in rf.list("checks"):
        rid = str(r.get("id", "?"))
        if rid not in CHECKS:
            raise RuleError(f, rid, f"unknown check (known: {', '.join(CHECKS)})")
        need(f, r, CHECKS[rid], ())
        for key in CHECKS[rid]:
            if key not in _NAMES:
                number(f, r, key)
        by_id[rid] = r
    missing = [c for c in CHECKS if c not in by_id]
    if missing:
        raise RuleError(f, missing[0], "missing check")
    d, g, c, s = (by_id[k] for k in ("check.density", "check.gdp-ratio", "check.country-figure", "check.schooling"))
    b = by_id["check.density-band"]
    return ValidationRules(
        density=Bounds(d["id"], d["min"], d["max"]), density_of=(str(d["population"]), str(d["area"])),
        density_band_id=b["id"], density_band_indicator=str(b["indicator"]), density_band_tolerance=b["tolerance"],
        gdp_ratio_id=g["id"], gdp_ratio_max=g["max"], gdp_indicator=str(g["indicator"]),
        country_figure_id=c["id"], country_figure_tolerance=c["tolerance"],
        country_figure_per_year=c["per_year"], country_figure_indicator=str(c["indicator"]),
        schooling=Bounds(s["id"], s["min"], s["max"]), schooling_indicator=str(s["indicator"]),
        foreign_city_id=by_id["check.foreign-city"]["id"],
        foreign_city_min_mentions=number(f, by_id["check.foreign-city"], "min_mentions", int))
