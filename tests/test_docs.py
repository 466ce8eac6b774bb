"""The README documents the commands, the rule kinds and the codes, and its
generated sections match the schemas and the rules. The commands are read from
the CLI's own parser and the kinds from the rule files, so a new one that the
README does not name fails here."""
from __future__ import annotations

import argparse

import pytest
import yaml

from conftest import ROOT
from extract.cli import _parser
from extract.qa.docs import generated_sections

README = (ROOT / "README.md").read_text(encoding="utf-8")
RULE_FILES = sorted((ROOT / "src" / "extract" / "rules").glob("*.yaml"))


def subcommands(parser: argparse.ArgumentParser) -> list[str]:
    """The subcommands of a parser, in the order it defines them."""
    return [name for action in parser._actions if isinstance(action, argparse._SubParsersAction)
            for name in action.choices]


def rule_kind(path) -> str:
    """The ``kind:`` a rule file declares."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["kind"]


def test_parser_has_subcommands():
    assert "run" in subcommands(_parser())


def test_rule_files_found():
    assert RULE_FILES


@pytest.mark.parametrize("command", subcommands(_parser()))
def test_command_documented(command):
    assert f"extract {command}" in README


@pytest.mark.parametrize("words", ["make extract", "make test"])
def test_make_targets_documented(words):
    assert words in README


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_rule_kind_documented(path):
    assert f"({rule_kind(path)})" in README


def test_generated_sections_are_current(rules):
    for name, body in generated_sections(rules).items():
        assert f"<!-- BEGIN {name} -->\n{body.rstrip()}\n<!-- END {name} -->" in README, \
            f"README section {name} is stale: run `make docs`"


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
