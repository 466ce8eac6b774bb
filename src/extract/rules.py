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

from .errors import RuleError

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "rules"


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
    row_patterns: tuple[tuple[Label | None, Label | None, Any], ...]
    checks: dict[str, dict]
    findings: dict[str, Severity]
    rule_ids: tuple[str, ...]
    digest: str


def phrase_re(phrase: str) -> str:
    """A literal phrase as a pattern with any white space between words."""
    return r"\s+".join(regex.escape(w) for w in phrase.split())


def _compile(file: str, rule_id: str, pattern: str, flags: int = 0):
    try:
        return regex.compile(pattern, flags | regex.V1)
    except regex.error as exc:
        raise RuleError(file, rule_id, f"bad pattern: {exc}") from None


def _need(file: str, rule: Any, keys: tuple[str, ...]) -> str:
    if not isinstance(rule, dict):
        raise RuleError(file, "?", f"expected a mapping, got {type(rule).__name__}")
    rid = str(rule.get("id", "?"))
    for k in ("id",) + keys:
        if k not in rule or rule[k] in (None, ""):
            raise RuleError(file, rid, f"missing key {k!r}")
    return rid


def _fuzzy(file: str, rule: dict, key: str) -> Label:
    rid = _need(file, rule, (key, "phrase"))
    errors = int(rule.get("max_errors", 0))
    body = regex.escape(str(rule["phrase"]))
    pattern = f"(?:{body}){{e<={errors}}}" if errors else body
    return Label(rid, str(rule[key]), str(rule["phrase"]),
                 _compile(file, rid, f"(?e){pattern}"),
                 str(rule.get("default_scope", "city")), bool(rule.get("starts_table", False)), errors)


def _body(label: Label) -> str:
    return f"(?:{regex.escape(label.phrase)}){{e<={label.max_errors}}}"


def _row_patterns(labels, scopes) -> tuple:
    """Every label, label + scope and scope alone, as best-match fullmatch patterns."""
    combos = [(lab, None) for lab in labels] + [(lab, sc) for lab in labels for sc in scopes]
    combos += [(None, sc) for sc in scopes]
    return tuple((lab, sc, regex.compile("(?b)" + "".join(_body(x) for x in (lab, sc) if x)))
                 for lab, sc in combos)


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(path.name, "-", f"not valid YAML: {exc}") from None
    if not isinstance(data, dict) or "kind" not in data:
        raise RuleError(path.name, "-", "a rule file is a mapping with a 'kind'")
    return data


KINDS = ("headings", "indicators", "people", "countries", "cities", "document", "text",
         "validation", "findings")


def load_rules(directory: str | Path = DEFAULT_DIR) -> Rules:
    """Read every rule file of ``directory`` into one validated ``Rules``."""
    directory = Path(directory)
    files = sorted(directory.glob("*.yaml"))
    by_kind: dict[str, tuple[str, dict]] = {}
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        data = _read(path)
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
            ids.append(_need(file, rule, ()))
        return file, value

    f, hs = rules_of("headings", "rules")
    headings = []
    for r in hs:
        rid = _need(f, r, ("section", "phrase"))
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
    missing = tuple(str(_need(f, r, ("phrase",)) and r["phrase"]) for r in ms)

    f, hon = rules_of("people", "honorifics")
    honorifics = {}
    for r in hon:
        _need(f, r, ("phrase", "canonical"))
        honorifics[str(r["phrase"]).rstrip(".").lower()] = str(r["canonical"])
    alts = "|".join(sorted((regex.escape(str(r["phrase"]).rstrip(".")) for r in hon), key=len, reverse=True))
    honorific_re = _compile(f, "honorifics", rf"(?:(?:{alts})\.?(?:\s+|$))+", regex.I)
    f, rw = rules_of("people", "role_words")
    role_words = frozenset(str(_need(f, r, ("phrase",)) and r["phrase"]).lower() for r in rw)
    f, el = rules_of("people", "email_labels")
    email_label_re = _compile(f, "email_labels", "|".join(
        f"(?:{_need(f, r, ('pattern',)) and r['pattern']})" for r in el), regex.I)

    f, people = by_kind["people"]
    mayor = people.get("mayor_title")
    if not isinstance(mayor, dict):
        raise RuleError(f, "mayor_title", "missing section")
    ids.append(_need(f, mayor, ("pattern",)))
    mayor_re = _compile(f, mayor["id"], mayor["pattern"], regex.I)

    f, ca = rules_of("countries", "aliases")
    country_aliases = {}
    for r in ca:
        rid = _need(f, r, ("name", "alpha_3"))
        if not regex.fullmatch(r"[A-Z]{3}", str(r["alpha_3"])):
            raise RuleError(f, rid, "alpha_3 must be three capital letters")
        country_aliases[str(r["name"]).casefold()] = str(r["alpha_3"])

    f, cia = rules_of("cities", "aliases")
    city_aliases = tuple((_need(f, r, ("city", "alias")), str(r["city"]), str(r["alias"])) for r in cia)

    f, doc = by_kind["document"]
    for key in ("member_list", "award_legend", "joined", "published"):
        if not isinstance(doc.get(key), dict):
            raise RuleError(f, key, "missing section")
        ids.append(_need(f, doc[key], ()))
    ml = doc["member_list"]
    _need(f, ml, ("heading", "award_mark"))

    f, text = by_kind["text"]
    _, bl = rules_of("text", "bullets")
    bullet_alts = "|".join(f"(?:{_need(f, r, ('pattern',)) and r['pattern']})" for r in bl)

    f, val = rules_of("validation", "checks")
    checks = {r["id"]: r for r in val}

    f, fc = rules_of("findings", "codes")
    findings = {}
    for r in fc:
        rid = _need(f, r, ("severity", "description"))
        if r["severity"] not in ("error", "warning", "info"):
            raise RuleError(f, rid, f"severity must be error, warning or info, not {r['severity']!r}")
        findings[rid] = Severity(rid, r["severity"], r["description"])

    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RuleError(str(directory), dupes[0], "rule id used more than once")
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
    )
