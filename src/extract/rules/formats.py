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
    navigation_id: str = ""
    navigation: Any = None  # a whole line of site navigation (`Home > Networks`), or None
    glue_id: str = ""
    glue: Any = None        # where a scraped page lost a line break (`everywhereKaunas`), or None


def _navigation(f: str, nav: Any) -> tuple[str, str]:
    """The id and the pattern (no anchors) of a navigation line: navigation
    words joined by separators."""
    nid = need(f, nav, ("words", "separators"), ())
    if not isinstance(nav["words"], list) or not isinstance(nav["separators"], list) or not nav["words"]:
        raise RuleError(f, nid, "words and separators must be lists (words non-empty)")
    words = "|".join(r"[ \t]+".join(regex.escape(p) for p in str(w).split())
                     for w in sorted(nav["words"], key=lambda w: -len(str(w))))
    seps = "|".join(regex.escape(str(s)) for s in nav["separators"])
    crumb = rf"(?i:{words})"
    return nid, rf"[ \t]*{crumb}(?:[ \t]*(?:{seps})[ \t]*{crumb})*[ \t]*(?:{seps})?[ \t]*"


def format_rules(formats: tuple[Format, ...], name: str) -> Format | None:
    """The rules of format ``name`` (``brochure``, ``web_profile``, …)."""
    return next((f for f in formats if f.format == name), None)


def load_formats(rf: RuleFile) -> tuple[Format, ...]:
    rf.keys(("formats",))
    f, out = rf.name, []
    for r in rf.list("formats"):
        rid = need(f, r, ("format", "threshold", "signals"),
                   ("sections", "boilerplate", "indicator_table", "navigation", "glue"))
        number(f, r, "threshold")
        if not isinstance(r["signals"], list) or not r["signals"]:
            raise RuleError(f, rid, "signals must be a non-empty list")
        if not isinstance(r.get("sections", []), list) or not isinstance(r.get("boilerplate", []), list):
            raise RuleError(f, rid, "sections and boilerplate must be lists")
        nid, nav = _navigation(f, r["navigation"]) if "navigation" in r else ("", "")
        if nid:
            rf.ids.append(nid)
        gid = need(f, r["glue"], ("pattern",), ()) if "glue" in r else ""
        if gid:
            rf.ids.append(gid)
        signals = []
        for sg in r["signals"]:
            sid = need(f, sg, ("pattern", "weight"), ("min_count", "max_count"))
            number(f, sg, "weight")
            rf.ids.append(sid)
            pattern = str(sg["pattern"])
            if "{navigation}" in pattern and not nid:
                raise RuleError(f, sid, "the pattern names {navigation} but the format has no navigation")
            pattern = pattern.replace("{navigation}", f"(?:{nav})")
            signals.append(Signal(sid, compile_pattern(f, sid, pattern, regex.M), float(sg["weight"]),
                                  int(sg.get("min_count", 1)), sg.get("max_count")))
        boilerplate = []
        for bp in r.get("boilerplate", []):
            bid = need(f, bp, ("pattern",), ())
            rf.ids.append(bid)
            boilerplate.append((bid, compile_pattern(f, bid, bp["pattern"])))
        out.append(Format(rid, str(r["format"]), float(r["threshold"]), tuple(signals),
                          tuple(map(str, r.get("sections", []))), tuple(boilerplate),
                          bool(r.get("indicator_table", False)), nid,
                          compile_pattern(f, nid, rf"^{nav}$") if nid else None, gid,
                          compile_pattern(f, gid, r["glue"]["pattern"]) if gid else None))
    return tuple(out)
