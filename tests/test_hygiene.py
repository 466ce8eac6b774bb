"""No Python file names a city, a country or a damaged label: such knowledge is in rules/."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, gold

SRC = sorted((ROOT / "src" / "extract").rglob("*.py"))
NAMES = sorted({g["city"] for g in gold("cities.csv")} | {g["country"] for g in gold("cities.csv")}
               | {"Sorocaba", "Hangzhou", "Bahir Dar", "Limerick", "Kano", "Bucheon", "Osan", "Philipsburg",
                  "Sint Maarten", "Marcovia", "Cantarranas", "Dangjin", "Gwanak", "Modi'in", "Honduras"})
DAMAGED = ["Coun\ttry", "Co ι", "Cit\ty", "(Country", "C\tCity", "intry", "Count\try"]


@pytest.mark.parametrize("path", SRC, ids=lambda p: p.relative_to(ROOT / "src").as_posix())
def test_no_city_or_label_literal(path: Path):
    text = path.read_text(encoding="utf-8")
    for name in NAMES:
        assert not re.search(rf"\b{re.escape(name)}\b", text), f"{path.name} names {name!r}"
    for label in DAMAGED:
        assert label not in text, f"{path.name} holds the damaged label {label!r}"


@pytest.mark.parametrize("path", SRC, ids=lambda p: p.relative_to(ROOT / "src").as_posix())
def test_module_size(path: Path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400
