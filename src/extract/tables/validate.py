"""Stage 7, validate: checks across records → findings.

- ``implausible_value``: a city's density outside the plausible range, a city
  GDP per capita many times its country's, years of schooling out of range;
- ``country_figure_inconsistent``: portraits of one country print its GDP per
  capita with values further apart than the years between them explain
  (``tolerance × per_year^years``);
- ``foreign_city_text``: a section names another member city more often than
  its own.
Thresholds are in ``rules/validation.yaml``. Typed schemas of the tables are
checked when they are written (``schemas.validate_frame``)."""
from __future__ import annotations

from collections import defaultdict

from extract.findings import make_finding
from extract.portrait.mentions import MentionIndex
from extract.rules.load import Rules
from extract.types import Finding, Member, PortraitResult


def _figure(r: PortraitResult, indicator: str, scope: str) -> tuple[float | None, int | None]:
    for i in r.indicators:
        if i.indicator == indicator and i.scope == scope and i.group == "all":
            return i.value, i.year
    return None, None


def _plausibility(r: PortraitResult, rules: Rules) -> list[Finding]:
    out = []
    doc, cid = r.portrait.document_id, r.match.city_id
    pop, _ = _figure(r, "population", "city")
    area, _ = _figure(r, "area_km2", "city")
    dens = rules.checks["check.density"]
    if pop and area:
        density = pop / area
        if not dens["min"] <= density <= dens["max"]:
            out.append(make_finding(rules, doc, cid, "implausible_value", "indicators", "population_density_per_km2",
                                    f"Population {pop:,.0f} on {area:,g} km² gives {density:,.2f} inhabitants per km², "
                                    f"outside {dens['min']:,}–{dens['max']:,}; the area or population is probably wrong.",
                                    f"{density:.2f}"))
    city, _ = _figure(r, "gdp_per_capita_usd", "city")
    country, _ = _figure(r, "gdp_per_capita_usd", "country")
    limit = rules.checks["check.gdp-ratio"]["max"]
    if city and country and city / country > limit:
        out.append(make_finding(rules, doc, cid, "implausible_value", "indicators", "gdp_per_capita_city_usd",
                                f"The city's GDP per capita ({city:,g} USD) is {city / country:.1f} times its "
                                f"country's ({country:,g} USD), more than {limit}×.", f"{city:g}"))
    school = rules.checks["check.schooling"]
    for i in r.indicators:
        if i.indicator == "mean_years_schooling" and i.value is not None and not school["min"] <= i.value <= school["max"]:
            out.append(make_finding(rules, doc, cid, "implausible_value", "indicators", f"mean_years_schooling_{i.group}",
                                    f"{i.value:g} mean years of schooling is outside {school['min']}–{school['max']}.",
                                    f"{i.value:g}"))
    return out


def _country_figures(results: list[PortraitResult], rules: Rules) -> list[Finding]:
    check = rules.checks["check.country-figure"]
    by_country = defaultdict(list)
    for r in results:
        value, year = _figure(r, "gdp_per_capita_usd", "country")
        if value:
            by_country[r.match.member.country_code or r.match.member.country].append((r, value, year))
    out = []
    for rows in by_country.values():
        for r, value, year in rows:
            clash = []
            for other, v2, y2 in rows:
                if other is r:
                    continue
                gap = abs(year - y2) if year and y2 else 0
                if max(value, v2) / min(value, v2) > check["tolerance"] * check["per_year"] ** gap:
                    clash.append(f"{v2:,g} ({y2 or 'year n/a'}) in {other.match.member.city}")
            if clash:
                out.append(make_finding(
                    rules, r.portrait.document_id, r.match.city_id, "country_figure_inconsistent", "indicators",
                    "gdp_per_capita_country_usd",
                    f"{r.match.member.country}'s GDP per capita is {value:,g} ({year or 'year n/a'}) here but "
                    f"{'; '.join(clash)}.", f"{value:g}"))
    return out


def _foreign_text(r: PortraitResult, members: tuple[Member, ...], index: MentionIndex, rules: Rules) -> list[Finding]:
    least = rules.checks["check.foreign-city"]["min_mentions"]
    own = next((i for i, m in enumerate(members) if m == r.match.member), None)
    out = []
    for s in r.sections:
        counts = index.count(s.text)
        mine = counts.get(own, 0)
        others = [(n, members[i].city) for i, n in counts.items() if i != own and n >= least and n > mine]
        if others:
            n, city = max(others)
            out.append(make_finding(
                rules, r.portrait.document_id, r.match.city_id, "foreign_city_text", "sections", s.section,
                f"The {s.section} section names {city} {n}× and {r.match.member.city} {mine}×: "
                f"it probably carries {city}'s text.", city, s.char_start, s.char_end))
    return out


def validate(results: list[PortraitResult], members: dict[str, tuple[tuple[Member, ...], MentionIndex]],
             rules: Rules) -> list[Finding]:
    """Findings of the checks across all records of a run; ``members`` maps a
    document id to its member list and mention index."""
    out: list[Finding] = []
    for r in results:
        out += _plausibility(r, rules)
        out += _foreign_text(r, *members[r.portrait.document_id], rules)
    return out + _country_figures(results, rules)
