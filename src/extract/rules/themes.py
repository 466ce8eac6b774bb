"""``themes`` rules (``themes.yaml``): UNESCO's learning-city themes, the
sections they are looked for in, and the phrases and spaCy token patterns
(each with an id) that tag a passage with one; exclusions for phrases that
only look like a theme. Loaded into a blank English spaCy pipeline whose
``span_ruler`` holds every rule."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from extract.errors import RuleError
from extract.rules.base import Source, listed, need, read_rule_file

DEFAULT_PATH = Path(__file__).resolve().parent / "themes.yaml"
SPANS_KEY = "themes"
EXCLUDED = "!"  # label prefix of an exclusion: "!quality_learning"


@dataclass(frozen=True)
class ThemeRules:
    """The validated rules of a themes file; ``nlp`` holds the compiled ruler."""

    file: str
    sections: tuple[str, ...]
    themes: tuple[str, ...]
    rule_ids: tuple[str, ...]
    nlp: Any = field(compare=False, hash=False, repr=False)


def rule_to_patterns(file: str, rule: dict, label: str) -> list[dict]:
    """A rule's phrases and token patterns as ``SpanRuler`` patterns."""
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


def rules_to_ruler(file: str, labelled: list[tuple[dict, str]]) -> Any:
    """A blank English pipeline whose ``span_ruler`` holds every rule; a rule
    spaCy refuses raises ``RuleError`` naming it."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "LOWER",
                                               "validate": True, "overwrite": False})
    for rule, label in labelled:
        try:
            ruler.add_patterns(rule_to_patterns(file, rule, label))
        except (ValueError, TypeError, KeyError) as exc:
            raise RuleError(file, rule["id"], f"bad pattern: {str(exc).strip().splitlines()[-1]}") from None
    return nlp


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
                      rules_to_ruler(file, labelled))
