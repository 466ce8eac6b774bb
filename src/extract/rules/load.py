"""Load and validate the rule files of ``rules/``.

One loader reads every ``*.yaml`` file, checks each rule against the spec of
its file's ``kind`` and compiles its patterns; anything wrong raises
``RuleError`` naming the file and the rule id. Nothing is skipped."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex
import yaml

from extract.errors import RuleError

DEFAULT_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Heading:
    id: str
    section: str
    pattern: Any


@dataclass(frozen=True)
class Label:
    id: str
    key: str
    phrase: str
    pattern: Any
    default_scope: str = "city"
    starts_table: bool = False
    max_errors: int = 0


@dataclass(frozen=True)
class Severity:
    id: str
    severity: str
    description: str
    stderr: bool = False  # said on stderr too (errors always are)


@dataclass(frozen=True)
class ChallengePart:
    id: str
    part: str
    pattern: Any


@dataclass(frozen=True)
class SdgRule:
    id: str
    number: int
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ChallengeRules:
    """Rules of ``challenges.yaml``. ``sdg_re`` finds a goal by number
    (groups ``number`` and an optional ``name``) or by name (group ``alone``);
    ``sdg_names`` maps a folded name or alias to its number."""

    breadcrumb_id: str
    breadcrumb_re: Any
    parts: tuple[ChallengePart, ...]
    sdgs: tuple[SdgRule, ...]
    sdg_names: dict[str, int]
    sdg_number_id: str
    sdg_re: Any
    sdg_line_id: str
    sdg_separator_re: Any
    max_unknown_words: int
    group_separator_id: str
    group_separator_re: Any
    connectors: frozenset[str]
    dates: tuple[tuple[str, Any], ...]
    generic_words: frozenset[str]


@dataclass(frozen=True)
class Signal:
    id: str
    pattern: Any
    weight: float
    min_count: int = 1
    max_count: int | None = None


@dataclass(frozen=True)
class Format:
    """A kind of document (``formats.yaml``) and the signals that tell it."""

    id: str
    format: str
    threshold: float
    signals: tuple[Signal, ...]
    sections: tuple[str, ...] = ()
    boilerplate: tuple[tuple[str, Any], ...] = ()
    indicator_table: bool = False  # its portraits are expected to have one


@dataclass(frozen=True)
class Rules:
    headings: tuple[Heading, ...]
    labels: tuple[Label, ...]
    scopes: tuple[Label, ...]
    groups: tuple[Label, ...]
    missing: tuple[str, ...]
    honorifics: dict[str, str]
    honorific_re: Any
    role_words: frozenset[str]
    email_label_re: Any
    mayor_re: Any
    months: tuple[str, ...]
    country_aliases: dict[str, str]
    city_aliases: tuple[tuple[str, str, str], ...]
    member_heading: Any
    member_heading_id: str
    award_mark_re: Any
    award_legend_re: Any
    joined_re: Any
    published_re: Any
    bullet_re: Any
    open_quotes: str
    close_quotes: str
    continuation_words: frozenset[str]
    # (label, scope, pattern, shortest, longest): the lengths a match can have
    row_patterns: tuple[tuple[Label | None, Label | None, Any, int, int], ...]
    checks: dict[str, dict]
    findings: dict[str, Severity]
    rule_ids: tuple[str, ...]
    digest: str
    challenges: ChallengeRules | None = None
    formats: tuple[Format, ...] = ()
    unit_re: Any = None
    ranges: tuple[tuple[str, Any], ...] = ()
    themes: Any = None  # themes.ThemeRules
    events: Any = None  # events.EventRules


def format_rules(rules: "Rules", name: str) -> Format | None:
    """The rules of format ``name`` (``brochure``, ``web_profile``, …)."""
    return next((f for f in rules.formats if f.format == name), None)


def phrase_re(phrase: str) -> str:
    """A literal phrase as a pattern with any white space between words."""
    return r"\s+".join(regex.escape(w) for w in phrase.split())


def _compile(file: str, rule_id: str, pattern: str, flags: int = 0):
    try:
        return regex.compile(pattern, flags | regex.V1)
    except regex.error as exc:
        raise RuleError(file, rule_id, f"bad pattern: {exc}") from None


def need(file: str, rule: Any, keys: tuple[str, ...]) -> str:
    """The id of ``rule`` once it is a mapping holding ``id`` and ``keys``; else ``RuleError``."""
    if not isinstance(rule, dict):
        raise RuleError(file, "?", f"expected a mapping, got {type(rule).__name__}")
    rid = str(rule.get("id", "?"))
    for k in ("id",) + keys:
        if k not in rule or rule[k] in (None, ""):
            raise RuleError(file, rid, f"missing key {k!r}")
    return rid


def _fuzzy(file: str, rule: dict, key: str) -> Label:
    rid = need(file, rule, (key, "phrase"))
    errors = int(rule.get("max_errors", 0))
    body = regex.escape(str(rule["phrase"]))
    pattern = f"(?:{body}){{e<={errors}}}" if errors else body
    return Label(rid, str(rule[key]), str(rule["phrase"]),
                 _compile(file, rid, f"(?e){pattern}"),
                 str(rule.get("default_scope", "city")), bool(rule.get("starts_table", False)), errors)


def _body(label: Label) -> str:
    return f"(?:{regex.escape(label.phrase)}){{e<={label.max_errors}}}"


def _row_patterns(labels, scopes) -> tuple:
    """Every label, label + scope and scope alone, as best-match fullmatch
    patterns, with the shortest and longest text each can match (its phrases'
    length less or plus its error budget), so most lines need no matching."""
    combos = [(lab, None) for lab in labels] + [(lab, sc) for lab in labels for sc in scopes]
    combos += [(None, sc) for sc in scopes]
    out = []
    for lab, sc in combos:
        parts = [x for x in (lab, sc) if x]
        length, errors = sum(len(x.phrase) for x in parts), sum(x.max_errors for x in parts)
        out.append((lab, sc, regex.compile("(?b)" + "".join(_body(x) for x in parts)), length - errors, length + errors))
    return tuple(out)


def read_rule_file(path: Path, kind: str | None = None) -> dict:
    """The YAML mapping of a rule file, with a ``kind`` (``kind`` itself when
    given); else ``RuleError``."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(path.name, "-", f"not valid YAML: {exc}") from None
    if not isinstance(data, dict) or "kind" not in data:
        raise RuleError(path.name, "-", "a rule file is a mapping with a 'kind'")
    if kind is not None and data["kind"] != kind:
        raise RuleError(path.name, "-", f"a rule file of kind {kind!r} is a mapping with kind: {kind}")
    return data


