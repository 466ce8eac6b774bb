"""Printed figures → numbers: thousands separators (commas, points, spaces,
apostrophes), decimal commas, units and currencies around the figure, and
ranges (``Between USD 10,000 and USD 15,000``, ``More than 500 inhabitants
per km²``). Units and range phrasings are rules (``rules/indicators.yaml``:
``units``, ``ranges``)."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from extract.rules import IndicatorRules
from extract.rules.derived import derived, kept

_THOUSANDS = regex.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_PLAIN = regex.compile(r"[0-9]+(?:\.[0-9]+)?")
_DECIMAL_COMMA = regex.compile(r"[0-9]+,[0-9]{1,2}")
_EURO = regex.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+")
# Thousands set apart by a space (SI and French style: no-break, narrow or
# thin) or an apostrophe (Swiss), the decimal mark a point or a comma.
_SPACED = regex.compile(r"[0-9]{1,3}(?:[ \u00a0\u2007\u2009\u202f'\u2019][0-9]{3})+(?:(?:(?P<comma>,)|\.)[0-9]+)?")


@dataclass(frozen=True)
class Quantity:
    value: float | None
    value_min: float | None
    value_max: float | None
    repair: str  # a finding code (`decimal_comma`) or ""
    rule: str    # the range rule that read it, or ""


def number(raw: str) -> tuple[float | None, str]:
    """A printed number → (value, repair code or ``""``); (None, "") if unreadable."""
    s = raw.strip()
    if s.isascii() and s.isdigit():  # ASCII digits only: what _PLAIN matches without a decimal point
        return float(s), ""
    if _PLAIN.fullmatch(s):
        return float(s), ""
    if _THOUSANDS.fullmatch(s):
        return float(s.replace(",", "")), ""
    if _DECIMAL_COMMA.fullmatch(s):
        return float(s.replace(",", ".")), "decimal_comma"
    if _EURO.fullmatch(s):
        return float(s.replace(".", "").replace(",", ".")), "decimal_comma"
    m = _SPACED.fullmatch(s)
    if m:
        digits = "".join(c for c in s if c.isdigit() or c in ".,").replace(",", ".")
        return float(digits), "decimal_comma" if m.group("comma") else ""
    return None, ""


_MEMO_MOST = 4096  # figures remembered per rules; more start the memo again
_UNREAD = object()


def _memo(_rules: IndicatorRules) -> dict[str, Quantity | None]:
    return {}


def quantity(raw: str, rules: IndicatorRules) -> Quantity | None:
    """A printed figure, with its units dropped → a value or a range; None if
    unreadable. Remembered per rules: a table's value is read when its row
    is told (``rows.is_figure``) and again when it is extracted."""
    memo = derived(_memo, rules)
    got = memo.get(raw, _UNREAD)
    if got is _UNREAD:
        got = kept(memo, raw, _quantity(raw, rules), _MEMO_MOST)
    return got  # type: ignore[return-value]


def _quantity(raw: str, rules: IndicatorRules) -> Quantity | None:
    """``quantity``, read afresh."""
    bare = " ".join(rules.unit_re.sub(" ", raw).split()) if rules.unit_re else " ".join(raw.split())
    value, repair = number(bare)
    if value is not None:
        return Quantity(value, None, None, repair, "")
    for rid, pattern in rules.ranges:
        m = pattern.fullmatch(bare)
        if m is None:
            continue
        low, r1 = number(m.group("min")) if m.group("min") else (None, "")
        high, r2 = number(m.group("max")) if m.group("max") else (None, "")
        if (m.group("min") and low is None) or (m.group("max") and high is None):
            continue
        return Quantity(None, low, high, r1 or r2, rid)
    return None
