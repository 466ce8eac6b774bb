"""``themes`` rules (``themes.yaml``): UNESCO's learning-city themes, the
sections they are looked for in, and the phrases and spaCy token patterns
(each with an id) that tag a passage with one; exclusions for phrases that
only look like a theme. Compiled once, at load, into a ``ThemeMatcher``
(``enrich/themematch.py`` runs it): the phrases as a table of lower-case
token sequences, each token pattern as plain steps (``tokenpatterns.py``)
with the words a match of it must hold (its anchors) and the most tokens it
can span, so that it is only tried around one of those words; spaCy's
English tokenizer and lexical data as plain data (``tokenizer.py``,
``tokenpatterns.Lexicon``). spaCy is imported only here, to build: it
tokenizes the phrases, validates the patterns and hands over its tokenizer's
rules; the compiled matcher holds no spaCy object, so a run that loads it
from the cache never imports spaCy."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from extract.errors import RuleError
from extract.rules.base import Source, listed, need, read_rule_file
from extract.rules.tokenizer import TokenizerRules, nlp_to_tokenizer_rules
from extract.rules.tokenpatterns import Lexicon, Step, nlp_to_lexicon, pattern_to_steps

DEFAULT_PATH = Path(__file__).resolve().parent / "themes.yaml"
EXCLUDED = "!"  # label prefix of an exclusion: "!quality_learning"
_COUNT = re.compile(r"\{(\d*)(,?)(\d*)\}")

Anchor = frozenset[str] | re.Pattern
Hits = tuple[tuple[str, str], ...]  # (label, rule id) of a phrase


@dataclass(frozen=True)
class TokenPattern:
    """One token pattern of a rule: ``steps``, the pattern compiled;
    ``anchors``, one per token it requires, the lower-case words that token
    can be (or a regular expression its lower-case form matches); ``reach``,
    the most tokens a match spans (``None``: no bound)."""

    label: str
    rule: str
    steps: tuple[Step, ...]
    anchors: tuple[Anchor, ...]
    reach: int | None


@dataclass
class Memo:
    """What matching builds and learns as it goes, kept with the compiled
    rules and bounded, never pickled (a memo unpickles empty): the tokenizer
    compiled (``enrich.tokenize.Tokenizer``, with what it has tokenized), each
    token pattern's checks, and the words tried against the
    regular-expression anchors, with those each one matches."""

    most: int = 100_000
    tokenizer: Any = None
    checks: dict[int, list] = field(default_factory=dict)
    tried: set[str] = field(default_factory=set)
    matching: dict[Any, set[str]] = field(default_factory=dict)

    def __reduce__(self):
        return (Memo, (self.most,))


@dataclass(frozen=True)
class ThemeMatcher:
    """Every rule compiled: the ``tokenizer`` rules and the ``lexicon`` of a
    blank English pipeline (what spaCy's ``SpanRuler`` would tokenize and
    match with); the phrases as tuples of lower-case tokens, each with its
    ``(label, rule)`` pairs, ``lengths``, the lengths of the phrases a first
    token starts, and ``seconds``, the second tokens of those longer than
    one; the token ``patterns``; ``joinable``: whether texts joined by a line
    break tokenize as each does alone (true unless a special case of the
    tokenizer holds white space besides a single character, which could then
    span two texts)."""

    tokenizer: TokenizerRules = field(compare=False, repr=False)
    lexicon: Lexicon = field(compare=False, repr=False)
    phrases: Mapping[tuple[str, ...], Hits]
    lengths: Mapping[str, tuple[int, ...]]
    seconds: Mapping[str, frozenset[str]]
    patterns: tuple[TokenPattern, ...]
    joinable: bool
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)


@dataclass(frozen=True)
class ThemeRules:
    """The validated rules of a themes file; ``matcher`` holds them compiled."""

    file: str
    sections: tuple[str, ...]
    themes: tuple[str, ...]
    rule_ids: tuple[str, ...]
    matcher: ThemeMatcher = field(compare=False, hash=False, repr=False)


def rule_to_patterns(file: str, rule: dict, label: str) -> list[dict]:
    """A rule's phrases and token patterns as ``SpanRuler`` patterns
    (``{"label", "pattern", "id"}``; a phrase's pattern is its text)."""
    rid = rule["id"]
    phrases, patterns = rule.get("phrases", []), rule.get("patterns", [])
    if not isinstance(phrases, list) or not isinstance(patterns, list) or not (phrases or patterns):
        raise RuleError(file, rid, "needs a list of 'phrases' or of 'patterns'")
    out = []
    for phrase in phrases:
        if not isinstance(phrase, str) or not phrase.strip():
            raise RuleError(file, rid, f"a phrase must be non-empty text, not {phrase!r}")
        out.append({"label": label, "pattern": phrase, "id": rid})
    for pattern in patterns:
        if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
            raise RuleError(file, rid, f"a pattern must be a list of token mappings, not {pattern!r}")
        phrased = pattern_to_phrases(pattern)
        out += ([{"label": label, "pattern": text, "id": rid} for text in phrased] if phrased is not None
                else [{"label": label, "pattern": pattern, "id": rid}])
    return out


def pattern_to_phrases(pattern: list[dict], most: int = 256) -> list[str] | None:
    """A token pattern of fixed words (each token ``{LOWER: word}`` or
    ``{LOWER: {IN: [words]}}``, no operator) as the phrases it stands for, so
    the fast phrase matcher finds it; None for any other pattern (or one
    standing for more than ``most`` phrases), which the token matcher keeps."""
    choices = []
    for token in pattern:
        if set(token) != {"LOWER"}:
            return None
        value = token["LOWER"]
        if isinstance(value, str):
            choices.append([value])
        elif isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
            choices.append(list(value["IN"]))
        else:
            return None
    phrases = [""]
    for options in choices:
        phrases = [f"{p} {o}".strip() for p in phrases for o in options]
        if len(phrases) > most:
            return None
    return phrases


def token_to_anchor(token: dict) -> Anchor | None:
    """What a token of a pattern says about its lower-case form: the words it
    can be (``LOWER``, ``ORTH`` or ``TEXT`` given as a word or ``IN`` a list),
    a regular expression (``LOWER`` ``REGEX``), or None (nothing usable)."""
    spec = {str(k).upper(): v for k, v in token.items()}
    for key in ("LOWER", "ORTH", "TEXT"):
        value = spec.get(key)
        fold = (lambda w: w) if key == "LOWER" else str.lower
        if isinstance(value, str):
            return frozenset({fold(value)})
        if isinstance(value, dict):
            words = value.get("IN")
            if isinstance(words, list) and all(isinstance(w, str) for w in words):
                return frozenset(map(fold, words))
            if key == "LOWER" and isinstance(value.get("REGEX"), str):
                return re.compile(value["REGEX"])
    return None


def token_to_counts(token: dict) -> tuple[int, int | None] | None:
    """The fewest and most tokens a pattern token takes (``None``: no most);
    None for an operator whose count is not plain (``!``)."""
    op = {str(k).upper(): v for k, v in token.items()}.get("OP")
    fixed = {None: (1, 1), "1": (1, 1), "?": (0, 1), "*": (0, None), "+": (1, None)}
    if op in fixed:
        return fixed[op]
    counted = _COUNT.fullmatch(op) if isinstance(op, str) else None
    if counted is None:
        return None
    low, comma, high = counted.groups()
    low_n = int(low or 0)
    return (low_n, int(high) if high else (None if comma else low_n))


def pattern_to_limits(pattern: list[dict]) -> tuple[tuple[Anchor, ...], int | None]:
    """A token pattern's anchors (one per token it requires and says
    something usable about) and its reach (``None`` when unbounded or unknown)."""
    anchors: list[Anchor] = []
    reach: int | None = 0
    for token in pattern:
        counts = token_to_counts(token)
        if counts is None:
            reach = None
            continue
        low, high = counts
        reach = None if reach is None or high is None else reach + high
        anchor = token_to_anchor(token) if low >= 1 else None
        if anchor is not None and anchor not in anchors:
            anchors.append(anchor)
    return tuple(anchors), reach


def rules_to_matcher(file: str, labelled: list[tuple[dict, str]]) -> ThemeMatcher:
    """Every rule compiled into a ``ThemeMatcher``: phrases tokenized as
    spaCy's ``SpanRuler`` tokenizes them, token patterns validated by spaCy's
    ``Matcher``, then compiled to steps; a rule spaCy refuses, or whose
    pattern reads what the run-time matcher does not, raises ``RuleError``
    naming it."""
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    tokenizer, lexicon = nlp_to_tokenizer_rules(nlp), nlp_to_lexicon(nlp)
    validator = Matcher(nlp.vocab, validate=True)
    phrases: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    patterns: list[TokenPattern] = []
    for rule, label in labelled:
        for entry in rule_to_patterns(file, rule, label):
            if isinstance(entry["pattern"], str):
                words = tuple(t.lower_ for t in nlp.make_doc(entry["pattern"]))
                if (label, entry["id"]) not in phrases.setdefault(words, []):
                    phrases[words].append((label, entry["id"]))
                continue
            try:
                validator.add(label, [entry["pattern"]])
            except (ValueError, TypeError, KeyError) as exc:
                raise RuleError(file, rule["id"], f"bad pattern: {str(exc).strip().splitlines()[-1]}") from None
            try:
                steps = pattern_to_steps(entry["pattern"])
            except ValueError as exc:
                raise RuleError(file, rule["id"], f"bad pattern: the token matcher does not read {exc}") from None
            patterns.append(TokenPattern(label, entry["id"], steps, *pattern_to_limits(entry["pattern"])))
    lengths: dict[str, set[int]] = {}
    seconds: dict[str, set[str]] = {}
    for words in phrases:
        lengths.setdefault(words[0], set()).add(len(words))
        seconds.setdefault(words[0], set()).update(words[1:2])
    joinable = all(len(s) == 1 or not any(c.isspace() for c in s) for s in tokenizer.specials)
    return ThemeMatcher(tokenizer, lexicon, {k: tuple(v) for k, v in phrases.items()},
                        {k: tuple(sorted(v)) for k, v in lengths.items()},
                        {k: frozenset(v) for k, v in seconds.items()}, tuple(patterns), joinable)


@cache
def load_theme_rules(path: Source = DEFAULT_PATH) -> ThemeRules:
    """``rules/themes.yaml`` read and validated into ``ThemeRules``; anything
    wrong raises ``RuleError(file, rule_id, reason)``."""
    file = path.name
    data = read_rule_file(path, "themes")
    scope = data.get("scope")
    need(file, scope, ("sections",))
    themes, ids = [], [scope["id"]]
    for entry in listed(file, data, "themes"):
        ids.append(need(file, entry, ("theme", "label")))
        themes.append(str(entry["theme"]))
    labelled = []
    for key, prefix in (("rules", ""), ("exclusions", EXCLUDED)):
        for rule in listed(file, data, key, required=key == "rules"):
            rid = need(file, rule, ("theme",))
            if rule["theme"] not in themes:
                raise RuleError(file, rid, f"unknown theme {rule['theme']!r} (known: {', '.join(themes)})")
            ids.append(rid)
            labelled.append((rule, prefix + rule["theme"]))
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RuleError(file, dupes[0], "rule id used more than once")
    return ThemeRules(file, tuple(map(str, scope["sections"])), tuple(themes), tuple(ids),
                      rules_to_matcher(file, labelled))
