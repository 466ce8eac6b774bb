"""Stage 7, validate: checks across records → findings.

- ``implausible_value``: a city's density outside the plausible range, a city
  GDP per capita many times its country's, years of schooling out of range;
- ``density_band_contradicted``: a density printed as a band (``More than
  500 inhabitants per km²``) that the density computed from the same
  portrait's population and area falls outside (give or take a tolerance);
- ``country_figure_inconsistent``: portraits of one country print its GDP per
  capita with values further apart than the years between them explain
  (``tolerance × per_year^years``); the portraits are compared by their
  distinct figures, and a message names each clashing figure with the first
  portrait printing it and how many others do (up to ``MAX_FIGURES``);
- ``foreign_city_text``: a section names another member city more often than
  its own.
Thresholds, and the indicators each check reads, are in
``rules/validation.yaml``. Typed schemas of the tables are
checked when they are written (``checks``)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from extract.findings import make_finding
from extract.portrait.mentions import MentionIndex
from extract.rules import Severity, ValidationRules
from extract.types import Finding, Member, PortraitResult, wide_column

MAX_FIGURES = 5  # clashing figures a message names


def _figure(r: PortraitResult, indicator: str, scope: str) -> tuple[float | None, int | None]:
    for i in r.indicators:
        if i.indicator == indicator and i.scope == scope and i.group == "all":
            return i.value, i.year
    return None, None


def _band(r: PortraitResult, indicator: str) -> tuple[float | None, float | None, str]:
    """(value_min, value_max, raw) of a figure printed as a band, or Nones."""
    for i in r.indicators:
        if i.indicator == indicator and i.scope == "city" and i.group == "all" and i.value is None \
                and (i.value_min is not None or i.value_max is not None):
            return i.value_min, i.value_max, i.raw
    return None, None, ""


def _density_band(r: PortraitResult, checks: ValidationRules, catalogue: dict[str, Severity]) -> list[Finding]:
    pop, _ = _figure(r, checks.density_of[0], "city")
    area, _ = _figure(r, checks.density_of[1], "city")
    low, high, raw = _band(r, checks.density_band_indicator)
    if not (pop and area) or (low is None and high is None):
        return []
    density, tol = pop / area, checks.density_band_tolerance
    if (low is None or density >= low * (1 - tol)) and (high is None or density <= high * (1 + tol)):
        return []
    return [make_finding(catalogue, r.portrait.document_id, r.match.city_id, "density_band_contradicted", "indicators",
                         checks.density_band_indicator,
                         f"The density is printed as {raw!r}, but population {pop:,.0f} on {area:,g} km² gives "
                         f"{density:,.0f} inhabitants per km²: the band, the population or the area is wrong.", raw)]


def _plausibility(r: PortraitResult, checks: ValidationRules, catalogue: dict[str, Severity]) -> list[Finding]:
    out = []
    doc, cid = r.portrait.document_id, r.match.city_id
    pop, _ = _figure(r, checks.density_of[0], "city")
    area, _ = _figure(r, checks.density_of[1], "city")
    dens = checks.density
    if pop and area:
        density = pop / area
        if not dens.min <= density <= dens.max:
            out.append(make_finding(catalogue, doc, cid, "implausible_value", "indicators", "population_density_per_km2",
                                    f"Population {pop:,.0f} on {area:,g} km² gives {density:,.2f} inhabitants per km², "
                                    f"outside {dens.min:,}–{dens.max:,}; the area or population is probably wrong.",
                                    f"{density:.2f}"))
    city, _ = _figure(r, checks.gdp_indicator, "city")
    country, _ = _figure(r, checks.gdp_indicator, "country")
    limit = checks.gdp_ratio_max
    if city and country and city / country > limit:
        out.append(make_finding(catalogue, doc, cid, "implausible_value", "indicators",
                                wide_column(checks.gdp_indicator, "city"),
                                f"The city's GDP per capita ({city:,g} USD) is {city / country:.1f} times its "
                                f"country's ({country:,g} USD), more than {limit}×.", f"{city:g}"))
    school = checks.schooling
    for i in r.indicators:
        if i.indicator == checks.schooling_indicator and i.value is not None and not school.min <= i.value <= school.max:
            out.append(make_finding(catalogue, doc, cid, "implausible_value", "indicators",
                                    f"{i.indicator}_{i.group}",
                                    f"{i.value:g} mean years of schooling is outside {school.min}–{school.max}.",
                                    f"{i.value:g}"))
    return out


@dataclass(frozen=True)
class Figure:
    """One portrait's print of its country's figure: what the check across
    documents keeps of a portrait."""

    country_key: str  # the country's code, or its name where it has none
    country: str
    value: float
    year: int | None
    city: str
    document_id: str
    city_id: str


def portrait_figure(r: PortraitResult, checks: ValidationRules) -> Figure | None:
    """The country figure a portrait prints (``check.country-figure``), if any."""
    value, year = _figure(r, checks.country_figure_indicator, "country")
    if not value:
        return None
    m = r.match.member
    return Figure(m.country_code or m.country, m.country, value, year, m.city, r.portrait.document_id,
                  r.match.city_id)


def _clash(a: tuple[float, int | None], b: tuple[float, int | None], checks: ValidationRules) -> bool:
    (value, year), (v2, y2) = a, b
    gap = abs(year - y2) if year and y2 else 0
    return max(value, v2) / min(value, v2) > checks.country_figure_tolerance * checks.country_figure_per_year ** gap


def _printed(figure: tuple[float, int | None], city: str, others: int) -> str:
    more = f" and {others - 1} other portrait{'s' if others > 2 else ''}" if others > 1 else ""
    return f"{figure[0]:,g} ({figure[1] or 'year n/a'}) in {city}{more}"


def figures_to_findings(figures: Iterable[Figure], checks: ValidationRules,
                        catalogue: dict[str, Severity]) -> list[Finding]:
    """``country_figure_inconsistent``: each portrait whose country's figure
    clashes with one another portrait of the country prints. The distinct
    figures of a country are compared, not the portraits: a message names, for
    each clashing figure (the first ``MAX_FIGURES``), the first portrait that
    prints it and how many others do."""
    figures = list(figures)
    by_country: dict[str, dict[tuple, list[int]]] = {}  # country → figure → [count, first, second printer]
    portraits: dict[str, list[int]] = {}
    for i, f in enumerate(figures):
        seen = by_country.setdefault(f.country_key, {}).setdefault((f.value, f.year), [0, i, -1])
        seen[0] += 1
        if seen[0] == 2:
            seen[2] = i
        portraits.setdefault(f.country_key, []).append(i)
    indicator = checks.country_figure_indicator
    out = []
    for key, distinct in by_country.items():
        clashes = {a: [b for b in distinct if _clash(a, b, checks)] for a in distinct}
        for i in portraits[key]:
            f = figures[i]
            listed = []
            for b in clashes[(f.value, f.year)]:
                count, first, second = distinct[b]
                if b == (f.value, f.year):  # the portrait's own figure (a tolerance under 1)
                    count, first = count - 1, (second if first == i else first)
                if count:
                    listed.append((first, _printed(b, figures[first].city, count)))
            if not listed:
                continue
            said = [text for _, text in sorted(listed)]
            if len(said) > MAX_FIGURES:
                said = said[:MAX_FIGURES] + [f"and {len(said) - MAX_FIGURES} more figures"]
            out.append(make_finding(
                catalogue, f.document_id, f.city_id, "country_figure_inconsistent", "indicators",
                wide_column(indicator, "country"),
                f"{f.country}'s GDP per capita is {f.value:,g} ({f.year or 'year n/a'}) here but "
                f"{'; '.join(said)}.", f"{f.value:g}"))
    return out


def _foreign_text(r: PortraitResult, members: tuple[Member, ...], index: MentionIndex, checks: ValidationRules,
                  catalogue: dict[str, Severity]) -> list[Finding]:
    least = checks.foreign_city_min_mentions
    try:  # the first member equal to the portrait's (``index`` tries each by identity first, in C)
        own: int | None = members.index(r.match.member)
    except ValueError:
        own = None
    out = []
    for s in r.sections:
        counts = index.count(s.text)
        mine = counts.get(own, 0)
        others = [(n, members[i].city) for i, n in counts.items() if i != own and n >= least and n > mine]
        if others:
            n, city = max(others)
            out.append(make_finding(
                catalogue, r.portrait.document_id, r.match.city_id, "foreign_city_text", "sections", s.section,
                f"The {s.section} section names {city} {n}× and {r.match.member.city} {mine}×: "
                f"it probably carries {city}'s text.", city, s.char_start, s.char_end))
    return out


def portrait_findings(r: PortraitResult, members: tuple[Member, ...], index: MentionIndex,
                      checks: ValidationRules, catalogue: dict[str, Severity]) -> list[Finding]:
    """The checks of one portrait (plausibility, density band, foreign text);
    ``members`` and ``index`` are its document's member list and mention index."""
    return (_plausibility(r, checks, catalogue) + _density_band(r, checks, catalogue)
            + _foreign_text(r, members, index, checks, catalogue))


def validate(results: list[PortraitResult], members: dict[str, tuple[tuple[Member, ...], MentionIndex]],
             checks: ValidationRules, catalogue: dict[str, Severity]) -> list[Finding]:
    """Findings of the checks across all records of a run; ``members`` maps a
    document id to its member list and mention index. (A run makes them a
    document at a time: ``portrait_findings`` as each document finishes,
    ``figures_to_findings`` of the figures kept at the end.)"""
    out: list[Finding] = []
    for r in results:
        out += portrait_findings(r, *members[r.portrait.document_id], checks, catalogue)
    figures = [f for r in results if (f := portrait_figure(r, checks)) is not None]
    return out + figures_to_findings(figures, checks, catalogue)