def listed(file: str, data: dict, key: str, required: bool = True) -> list:
    """The list ``data[key]`` (non-empty when ``required``); else ``RuleError``."""
    value = data.get(key, [] if not required else None)
    if not isinstance(value, list) or (required and not value):
        raise RuleError(file, "-", f"{key!r} must be a {'non-empty ' if required else ''}list")
    return value


KINDS = ("headings", "indicators", "people", "countries", "cities", "document", "text",
         "validation", "findings", "challenges", "formats", "themes", "events")
CHALLENGE_PARTS = ("challenge", "expected_impact", "target_groups", "deadline")


def sdg_key(name: str) -> str:
    return " ".join(name.casefold().split())


def rule_section(file: str, data: dict, key: str, keys: tuple[str, ...], ids: list[str]) -> dict:
    """The mapping ``data[key]``, holding an id (added to ``ids``) and ``keys``."""
    if not isinstance(data.get(key), dict):
        raise RuleError(file, key, "missing section")
    ids.append(need(file, data[key], keys))
    return data[key]


def _challenge_rules(file: str, data: dict, ids: list[str]) -> ChallengeRules:
    """The rules of the ``challenges`` kind, validated; ``ids`` gets their ids."""
    def listed(key: str) -> list:
        if not isinstance(data.get(key), list) or not data[key]:
            raise RuleError(file, "-", f"{key!r} must be a non-empty list")
        ids.extend(need(file, r, ()) for r in data[key])
        return data[key]

    bc = rule_section(file, data, "breadcrumb", ("pattern",), ids)
    breadcrumb_re = _compile(file, bc["id"], bc["pattern"], regex.M)
    if "title" not in breadcrumb_re.groupindex:
        raise RuleError(file, bc["id"], "the pattern needs a group 'title'")
    parts = []
    for r in listed("parts"):
        rid = need(file, r, ("part", "phrase"))
        if r["part"] not in CHALLENGE_PARTS:
            raise RuleError(file, rid, f"part must be one of {', '.join(CHALLENGE_PARTS)}, not {r['part']!r}")
        # At a line start, glued to the text before it or after a sentence's
        # end; then a colon, the line end, glued text or a capital or digit.
        pat = (rf"(?:^[ \t]*|(?<=\S)|(?<=[.!?;:)\"'][ \t]+))(?P<h>{phrase_re(str(r['phrase']))})"
               rf"(?=[ \t]*:|[ \t]*$|\S|[ \t]+[\p{{Lu}}\p{{N}}])[ \t]*:?[ \t]*")
        parts.append(ChallengePart(rid, r["part"], _compile(file, rid, pat, regex.M)))
    for part in CHALLENGE_PARTS:
        if part not in {p.part for p in parts}:
            raise RuleError(file, "parts", f"no label of the part {part!r}")
    sdgs, names = [], {}
    for r in listed("sdgs"):
        rid = need(file, r, ("number", "name"))
        aliases = r.get("aliases", [])
        if not isinstance(r["number"], int) or not 1 <= r["number"] <= 17:
            raise RuleError(file, rid, "number must be a whole number from 1 to 17")
        if r["number"] in {s.number for s in sdgs} or not isinstance(aliases, list):
            raise RuleError(file, rid, f"number {r['number']} is used twice, or aliases is not a list")
        for name in [r["name"], *aliases]:
            if sdg_key(str(name)) in names:
                raise RuleError(file, rid, f"{name!r} also names SDG {names[sdg_key(str(name))]}")
            names[sdg_key(str(name))] = r["number"]
        sdgs.append(SdgRule(rid, r["number"], str(r["name"]), tuple(map(str, aliases))))
    if len(sdgs) != 17:
        raise RuleError(file, "sdgs", "all 17 goals need a rule")
    num = rule_section(file, data, "sdg_number", ("pattern", "joiner"), ids)
    alts = "|".join(phrase_re(n) for n in sorted(names, key=len, reverse=True))
    sdg_re = _compile(file, num["id"], rf"(?<![\p{{L}}\p{{N}}])(?:(?:{num['pattern']})(?:{num['joiner']}"
                      rf"(?P<name>{alts}))?|(?P<alone>{alts}))(?![\p{{L}}\p{{N}}])", regex.I)
    if "number" not in sdg_re.groupindex:
        raise RuleError(file, num["id"], "the pattern needs a group 'number'")
    line = rule_section(file, data, "sdg_line", ("separators", "max_unknown_words"), ids)
    if not isinstance(line["max_unknown_words"], int):
        raise RuleError(file, line["id"], "max_unknown_words must be a whole number")
    gs = rule_section(file, data, "group_separators", ("pattern",), ids)
    gc = rule_section(file, data, "group_connectors", ("words",), ids)
    gw = rule_section(file, data, "generic_words", ("words",), ids)
    dates = []
    for r in listed("dates"):
        rid = need(file, r, ("pattern",))
        pattern = _compile(file, rid, r["pattern"], regex.I)
        if not {"year", "month", "day"} <= set(pattern.groupindex):
            raise RuleError(file, rid, "a date pattern needs the groups 'year', 'month' and 'day'")
        dates.append((rid, pattern))
    generic = {str(w).casefold() for w in gw["words"]}
    generic |= {w.casefold() for s in sdgs for n in (s.name, *s.aliases) for w in regex.findall(r"[\w'-]+", n)}
    return ChallengeRules(
        breadcrumb_id=bc["id"], breadcrumb_re=breadcrumb_re, parts=tuple(parts), sdgs=tuple(sdgs),
        sdg_names=names, sdg_number_id=num["id"], sdg_re=sdg_re, sdg_line_id=line["id"],
        sdg_separator_re=_compile(file, line["id"], line["separators"]),
        max_unknown_words=int(line["max_unknown_words"]), group_separator_id=gs["id"],
        group_separator_re=_compile(file, gs["id"], gs["pattern"]),
        connectors=frozenset(str(w).casefold() for w in gc["words"]), dates=tuple(dates),
        generic_words=frozenset(generic))


