"""What every rule loader shares: reading a rule file, checking a rule's keys
(required, allowed, no others) and compiling its patterns. Anything wrong
raises ``RuleError`` naming the file and the rule id."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import regex

from extract.errors import RuleError


class Source(Protocol):
    """A rule file: a ``pathlib.Path`` or an ``importlib.resources`` Traversable."""

    name: str

    def read_bytes(self) -> bytes: ...


@dataclass(frozen=True)
class RuleFile:
    """One rule file read: its name, its mapping and the ids its loader took."""

    name: str
    data: dict
    ids: list

    def list(self, key: str, required: bool = True) -> list:
        """The rules listed under ``key``, each a mapping with an ``id`` (added to ``ids``)."""
        value = listed(self.name, self.data, key, required)
        for rule in value:
            self.ids.append(need(self.name, rule, ()))
        return value

    def section(self, key: str, keys: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
        """The one rule under ``key``, holding ``keys`` (its id added to ``ids``)."""
        return rule_section(self.name, self.data, key, keys, self.ids, optional)

    def keys(self, allowed: tuple[str, ...]) -> None:
        """``RuleError`` for a top-level key the file's kind does not know (a typo)."""
        unknown = sorted(set(self.data) - {"kind", *allowed})
        if unknown:
            raise RuleError(self.name, "-", f"unknown key {unknown[0]!r} (known: {', '.join(allowed)})")


def read_rule_file(path: Source, kind: str | None = None) -> dict:
    """The YAML mapping of a rule file, with a ``kind`` (``kind`` itself when
    given); else ``RuleError``. PyYAML is imported here, not with the
    module: a run whose rules come from the cache on disk never needs it."""
    import yaml

    # libyaml's safe loader when PyYAML was built with it (ten times faster), else PyYAML's own.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_bytes().decode("utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RuleError(path.name, "-", f"not valid YAML: {exc}") from None
    if not isinstance(data, dict) or "kind" not in data:
        raise RuleError(path.name, "-", "a rule file is a mapping with a 'kind'")
    if kind is not None and data["kind"] != kind:
        raise RuleError(path.name, "-", f"a rule file of kind {kind!r} is a mapping with kind: {kind}")
    return data


def need(file: str, rule: Any, keys: tuple[str, ...], optional: tuple[str, ...] | None = None) -> str:
    """The id of ``rule`` once it is a mapping holding ``id`` and ``keys``
    (and, when ``optional`` is given, no key but these); else ``RuleError``."""
    if not isinstance(rule, dict):
        raise RuleError(file, "?", f"expected a mapping, got {type(rule).__name__}")
    rid = str(rule.get("id", "?"))
    for k in ("id",) + keys:
        if k not in rule or rule[k] in (None, ""):
            raise RuleError(file, rid, f"missing key {k!r}")
    if optional is not None:
        unknown = sorted(set(rule) - {"id", *keys, *optional})
        if unknown:
            raise RuleError(file, rid, f"unknown key {unknown[0]!r} (known: {', '.join(('id',) + keys + optional)})")
    return rid


def listed(file: str, data: dict, key: str, required: bool = True) -> list:
    """The list ``data[key]`` (non-empty when ``required``); else ``RuleError``."""
    value = data.get(key, [] if not required else None)
    if not isinstance(value, list) or (required and not value):
        raise RuleError(file, "-", f"{key!r} must be a {'non-empty ' if required else ''}list")
    return value


def rule_section(file: str, data: dict, key: str, keys: tuple[str, ...], ids: list,
                 optional: tuple[str, ...] | None = None) -> dict:
    """The mapping ``data[key]``, holding an id (added to ``ids``) and ``keys``."""
    if not isinstance(data.get(key), dict):
        raise RuleError(file, key, "missing section")
    ids.append(need(file, data[key], keys, optional))
    return data[key]


def compile_pattern(file: str, rule_id: str, pattern: str, flags: int = 0):
    """``pattern`` compiled with the ``regex`` module (version 1); else ``RuleError``."""
    try:
        return regex.compile(pattern, flags | regex.V1)
    except (regex.error, TypeError) as exc:
        raise RuleError(file, rule_id, f"bad pattern: {exc}") from None


def phrases_of(file: str, rule_id: str, value: Any, key: str = "phrase") -> list[str]:
    """A rule's phrase, or its list of phrases (its ``key``), as a list;
    ``RuleError`` when it is neither or a phrase is blank."""
    phrases = value if isinstance(value, list) else [value]
    if not phrases or not all(isinstance(p, str) and p.split() for p in phrases):
        raise RuleError(file, rule_id, f"{key} must be a phrase or a list of phrases")
    return phrases


def phrase_re(phrase: str) -> str:
    """A literal phrase as a pattern with any white space between words."""
    return r"\s+".join(regex.escape(w) for w in phrase.split())


def number(file: str, rule: dict, key: str, kind: type = float) -> float:
    """``rule[key]`` checked to be a number of ``kind`` (an ``int`` stays an
    ``int``: messages print it as written); else ``RuleError``."""
    value = rule.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
        raise RuleError(file, str(rule.get("id", "?")), f"{key} must be a {'whole ' if kind is int else ''}number")
    return value
