"""The README documents the commands, the rule kinds and the codes, and its
generated sections match the schemas and the rules."""
from __future__ import annotations

import pytest

from conftest import ROOT
from extract.qa.docs import generated_sections
from extract.rules import KINDS

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("words", ["make extract", "make test", "extract run", "extract dictionary", "extract docs"])
def test_commands_documented(words):
    assert words in README


@pytest.mark.parametrize("kind", KINDS)
def test_rule_kind_documented(kind):
    assert f"({kind})" in README


def test_generated_sections_are_current(rules):
    for name, body in generated_sections(rules).items():
        assert f"<!-- BEGIN {name} -->\n{body.rstrip()}\n<!-- END {name} -->" in README, \
            f"README section {name} is stale: run `make docs`"


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