def load_rules(directory: str | Path = DEFAULT_DIR) -> Rules:
    """Read every rule file of ``directory`` into one validated ``Rules``."""
    directory = Path(directory)
    files = sorted(directory.glob("*.yaml"))
    by_kind: dict[str, tuple[str, dict]] = {}
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        data = read_rule_file(path)
        kind = data["kind"]
        if kind not in KINDS:
            raise RuleError(path.name, "-", f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
        if kind in by_kind:
            raise RuleError(path.name, "-", f"kind {kind!r} is also in {by_kind[kind][0]}")
        by_kind[kind] = (path.name, data)
    missing = [k for k in KINDS if k not in by_kind]
    if missing:
        raise RuleError(str(directory), "-", f"no rule file of kind {', '.join(missing)}")
    ids: list[str] = []

    def rules_of(kind: str, key: str) -> tuple[str, list]:
        file, data = by_kind[kind]
        value = data.get(key)
        if not isinstance(value, list) or not value:
            raise RuleError(file, "-", f"{key!r} must be a non-empty list")
        for rule in value:
            ids.append(need(file, rule, ()))
        return file, value

    f, hs = rules_of("headings", "rules")
    headings = []
    for r in hs:
        rid = need(f, r, ("section", "phrase"))
        # At a line start, or glued to a word before it (scraped text); never
        # inside a sentence after a space.
        pat = rf"(?:^|(?<=[^\s]))[ \t]*(?P<h>{phrase_re(r['phrase'])}){r.get('suffix', '')}"
        headings.append(Heading(rid, r["section"], _compile(f, rid, pat, regex.M)))

    f, ls = rules_of("indicators", "labels")
    labels = tuple(_fuzzy(f, r, "indicator") for r in ls)
    f, ss = rules_of("indicators", "scopes")
    scopes = tuple(_fuzzy(f, r, "scope") for r in ss)
    f, gs = rules_of("indicators", "groups")
    groups = tuple(_fuzzy(f, r, "group") for r in gs)
    f, ms = rules_of("indicators", "missing")
    missing = tuple(str(need(f, r, ("phrase",)) and r["phrase"]) for r in ms)

    f, hon = rules_of("people", "honorifics")
    honorifics = {}
    for r in hon:
        need(f, r, ("phrase", "canonical"))
        honorifics[str(r["phrase"]).rstrip(".").lower()] = str(r["canonical"])
    alts = "|".join(sorted((regex.escape(str(r["phrase"]).rstrip(".")) for r in hon), key=len, reverse=True))
    honorific_re = _compile(f, "honorifics", rf"(?:(?:{alts})\.?(?:\s+|$))+", regex.I)
    f, rw = rules_of("people", "role_words")
    role_words = frozenset(str(need(f, r, ("phrase",)) and r["phrase"]).lower() for r in rw)
    f, el = rules_of("people", "email_labels")
    email_label_re = _compile(f, "email_labels", "|".join(
        f"(?:{need(f, r, ('pattern',)) and r['pattern']})" for r in el), regex.I)

    f, people = by_kind["people"]
    mayor = people.get("mayor_title")
    if not isinstance(mayor, dict):
        raise RuleError(f, "mayor_title", "missing section")
    ids.append(need(f, mayor, ("pattern",)))
    mayor_re = _compile(f, mayor["id"], mayor["pattern"], regex.I)

    f, ca = rules_of("countries", "aliases")
    country_aliases = {}
    for r in ca:
        rid = need(f, r, ("name", "alpha_3"))
        if not regex.fullmatch(r"[A-Z]{3}", str(r["alpha_3"])):
            raise RuleError(f, rid, "alpha_3 must be three capital letters")
        country_aliases[str(r["name"]).casefold()] = str(r["alpha_3"])

    f, cia = rules_of("cities", "aliases")
    city_aliases = tuple((need(f, r, ("city", "alias")), str(r["city"]), str(r["alias"])) for r in cia)

    f, doc = by_kind["document"]
    for key in ("member_list", "award_legend", "joined", "published"):
        if not isinstance(doc.get(key), dict):
            raise RuleError(f, key, "missing section")
        ids.append(need(f, doc[key], ()))
    ml = doc["member_list"]
    need(f, ml, ("heading", "award_mark"))

    f, text = by_kind["text"]
    _, bl = rules_of("text", "bullets")
    bullet_alts = "|".join(f"(?:{need(f, r, ('pattern',)) and r['pattern']})" for r in bl)

    f, val = rules_of("validation", "checks")
    checks = {r["id"]: r for r in val}

    f, fc = rules_of("findings", "codes")
    findings = {}
    for r in fc:
        rid = need(f, r, ("severity", "description"))
        if r["severity"] not in ("error", "warning", "info"):
            raise RuleError(f, rid, f"severity must be error, warning or info, not {r['severity']!r}")
        if not isinstance(r.get("stderr", False), bool):
            raise RuleError(f, rid, "stderr must be true or false")
        findings[rid] = Severity(rid, r["severity"], r["description"], r.get("stderr", False))

    challenges = _challenge_rules(*by_kind["challenges"], ids)

    f, us = rules_of("indicators", "units")
    unit_re = _compile(f, "units", "|".join(f"(?:{need(f, r, ('pattern',)) and r['pattern']})" for r in us), regex.I)
    f, rs = rules_of("indicators", "ranges")
    ranges = []
    for r in rs:
        rid = need(f, r, ("pattern",))
        pattern = _compile(f, rid, r["pattern"], regex.I)
        if not {"min", "max"} <= set(pattern.groupindex):
            raise RuleError(f, rid, "a range pattern needs the groups 'min' and 'max'")
        ranges.append((rid, pattern))

    f, fs = rules_of("formats", "formats")
    formats = []
    for r in fs:
        rid = need(f, r, ("format", "threshold", "signals"))
        if not isinstance(r["signals"], list) or not r["signals"]:
            raise RuleError(f, rid, "signals must be a non-empty list")
        signals = []
        for sg in r["signals"]:
            sid = need(f, sg, ("pattern", "weight"))
            ids.append(sid)
            signals.append(Signal(sid, _compile(f, sid, sg["pattern"], regex.M), float(sg["weight"]),
                                  int(sg.get("min_count", 1)), sg.get("max_count")))
        boilerplate = []
        for bp in r.get("boilerplate", []):
            bid = need(f, bp, ("pattern",))
            ids.append(bid)
            boilerplate.append((bid, _compile(f, bid, bp["pattern"])))
        formats.append(Format(rid, str(r["format"]), float(r["threshold"]), tuple(signals),
                              tuple(map(str, r.get("sections", []))), tuple(boilerplate),
                              bool(r.get("indicator_table", False))))

    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RuleError(str(directory), dupes[0], "rule id used more than once")
    from extract.enrich.events import load_event_rules
    from extract.enrich.themes import load_theme_rules
    themes = load_theme_rules(Path(directory) / by_kind["themes"][0])
    events = load_event_rules(Path(directory) / by_kind["events"][0])
    ids += list(themes.rule_ids) + list(events.rule_ids)

    fdoc = by_kind["document"][0]
    return Rules(
        headings=tuple(headings), labels=labels, scopes=scopes, groups=groups, missing=missing,
        honorifics=honorifics, honorific_re=honorific_re, role_words=role_words,
        email_label_re=email_label_re, mayor_re=mayor_re,
        months=tuple(str(m).casefold() for m in doc.get("months", [])), country_aliases=country_aliases, city_aliases=city_aliases,
        member_heading=_compile(fdoc, ml["id"], rf"^\s*{phrase_re(ml['heading'])}\s*$", regex.M | regex.I),
        member_heading_id=ml["id"],
        award_mark_re=_compile(fdoc, ml["id"], rf"\s*(?P<mark>{ml['award_mark']})\s*$"),
        award_legend_re=_compile(fdoc, doc["award_legend"]["id"], doc["award_legend"]["pattern"], regex.M),
        joined_re=_compile(fdoc, doc["joined"]["id"], doc["joined"]["pattern"], regex.I),
        published_re=_compile(fdoc, doc["published"]["id"], doc["published"]["pattern"]),
        bullet_re=_compile(f, "bullets", rf"^(?P<indent>[ \t]*)(?P<marker>(?:(?:{bullet_alts})[ \t]+)+)"),
        open_quotes=str(text.get("open_quotes", "'\"")), close_quotes=str(text.get("close_quotes", "'\"")),
        continuation_words=frozenset(map(str, text.get("continuation_words", []))),
        row_patterns=_row_patterns(labels, scopes),
        checks=checks, findings=findings, rule_ids=tuple(ids), digest=digest.hexdigest(),
        challenges=challenges, formats=tuple(formats), unit_re=unit_re, ranges=tuple(ranges),
        themes=themes, events=events,
    )
