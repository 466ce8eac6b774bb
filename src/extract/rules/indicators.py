"""``indicators`` rules (``indicators.yaml``): the labels, scopes and groups
of an indicator table (fuzzy phrases), missing-value markers, units and
ranges; every label + scope combination precompiled as a row pattern."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from extract.errors import RuleError
from extract.rules.base import RuleFile, compile_pattern, need


@dataclass(frozen=True)
class Label:
    id: str
    key: str
    phrase: str
    pattern: Any
    default_scope: str = "city"
    starts_table: bool = False
    max_errors: int = 0
    columns: tuple[tuple[str, str], ...] = ()  # scope → the column of ``cities`` it fills
    scopes: tuple[str, ...] = ()  # the scopes a table prints it with (its default scope if not said)


@dataclass(frozen=True)
class IndicatorRules:
    labels: tuple[Label, ...]
    scopes: tuple[Label, ...]
    groups: tuple[Label, ...]
    missing: tuple[str, ...]
    unit_re: Any
    ranges: tuple[tuple[str, Any], ...]
    # (label, scope, pattern, shortest, longest): the lengths a match can have
    row_patterns: tuple[tuple[Label | None, Label | None, Any, int, int], ...]

    @property
    def indicators(self) -> frozenset[str]:
        return frozenset(lab.key for lab in self.labels)


def _fuzzy(file: str, rule: dict, key: str) -> Label:
    rid = need(file, rule, (key, "phrase"), ("max_errors", "default_scope", "starts_table", "columns", "scopes"))
    errors = rule.get("max_errors", 0)
    if not isinstance(errors, int) or isinstance(errors, bool) or errors < 0:
        raise RuleError(file, rid, "max_errors must be a whole number, 0 or more")
    columns = rule.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise RuleError(file, rid, "columns must map a scope to a column name")
    default = str(rule.get("default_scope", "city"))
    scopes = rule.get("scopes", [default])
    if not isinstance(scopes, list) or not all(isinstance(v, str) for v in scopes) or default not in scopes:
        raise RuleError(file, rid, "scopes must be a list of scopes that holds the default scope")
    body = regex.escape(str(rule["phrase"]))
    pattern = f"(?:{body}){{e<={errors}}}" if errors else body
    return Label(rid, str(rule[key]), str(rule["phrase"]), compile_pattern(file, rid, f"(?e){pattern}"),
                 default, bool(rule.get("starts_table", False)), errors,
                 tuple(sorted((str(k), v) for k, v in columns.items())), tuple(scopes))


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


def _patterns(rf: RuleFile, key: str) -> list[tuple[str, str]]:
    return [(need(rf.name, r, ("pattern",), ()), str(r["pattern"])) for r in rf.list(key)]


def load_indicators(rf: RuleFile) -> IndicatorRules:
    rf.keys(("labels", "scopes", "groups", "missing", "units", "ranges"))
    f = rf.name
    labels = tuple(_fuzzy(f, r, "indicator") for r in rf.list("labels"))
    scopes = tuple(_fuzzy(f, r, "scope") for r in rf.list("scopes"))
    groups = tuple(_fuzzy(f, r, "group") for r in rf.list("groups"))
    missing = tuple(str(r["phrase"]) for r in rf.list("missing") if need(f, r, ("phrase",), ()))
    scope_keys = {s.key for s in scopes}
    for lab in labels:
        if lab.default_scope not in scope_keys:
            raise RuleError(f, lab.id, f"default_scope {lab.default_scope!r} is no scope of this file "
                                       f"(scopes: {', '.join(sorted(scope_keys))})")
        for scope in [s for s, _ in lab.columns] + list(lab.scopes):
            if scope not in scope_keys:
                raise RuleError(f, lab.id, f"columns: {scope!r} is no scope of this file")
    unit_re = compile_pattern(f, "units", "|".join(f"(?:{p})" for _, p in _patterns(rf, "units")), regex.I)
    ranges = []
    for rid, p in _patterns(rf, "ranges"):
        pattern = compile_pattern(f, rid, p, regex.I)
        if not {"min", "max"} <= set(pattern.groupindex):
            raise RuleError(f, rid, "a range pattern needs the groups 'min' and 'max'")
        ranges.append((rid, pattern))
    return IndicatorRules(labels, scopes, groups, missing, unit_re, tuple(ranges), _row_patterns(labels, scopes))
