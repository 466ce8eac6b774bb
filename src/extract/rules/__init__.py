"""The rules: every piece of vocabulary and every pattern the stages use, as
data in the YAML files of this folder (shipped inside the package; ``--rules
DIR`` reads another folder).

One loader per kind turns its file into a frozen record, checking every rule
(required keys, no unknown key, patterns that compile, the groups a pattern
needs) and raising ``RuleError(file, rule_id, reason)`` on the first fault:

=============  ===================  ==========================================
kind           module               record
=============  ===================  ==========================================
headings       ``headings``         ``tuple[Heading, ...]``
indicators     ``indicators``       ``IndicatorRules``
people         ``people``           ``PeopleRules``
countries      ``places``           country aliases (in ``PlaceRules``)
cities         ``places``           city aliases (in ``PlaceRules``)
document       ``document``         ``DocumentRules``
text           ``text``             ``TextRules``
validation     ``validation``       ``ValidationRules``
findings       ``findings``         the catalogue: code → ``Severity``
challenges     ``challenges``       ``ChallengeRules``
formats        ``formats``          ``tuple[Format, ...]``
themes         ``themes``           ``ThemeRules``
events         ``events``           ``EventRules``
=============  ===================  ==========================================

``load_rules`` reads a folder, runs each loader, then checks the names that
cross files (``check.check_across``) and that no rule id is used twice. The
result is kept on disk (``cache``), keyed by the files' digest: the next run
with the same files unpickles it instead of parsing and compiling. Stages
take only the records they read (``segment(doc, headings, document,
indicators, places, people)``), never the whole ``Rules``."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from extract.errors import RuleError
from extract.rules.base import RuleFile, Source, read_rule_file
from extract.rules.cache import cached
from extract.rules.challenges import ChallengeRules, load_challenges
from extract.rules.document import DocumentRules, load_document
from extract.rules.events import EventRules, load_event_rules
from extract.rules.findings import Severity, load_findings
from extract.rules.formats import Format, load_formats
from extract.rules.headings import Heading, load_headings
from extract.rules.indicators import IndicatorRules, load_indicators
from extract.rules.people import PeopleRules, load_people
from extract.rules.places import CityEvidence, PlaceRules, load_cities, load_countries
from extract.rules.text import TextRules, load_text
from extract.rules.themes import ThemeRules, load_theme_rules
from extract.rules.validation import ValidationRules, load_validation

DEFAULT_DIR = files("extract.rules")
LOADERS = {
    "headings": load_headings, "indicators": load_indicators, "people": load_people,
    "countries": load_countries, "cities": load_cities, "document": load_document, "text": load_text,
    "validation": load_validation, "findings": load_findings, "challenges": load_challenges,
    "formats": load_formats,
}
KINDS = tuple(LOADERS) + ("themes", "events")


@dataclass(frozen=True)
class Rules:
    """Every kind's record, the files they came from, every rule id and the
    SHA-256 of the files (``run.json`` records it)."""

    headings: tuple[Heading, ...]
    indicators: IndicatorRules
    people: PeopleRules
    places: PlaceRules
    document: DocumentRules
    text: TextRules
    validation: ValidationRules
    findings: dict[str, Severity]
    challenges: ChallengeRules
    formats: tuple[Format, ...]
    themes: ThemeRules
    events: EventRules
    files: dict[str, str]  # kind → file name
    rule_ids: tuple[str, ...]
    digest: str


def rule_files(directory: Source) -> list:
    """The ``*.yaml`` files of a rules folder (a path or a package resource), by name."""
    return sorted((p for p in directory.iterdir() if p.name.endswith(".yaml") and p.is_file()),
                  key=lambda p: p.name)


def load_rules(directory: str | Path | Source = DEFAULT_DIR) -> Rules:
    """Read every rule file of ``directory`` into one validated ``Rules``; the
    same files loaded before come from the cache on disk (``cache.cached``)."""
    directory = Path(directory) if isinstance(directory, str) else directory
    if not directory.is_dir():
        raise RuleError(str(directory), "-", "no such rules folder")
    paths = rule_files(directory)
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return cached(digest.hexdigest(), lambda: _build_rules(directory, paths, digest.hexdigest()))


def _build_rules(directory: Source, paths: list, digest: str) -> Rules:
    """The rule files ``paths`` of ``directory`` read, each by its loader, and checked across files."""
    from extract.rules.check import check_across

    by_kind: dict[str, tuple[Source, dict]] = {}
    for path in paths:
        data = read_rule_file(path)
        kind = data["kind"]
        if kind not in KINDS:
            raise RuleError(path.name, "-", f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
        if kind in by_kind:
            raise RuleError(path.name, "-", f"kind {kind!r} is also in {by_kind[kind][0].name}")
        by_kind[kind] = (path, data)
    missing = [k for k in KINDS if k not in by_kind]
    if missing:
        raise RuleError(str(directory), "-", f"no rule file of kind {', '.join(missing)}")
    ids: list[str] = []
    loaded = {}
    for kind, loader in LOADERS.items():
        path, data = by_kind[kind]
        loaded[kind] = loader(RuleFile(path.name, data, ids))
    themes = load_theme_rules(by_kind["themes"][0])
    events = load_event_rules(by_kind["events"][0])
    ids += list(themes.rule_ids) + list(events.rule_ids)
    files_of = {kind: path.name for kind, (path, _) in by_kind.items()}
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        owner = next(files_of[k] for k, (_, d) in by_kind.items() if dupes[0] in str(d))
        raise RuleError(owner, dupes[0], "rule id used more than once")
    rules = Rules(
        headings=loaded["headings"], indicators=loaded["indicators"], people=loaded["people"],
        places=PlaceRules(loaded["countries"], *loaded["cities"]), document=loaded["document"],
        text=loaded["text"], validation=loaded["validation"], findings=loaded["findings"],
        challenges=loaded["challenges"], formats=loaded["formats"], themes=themes, events=events,
        files=files_of, rule_ids=tuple(ids), digest=digest)
    check_across(rules)
    return rules


__all__ = ["DEFAULT_DIR", "KINDS", "Rules", "load_rules", "rule_files", "ChallengeRules", "CityEvidence", "DocumentRules",
           "EventRules", "Format", "Heading", "IndicatorRules", "PeopleRules", "PlaceRules", "Severity",
           "TextRules", "ThemeRules", "ValidationRules"]
