"""``formats`` rules (``formats.yaml``): the kinds of document (brochure, web
profile, challenge page), the signals that tell them apart, the sections a
portrait of each is expected to have, and its boilerplate."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from extract.errors import RuleError
from extract.rules.base import RuleFile, compile_pattern, need, number


@dataclass(frozen=True)
class Signal:
    id: str
    pattern: Any
    weight: float
    min_count: int = 1
    max_count: int | None = None


@dataclass(frozen=True)
class Format:
    """A kind of document and the signals that tell it."""

    id: str
    format: str
    threshold: float
    signals: tuple[Signal, ...]
    sections: tuple[str, ...] = ()
    boilerplate: tuple[tuple[str, Any], ...] = ()
    indicator_table: bool = False  # its portraits are expected to have one


def format_rules(formats: tuple[Format, ...], name: str) -> Format | None:
    """The rules of format ``name`` (``brochure``, ``web_profile``, …)."""
    return next((f for f in formats if f.format == name), None)


def load_formats(rf: RuleFile) -> tuple[Format, ...]:
    rf.keys(("formats",))
    f, out = rf.name, []
    for r in rf.list("formats"):
        rid = need(f, r, ("format", "threshold", "signals"), ("sections", "boilerplate", "indicator_table"))
        number(f, r, "threshold")
        if not isinstance(r["signals"], list) or not r["signals"]:
            raise RuleError(f, rid, "signals must be a non-empty list")
        if not isinstance(r.get("sections", []), list) or not isinstance(r.get("boilerplate", []), list):
            raise RuleError(f, rid, "sections and boilerplate must be lists")
        signals = []
        for sg in r["signals"]:
            sid = need(f, sg, ("pattern", "weight"), ("min_count", "max_count"))
            number(f, sg, "weight")
            rf.ids.append(sid)
            signals.append(Signal(sid, compile_pattern(f, sid, sg["pattern"], regex.M), float(sg["weight"]),
                                  int(sg.get("min_count", 1)), sg.get("max_count")))
        boilerplate = []
        for bp in r.get("boilerplate", []):
            bid = need(f, bp, ("pattern",), ())
            rf.ids.append(bid)
            boilerplate.append((bid, compile_pattern(f, bid, bp["pattern"])))
        out.append(Format(rid, str(r["format"]), float(r["threshold"]), tuple(signals),
                          tuple(map(str, r.get("sections", []))), tuple(boilerplate),
                          bool(r.get("indicator_table", False))))
    return tuple(out)
