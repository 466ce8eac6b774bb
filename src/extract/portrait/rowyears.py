"""Where an indicator row prints its year: after its value, or between its
label and its value.

After the value (``year_after``): in brackets at the row's end (``(2014)``,
``(est. 2014)``, unclosed at a line end: ``(2014``), in square brackets
(``[2014]``), or a year alone after a cell gap (a tab, or two spaces or
more), a comma or ``in`` (``80,006⇥2010``, ``80,006, 2010``, ``80,006 in
2010``) when a value stands before it. Before the value (``year_first``): a
year in brackets, or after a comma, between the label and the value
(``Population (2010): 80,006``, ``Population, 2010⇥80,006``)."""
from __future__ import annotations

import re

import regex

_YEAR_RE = r"(?:1[89]|20)[0-9]{2}"
YEAR = regex.compile(_YEAR_RE)  # a year as a table prints one
BRACKETED = regex.compile(r"\(\s*(?P<year>[^()]*?)\s*\)?\s*$")
_SQUARE = regex.compile(r"\[\s*(?P<year>[^\[\]]*?)\s*\]\s*$")
_BARE = regex.compile(rf"(?:\t|[ ]{{2,}}|,[ \t]+|[ \t]+in[ \t]+)(?P<year>{_YEAR_RE})[ \t]*$")
_FIRST = regex.compile(rf"(?:[(\[][ \t]*(?P<year>{_YEAR_RE})[ \t]*[)\]]|,[ \t]*(?P<bare>{_YEAR_RE}))"
                       r"[ \t]*:?(?=[ \t]*(?:[0-9]|n/a\b))", regex.I)
DIGIT = re.compile("[0-9]")


def year_after(rest: str) -> tuple[int, int, int] | None:
    """In ``rest`` (a row after its label): where its value ends, and where
    its year starts and ends; None when it prints no year after the value."""
    m = BRACKETED.search(rest)
    if m is not None:
        return m.start(), m.start("year"), m.end("year")
    m = _SQUARE.search(rest) or _BARE.search(rest)
    if m is not None and rest[:m.start()].strip():
        return m.start(), m.start("year"), m.end("year")
    return None


def year_first(body: str, most: int) -> tuple[str, int, int] | None:
    """In ``body`` (a row's line), a year printed between its label and its
    value, in the first ``most`` characters and before any other digit: the
    line with that print blanked (brackets, comma and colon included), and
    where the year starts and ends; None when there is none."""
    if "(" not in body and "[" not in body and "," not in body:
        return None
    m = _FIRST.search(body, 0, most)
    if m is None or DIGIT.search(body, 0, m.start()) is not None:
        return None
    group = "year" if m.group("year") else "bare"
    return body[:m.start()] + " " * (m.end() - m.start()) + body[m.end():], m.start(group), m.end(group)
