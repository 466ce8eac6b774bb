"""A gold cell and an output cell → the counts they add to their field.

*Strict* matching: two numbers are equal within a relative and absolute
tolerance of 1e-9 (as the shared ``score.py``); text as is after NFC and white
space collapsing (line ends included). *Soft* matching: numbers the same; text
after NFKC, case folding and with white space and punctuation (Unicode ``P*``)
removed. Equal cells are a TP; an output value where the gold cell is empty a
FP; a gold value the output lacks a FN; two different values both. Two empty
cells count nothing. ``strict_form`` and ``soft_form`` give a cell as each
matching sees it (the soft form also compares keys and city names).
"""
from __future__ import annotations

import math
import re
import unicodedata

from extract.qa.evaluate_render import Counts

TOLERANCE = 1e-9
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def strict_form(value: str) -> str:
    """A cell as the strict matching sees it: NFC, white space collapsed, ends stripped."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def soft_form(value: str) -> str:
    """A cell as the soft matching sees it: NFKC, case folded, no white space, no punctuation."""
    folded = unicodedata.normalize("NFKC", value or "").casefold()
    return "".join(ch for ch in folded if not ch.isspace() and not unicodedata.category(ch).startswith("P"))


def numbers_equal(a: str, b: str) -> bool | None:
    """Whether two cells are the same number; None when either is not a number."""
    a, b = (a or "").strip(), (b or "").strip()
    if not (NUMBER.fullmatch(a) and NUMBER.fullmatch(b)):
        return None
    return math.isclose(float(a), float(b), rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def value_counts(gold: str, output: str, soft: bool) -> Counts:
    """The counts one pair of cells (gold, output) adds to its field under one matching."""
    has_gold, has_output = bool(strict_form(gold)), bool(strict_form(output))
    if not (has_gold and has_output):
        return Counts(fp=int(has_output), fn=int(has_gold))
    same = numbers_equal(gold, output)
    if same is None:
        form = soft_form if soft else strict_form
        same = form(gold) == form(output)
    return Counts(tp=1) if same else Counts(fp=1, fn=1)
