"""The output tables: one spec per table, the single source of truth.

Input: nothing (the specs are constants). Output: ``TABLES``, table name →
``TableSpec``: its description, key and columns (``ColumnSpec``: type,
description, nullability, whether the contract names it, and the checks).
Everything else about the tables is built from these specs: ``arrow`` turns
records (plain dicts, one per row) into typed record batches, ``checks``
checks them, ``spill`` puts them in key order (``frames``: the same with
pandas and pandera, for the tests); ``dictionary`` generates the README's data dictionary and
``datapackage.json``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

YEARS = (1900, 2100)


@dataclass(frozen=True)
class ColumnSpec:
    """One column: ``type`` is ``string``, ``float``, ``Int`` or ``date`` (an ISO
    ``YYYY-MM-DD`` in the CSV, a date in Parquet and the data package); ``contract`` is
    False for columns added beyond CONTRACT.md. The checks (``allowed``,
    ``minimum``/``maximum``, an unanchored ``pattern`` matched in full) feed both
    the schema checks and the datapackage constraints. ``unit`` is the unit of a
    number in Pint's notation (``km^2``, ``USD``), for tools that show units
    (Datasette). ``set_separator`` marks a cell holding a set, its items
    separated by it: their order carries no meaning (``extract diff`` compares
    the cell as a set)."""

    name: str
    type: str
    description: str
    nullable: bool = True
    contract: bool = True
    allowed: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    unit: str | None = None
    set_separator: str | None = None


@dataclass(frozen=True)
class ForeignKey:
    """``fields`` of a table hold values of ``reference`` in ``table`` (every row's,
    by construction of the pipeline, whatever the input)."""

    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def ordered_pairs(self) -> tuple[tuple[str, str], ...]:
        """Column pairs that must hold ``low <= high`` where both are set."""
        pairs = [(n, n.replace("_start", "_end")) for n in self.names if n.endswith("char_start")]
        pairs.append(("value_min", "value_max"))
        return tuple((a, b) for a, b in pairs if a in self.names and b in self.names)


_col = ColumnSpec
def _year(name: str, of: str, **kw: Any) -> ColumnSpec:
    return _col(name, "Int", f"Reference year of `{of}` as printed next to it; empty when printed `(n/a)` or absent.",
                minimum=YEARS[0], maximum=YEARS[1], **kw)


SLUG = "[a-z0-9]+(-[a-z0-9]+)*"
NA_NOTE = "Empty when the document prints `n/a` or gives nothing, never 0; a range goes to `indicators` and leaves this empty."
CITY_ID = _col("city_id", "string", "Stable ASCII slug of the city name plus its ISO 3166-1 alpha-3 code, lower case "
               "(`<city-name>-<iso3>`); joins the tables to `cities`.", nullable=False, pattern=SLUG)
DOCUMENT_ID = "Name of the input file in `raw/` the row was read from."
RULE = _col("rule", "string", "Id of the rule (`rules/*.yaml`) that produced the row.", nullable=False, contract=False)
SECTION_TEXT = "broken lines and paragraphs re-joined, quotes and contact lines removed"


def _doc(contract: bool = False) -> ColumnSpec:
    return _col("document_id", "string", DOCUMENT_ID, nullable=False, contract=contract)


def _offsets(what: str, prefix: str = "", nullable: bool = False, contract: bool = True) -> tuple[ColumnSpec, ...]:
    cols = (
        _col(f"{prefix}char_start", "Int", f"Start of {what} in the decoded document text (0-based): "
             f"`text[{prefix}char_start:{prefix}char_end]` is the exact source.",
             nullable=nullable, contract=contract, minimum=0),
        _col(f"{prefix}char_end", "Int", f"End (exclusive) of {what} in the decoded document text; "
             f"never before `{prefix}char_start`.", nullable=nullable, contract=contract, minimum=0),
    )
    if prefix:
        return cols
    return cols + (_col("page", "Int", f"1-based page of the document where {what} starts (a PDF's page, or the "
                        "page between form feeds of a text file; 1 for a text without them).",
                        nullable=nullable, contract=False, minimum=1),)


def _measure(name: str, unit: str, year: bool = True, symbol: str | None = None) -> tuple[ColumnSpec, ...]:
    value = _col(name, "float", f"{unit}. {NA_NOTE}", unit=symbol)
    return (value, _year(f"{name}_year", name)) if year else (value,)


# Sections that are also columns of `cities` (the contact block is read into `contacts`).
CITY_SECTIONS = ("intro", "vision", "challenges", "plan")

CITIES = TableSpec("cities", "One row per city portrait or profile, with its figures and section texts in wide form.",
                   ("city_id", "document_id"), (
    CITY_ID,
    _col("city", "string", "City name as the document's member list or title gives it as printed, hyphens and words such as `State` kept.", nullable=False),
    _col("country", "string", "Country name as printed in the document, not normalized (see `country_code`).", nullable=False),
    _col("country_code", "string", "ISO 3166-1 alpha-3 code of the country (`KOR`, `SXM`, `GBR`).", nullable=False, pattern="[A-Z]{3}"),
    _doc(contract=True),
    _col("source_format", "string", "Kind of input document: `brochure`, `web_profile`, …", nullable=False),
    _col("tagline", "string", "The portrait's headline (`Learning always and everywhere`)."),
    _col("learning_city_award", "Int", "Year of a UNESCO Learning City Award the document states; empty when it states none.",
         minimum=YEARS[0], maximum=YEARS[1]),
    _col("joined_gnlc", "string", "When the city joined the UNESCO Global Network of Learning Cities, `YYYY-MM` or `YYYY`, "
         "where the document states it.", pattern="[0-9]{4}(-(0[1-9]|1[0-2]))?"),
    *_measure("population", "Number of inhabitants (persons)"),
    *_measure("area_km2", "Area in square kilometres (km²)", symbol="km^2"),
    *_measure("gdp_per_capita_city_usd", "GDP per capita of the city in US dollars (USD)", symbol="USD"),
    *_measure("gdp_per_capita_country_usd", "GDP per capita of the country in US dollars (USD)", symbol="USD"),
    *_measure("mean_years_schooling", "Mean years of schooling of the population, both sexes (years)"),
    *_measure("mean_years_schooling_men", "Mean years of schooling of men (years), where the document splits by sex; "
              "its year is `mean_years_schooling_year`", year=False),
    *_measure("mean_years_schooling_women", "Mean years of schooling of women (years), where the document splits by sex; "
              "its year is `mean_years_schooling_year`", year=False),
    *(_col(s, "string", f"Text of the `{s}` section, {SECTION_TEXT}; offsets in `sections`.")
      for s in CITY_SECTIONS),
    _col("contact_name", "string", "Name of the primary contact (`contacts` position 1), without honorific."),
    _col("contact_role", "string", "Role or office of the primary contact, as printed."),
    _col("contact_email", "string", "Email address of the primary contact after repair; empty when missing or invalid."),
    *(replace(c, contract=False) for c in _measure(
        "population_density_per_km2", "Inhabitants per square kilometre, where the document prints a density",
        symbol="1/km^2")),
    _col("portrait_index", "Int", "1-based position of the portrait in its document.", nullable=False, contract=False, minimum=1),
    *_offsets("the whole portrait", contract=False),
    *_offsets("the tagline", prefix="tagline_", nullable=True, contract=False),
    _col("city_evidence", "string", "Why the portrait was tied to this city: the rule and the printed text that named it.",
         nullable=False, contract=False),
    _col("format_evidence", "string", "Why the document was read as `source_format`: the format rule, its score "
         "against its threshold, and the signals of `rules/formats.yaml` that counted.", nullable=False, contract=False),
    _col("joined_year", "Int", "Year of `joined_gnlc`, as a number.", contract=False, minimum=YEARS[0], maximum=YEARS[1]),
    _col("joined_month", "Int", "Month of `joined_gnlc` (1–12) where it states one.", contract=False, minimum=1, maximum=12),
))

INDICATORS = TableSpec("indicators", "One row per figure printed in a portrait's indicator table, in long form, with ranges.",
                       ("city_id", "document_id", "indicator", "scope", "group"), (
    CITY_ID,
    _col("indicator", "string", "What the figure measures: `population` (persons), `area_km2` (km²), "
         "`population_density_per_km2` (persons per km²), `gdp_per_capita_usd` (USD), `mean_years_schooling` (years).",
         nullable=False),
    _col("scope", "string", "Whether the figure is the city's (`city`) or its country's (`country`).",
         nullable=False, allowed=("city", "country")),
    _col("group", "string", "Population group: `all`, `men` or `women`.", nullable=False, allowed=("all", "men", "women")),
    _col("value", "float", "The figure in the indicator's unit. Empty for a range or when printed `n/a`, never 0."),
    _col("value_min", "float", "Lower bound of a printed range (`Between USD 10,000 and USD 15,000` gives 10000, "
         "`More than 500` gives 500); empty for a single value."),
    _col("value_max", "float", "Upper bound of a printed range (15000 above; empty for `More than 500`); "
         "empty for a single value."),
    _year("year", "value"),
    _col("raw", "string", "The figure as printed (`USD 32,384`, `n/a`).", nullable=False),
    *_offsets("the printed figure"),
    _doc(),
    _col("year_raw", "string", "The year as printed (`2015`, `n/a`), brackets dropped.", contract=False),
    _col("label_raw", "string", "The row label as printed (`Total population`).", contract=False),
    *_offsets("the row label as printed", "label_", nullable=True, contract=False),
    RULE,
))

SECTIONS = TableSpec("sections", "One row per titled section of a portrait, with its full text and where it is.",
                     ("city_id", "document_id", "section"), (
    CITY_ID,
    _col("section", "string", "Which section: `intro`, `vision`, `challenges`, `plan`, `contact`, …", nullable=False),
    _col("text", "string", f"Section text, {SECTION_TEXT}."),
    *_offsets("the section"),
    _doc(),
    RULE,
    *_offsets("the section's heading as printed (empty for the intro)", "heading_", nullable=True, contract=False),
))

ITEMS = TableSpec("items", "One row per bullet or numbered list entry in a section.", ("city_id", "document_id", "section", "position"), (
    CITY_ID,
    _col("section", "string", "Section the list is in (see `sections`).", nullable=False),
    _col("position", "Int", "1-based order of the entry within its section.", nullable=False, minimum=1),
    _col("marker", "string", "The list marker as printed: `-`, `2.`, `1)`, `·`; empty for an entry of a run-in "
         "list (a challenge page's comma-separated target groups)."),
    _col("text", "string", "Entry text without its marker, broken lines re-joined.", nullable=False),
    *_offsets("the entry, marker included"),
    _doc(),
    _col("marker_raw", "string", "The marker exactly as in the decoded text, before folding look-alike characters.", contract=False),
    _col("level", "Int", "Nesting depth of the entry, 1 for top level.", nullable=False, contract=False, minimum=1),
    RULE,
))

CONTACTS = TableSpec("contacts", "One row per contact person named in a portrait.", ("city_id", "document_id", "position"), (
    CITY_ID,
    _col("position", "Int", "1-based order of the contact in the portrait; 1 is the primary contact.", nullable=False, minimum=1),
    _col("honorific", "string", "Honorific as printed, normalized (`Mr`, `Ms`); empty when none."),
    _col("name", "string", "Person's name without honorific, hyphenated names re-joined."),
    _col("role", "string", "Role or office as printed (`Learning City Project Coordinator`)."),
    _col("email", "string", "Email address after repair; empty when missing or invalid (see `email_status`)."),
    _col("email_raw", "string", "Email address exactly as printed; empty when none is printed."),
    _col("email_status", "string", "`valid` as printed, `repaired` (see findings), `invalid` or `missing`.",
         nullable=False, allowed=("valid", "repaired", "invalid", "missing")),
    *_offsets("the contact block"),
    _doc(),
    RULE,
))

QUOTES = TableSpec("quotes", "One row per quotation printed in a portrait, with its speaker.", ("city_id", "document_id", "position"), (
    CITY_ID,
    _col("position", "Int", "1-based order of the quote in the portrait.", nullable=False, minimum=1),
    _col("text", "string", "The quotation without its quotation marks, broken lines and pieces re-joined.", nullable=False),
    _col("speaker_honorific", "string", "Speaker's honorific (`Mr`, `Ms`); empty when none."),
    _col("speaker", "string", "Speaker's name without honorific."),
    _col("speaker_role", "string", "Speaker's role or office as printed (`Mayor of …`)."),
    *_offsets("the quote's first piece (where it begins; `spans` has every piece)"),
    _doc(),
    _col("spans", "string", "`start:end;start:end` offsets of the pieces the quote was joined from, in the order the quote reads (a piece printed earlier in the text, across a page, can come second).",
         nullable=False, contract=False, pattern="[0-9]+:[0-9]+(;[0-9]+:[0-9]+)*"),
    RULE,
    *_offsets("the speaker line (name and role as printed)", "speaker_", contract=False),
))

FINDINGS = TableSpec("findings", "What validation found: every value repaired, guessed or looking wrong, and every "
                     "document or portrait that could not be parsed.", ("document_id", "city_id", "code", "field"), (
    _col("document_id", "string", DOCUMENT_ID, nullable=False),
    _col("city_id", "string", "City the finding is about (see `cities`); empty for the document as a whole.", pattern=SLUG),
    _col("table", "string", "Output table the finding is about; empty for the document as a whole."),
    _col("field", "string", "Column the finding is about; empty for a whole row, portrait or document."),
    _col("severity", "string", "`error` (something could not be parsed), `warning` (looks wrong or was guessed) or "
         "`info` (a repair was made).", nullable=False, allowed=("error", "warning", "info")),
    _col("code", "string", "Stable code from the catalogue in `rules/findings.yaml` (`implausible_value`, `email_repaired`).",
         nullable=False),
    _col("message", "string", "One sentence a person understands.", nullable=False),
    _col("value", "string", "The value concerned, as printed or as stored."),
    *_offsets("the text concerned", nullable=True, contract=False),
))

CHALLENGE_FIELDS = (("title", "The challenge's title."),
                    ("description", "The paragraph that presents the city and its challenge."),
                    ("challenge", "The text under `Our challenge`."),
                    ("expected_impact", "The text under `Expected impact`."))
CHALLENGES = TableSpec("challenges", "One row per challenge page: a challenge a city posts to the network, "
                       "with the goals it serves and its deadline.", ("document_id",), (
    _col("document_id", "string", DOCUMENT_ID, nullable=False),
    replace(CITY_ID, nullable=True, description=CITY_ID.description + " Empty when no city could be tied to the page."),
    _col("city", "string", "City the page is about, as the page (or another document of the batch) names it."),
    _col("country", "string", "Its country as printed; empty when the page names none."),
    _col("country_code", "string", "ISO 3166-1 alpha-3 code of the country.", pattern="[A-Z]{3}"),
    *(_col(name, "string", text) for name, text in CHALLENGE_FIELDS),
    _col("sdgs", "string", "Numbers of the UN Sustainable Development Goals the page names, `;`-separated in printed "
         "order (`4;11;13`); one row each in `challenge_sdgs`.", pattern="[0-9]{1,2}(;[0-9]{1,2})*"),
    _col("target_groups", "string", "The target groups, `; `-separated; one row each in `items` "
         "(section `target_groups`)."),
    _col("deadline", "date", "Deadline for applications, a date (`YYYY-MM-DD` in the CSV)."),
    _col("deadline_raw", "string", "The deadline as printed."),
    *_offsets("the page's text", nullable=True),
    *(c for name, _ in CHALLENGE_FIELDS for c in _offsets(f"the {name.replace('_', ' ')}", prefix=f"{name}_",
                                                         nullable=True, contract=False)),
    *_offsets("the deadline as printed", prefix="deadline_", nullable=True, contract=False),
    _col("source_format", "string", "Kind of input document: `challenge_page`.", nullable=False, contract=False),
    _col("format_evidence", "string", "Why the document was read as a challenge page (see `cities.format_evidence`).",
         nullable=False, contract=False),
    _col("city_evidence", "string", "How the page was tied to its city: a city another document of the batch "
         "names, or a proper noun of the title the text repeats.", contract=False),
    RULE,
))

CHALLENGE_SDGS = TableSpec("challenge_sdgs", "One row per Sustainable Development Goal a challenge page names.",
                           ("document_id", "sdg"), (
    _col("document_id", "string", DOCUMENT_ID, nullable=False),
    replace(CITY_ID, nullable=True, description="City of the challenge page (see `challenges`)."),
    _col("sdg", "Int", "Number of the goal, 1 to 17 (`Quality Education` is 4).", nullable=False, minimum=1, maximum=17),
    _col("name", "string", "Official short name of the goal (`Quality Education`).", nullable=False),
    _col("raw", "string", "The goal as printed (`Quality Education`, `SDG 4`).", nullable=False),
    *_offsets("the goal as printed"),
    RULE,
))

THEMES = TableSpec("themes", "One row per passage of a portrait's vision, challenges or plan that names a theme of "
                   "UNESCO's learning-city vocabulary (`rules/themes.yaml`), with the words that triggered it.",
                   ("city_id", "document_id", "section", "position", "theme", "char_start"), (
    CITY_ID,
    _col("section", "string", "Section the passage is in: `vision`, `challenges` or `plan`.", nullable=False),
    _col("position", "Int", "Position of the list entry (see `items`); empty for the section's prose.", minimum=1),
    _col("theme", "string", "The theme: one of the six areas of the key features (`inclusive_learning`, "
         "`families_communities`, `workplace_learning`, `learning_technologies`, `quality_learning`, "
         "`culture_of_learning`) or the three wider benefits (`empowerment_inclusion`, `economy_culture`, "
         "`sustainable_development`, which also takes a named Sustainable Development Goal or the 2030 Agenda).",
         nullable=False),
    _col("rule", "string", "Id of the pattern in `rules/themes.yaml` that matched.", nullable=False),
    *_offsets("the words that triggered the tag"),
    _doc(),
    _col("matched", "string", "The words that triggered the tag, as printed.", nullable=False, contract=False),
))

EVENTS = TableSpec("events", "One row per dated fact in a portrait's narrative (`launched … in 1999`, "
                   "`15 years ago`), relative dates resolved against the year the document states.",
                   ("city_id", "document_id", "year", "char_start"), (
    CITY_ID,
    _col("year", "Int", "The year of the fact (a range gives its first and its last year).", nullable=False,
         minimum=1000, maximum=2100),
    _col("month", "Int", "The month, where the text states one.", minimum=1, maximum=12),
    _col("text", "string", "The sentence or list entry that states the fact, trimmed.", nullable=False),
    *_offsets("the sentence or list entry"),
    _doc(),
    RULE,
))

PARTNERS = TableSpec("partners", "For each city, the member cities with the most similar challenges and plans "
                     "(cosine of theme vectors weighted by rarity), filled up to three from wider evidence where "
                     "those are too few (`basis`; see the README).", ("city_id", "partner_city_id"), (
    CITY_ID,
    _col("partner_city_id", "string", "The partner city (see `cities`).", nullable=False, pattern=SLUG),
    _col("score", "float", "Similarity of the two cities by the measure `basis` names, 0 to 1: the cosine of their "
         "weighted theme counts, or for `profile` `1 / (1 + d)`, `d` the root mean square of the log10 differences "
         "of their figures. Scores compare only within one basis.", nullable=False, minimum=0, maximum=1),
    _col("shared_themes", "string", "Themes both cities name in the sections `basis` names, `;`-separated, the one "
         "adding most to the score first; empty when they share none (a `profile` partner).", set_separator=";"),
    _col("rank", "Int", "1 for the most similar partner of `city_id`; contiguous, first-tier partners first.",
         nullable=False, minimum=1, contract=False),
    _col("basis", "string", "The evidence the suggestion rests on: `challenges+plan` (themes of the challenges and "
         "plan: the first tier), `all sections` (themes of every tagged section, vision included: only for a city "
         "with fewer than three first-tier partners) or `profile` (population, city and country GDP per capita "
         "in log10 space: only for a city still short of three).", nullable=False, contract=False,
         allowed=("challenges+plan", "all sections", "profile")),
))

# The foreign keys every run's rows hold. Not declared: `items` (a challenge page's target groups
# belong to its city, which may have no portrait), `challenges` (the same), `findings`.
_PORTRAIT = ForeignKey(("city_id", "document_id"), "cities", ("city_id", "document_id"))
REFERENCES: Mapping[str, tuple[ForeignKey, ...]] = MappingProxyType({
    **{t: (_PORTRAIT,) for t in ("indicators", "sections", "contacts", "quotes", "themes", "events")},
    "partners": (ForeignKey(("city_id",), "cities", ("city_id",)), ForeignKey(("partner_city_id",), "cities", ("city_id",))),
    "challenge_sdgs": (ForeignKey(("document_id",), "challenges", ("document_id",)),),
})
TABLES: Mapping[str, TableSpec] = MappingProxyType(
    {t.name: replace(t, foreign_keys=REFERENCES.get(t.name, ())) for t in (
        CITIES, INDICATORS, SECTIONS, ITEMS, CONTACTS, QUOTES, FINDINGS, CHALLENGES, CHALLENGE_SDGS, THEMES, EVENTS,
        PARTNERS)})
