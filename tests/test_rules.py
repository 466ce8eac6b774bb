"""The rule loaders read every rule on disk and fail loudly on a bad one,
naming the right file and rule id; names that cross files are checked."""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, rule_ids
from extract.cli import main
from extract.errors import RuleError
from extract.findings import CODES
from extract.rules import DEFAULT_DIR, load_rules

RULES = Path(str(DEFAULT_DIR))
BROCHURE = ROOT / "raw" / "gnlc-portraits-2016.txt"


def _ids_on_disk() -> set[str]:
    return {i for p in RULES.glob("*.yaml") for i in rule_ids(yaml.safe_load(p.read_text(encoding="utf-8")))}


def test_rules_loaded_equal_rules_on_disk(rules):
    assert set(rules.rule_ids) == _ids_on_disk()
    assert len(rules.rule_ids) == len(set(rules.rule_ids))


def _drop(items: list, key: str, value: str) -> None:
    items[:] = [i for i in items if i.get(key) != value]


def _rename(items: list, rule_id: str, old: str, new: str) -> None:
    rule = next(i for i in items if i["id"] == rule_id)
    rule[new] = rule.pop(old)


BROKEN = [
    # (case id, file, edit, file named, rule id named)
    ("missing-key", "headings.yaml", lambda d: d["rules"][0].pop("phrase"), "headings.yaml", "heading.vision"),
    ("misspelt-key", "headings.yaml", lambda d: _rename(d["rules"], "heading.plan", "phrase", "phrse"),
     "headings.yaml", "heading.plan"),
    ("bad-severity", "findings.yaml", lambda d: d["codes"][0].update(severity="fatal"), "findings.yaml",
     "document_unreadable"),
    ("bad-alpha-3", "countries.yaml", lambda d: d["aliases"][0].update(alpha_3="iran"), "countries.yaml",
     "country.iran"),
    ("bad-pattern", "text.yaml", lambda d: d["bullets"][0].update(pattern="[-"), "text.yaml", "bullet.dash"),
    ("duplicate-id", "cities.yaml", lambda d: d["aliases"].append(dict(d["aliases"][0])), "cities.yaml",
     "alias.modiin"),
    ("validation-misspelt-key", "validation.yaml", lambda d: _rename(d["checks"], "check.gdp-ratio", "max", "mx"),
     "validation.yaml", "check.gdp-ratio"),
    ("validation-not-a-number", "validation.yaml", lambda d: d["checks"][0].update(min="ten"), "validation.yaml",
     "check.density"),
    ("validation-indicator-nowhere", "validation.yaml",
     lambda d: next(c for c in d["checks"] if c["id"] == "check.schooling").update(indicator="schooling"),
     "validation.yaml", "check.schooling"),
    ("theme-section-nowhere", "themes.yaml", lambda d: d["scope"]["sections"].append("visoin"), "themes.yaml",
     "scope"),
    ("event-section-nowhere", "events.yaml", lambda d: d["scope"]["sections"].append("visoin"), "events.yaml",
     "scope"),
    ("plan-heading-removed", "headings.yaml", lambda d: _drop(d["rules"], "section", "plan"), "formats.yaml",
     "format.brochure"),
    ("finding-code-removed", "findings.yaml", lambda d: _drop(d["codes"], "id", "portrait_truncated"),
     "findings.yaml", "portrait_truncated"),
    ("unknown-top-key", "document.yaml", lambda d: d.update(member_lists={}), "document.yaml", "-"),
    ("default-scope-nowhere", "indicators.yaml", lambda d: d["labels"][0].update(default_scope="town"),
     "indicators.yaml", "label.population"),
    ("email-domain-missing", "people.yaml", lambda d: d["email_address"].pop("domain"), "people.yaml",
     "email.address"),
    ("bullet-class-unknown", "text.yaml", lambda d: d["bullets"][0].update({"class": "star"}), "text.yaml",
     "bullet.dash"),
    ("columns-share-out-of-range", "text.yaml", lambda d: d["columns"].update(min_share=1.5), "text.yaml",
     "columns.gutter"),
    ("columns-misspelt-key", "text.yaml", lambda d: _rename([d["columns"]], "columns.gutter", "min_gutter", "min_gap"),
     "text.yaml", "columns.gutter"),
    ("columns-zone-reversed", "text.yaml", lambda d: d["columns"].update(zone=[0.7, 0.3]), "text.yaml",
     "columns.gutter"),
    ("heading-phrases-empty", "headings.yaml", lambda d: d["rules"][3].update(phrase=[]), "headings.yaml",
     "heading.contact"),
    ("member-heading-blank", "document.yaml", lambda d: d["member_list"].update(heading=["Member cities", " "]),
     "document.yaml", "doc.member-list"),
]


def _broken_copy(tmp_path: Path, file: str, edit) -> Path:
    rules_dir = tmp_path / "rules"
    shutil.copytree(RULES, rules_dir, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    data = yaml.safe_load((rules_dir / file).read_text(encoding="utf-8"))
    edit(data)
    (rules_dir / file).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return rules_dir


@pytest.mark.parametrize("file,edit,named_file,rule_id", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_bad_rule_names_file_and_id(tmp_path, file, edit, named_file, rule_id):
    with pytest.raises(RuleError) as err:
        load_rules(_broken_copy(tmp_path, file, edit))
    assert (err.value.file, err.value.rule_id) == (named_file, rule_id)


@pytest.mark.parametrize("file,edit,named_file,rule_id", [b[1:] for b in BROKEN if b[0] in (
    "validation-misspelt-key", "plan-heading-removed", "theme-section-nowhere")], ids=[
    "validation-misspelt-key", "plan-heading-removed", "theme-section-nowhere"])
def test_bad_rule_exits_3_naming_file_and_id(tmp_path, capsys, file, edit, named_file, rule_id):
    rules_dir = _broken_copy(tmp_path, file, edit)
    assert main(["run", str(BROCHURE), "--out", str(tmp_path / "o"), "--rules", str(rules_dir)]) == 3
    err = capsys.readouterr().err
    assert f"{named_file}: rule {rule_id!r}" in err
    assert "Traceback" not in err and not (tmp_path / "o").exists()


def _codes_written_by_the_code() -> set[str]:
    """String literals passed as the code of ``finding``/``make_finding`` calls
    (or assigned to ``code``) anywhere in the package."""
    out = set()
    for path in (ROOT / "src" / "extract").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                pos = {"finding": 0, "make_finding": 3}.get(name)
                if pos is not None and len(node.args) > pos and isinstance(node.args[pos], ast.Constant):
                    out.add(node.args[pos].value)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in CODES:
                out.add(node.value)
    return out


def test_codes_equal_the_codes_the_code_writes():
    """``CODES`` (which the loader checks the catalogue against) lists exactly
    the codes the package writes: none missing, none dead."""
    written = _codes_written_by_the_code()
    assert written - CODES == set()
    literal = set()
    for path in (ROOT / "src" / "extract").rglob("*.py"):
        if path.name != "findings.py" or path.parent.name != "extract":
            literal |= {n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                        if isinstance(n, ast.Constant) and n.value in CODES}
    assert CODES - literal == set()


def test_catalogue_equals_codes(rules):
    assert set(rules.findings) == set(CODES)
