"""Soft breaks of hard-wrapped text (read/layout.py) on minimal inputs in tests/inputs/."""
from __future__ import annotations

from pathlib import Path

from extract.read.layout import soft_breaks, wrap_width
from extract.read.textutil import lines_of

INPUTS = Path(__file__).resolve().parent / "inputs"


def test_wrap_width_leaves_out_table_rows():
    """A brochure wrapped at 35 columns whose table rows, their tabs expanded,
    are wider: the width is the prose's, so the tagline's break is soft."""
    text = (INPUTS / "wrapped-35-tables.txt").read_text(encoding="utf-8")
    assert wrap_width(lines_of(text)) <= 35
    assert text.index("\n") in soft_breaks(text)  # `… as a common` / `language`
