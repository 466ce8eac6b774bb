"""The rule loader reads every rule on disk and fails loudly on a bad one."""
from __future__ import annotations

import shutil

import pytest
import yaml

from conftest import rule_ids
from extract.errors import RuleError
from extract.rules.load import DEFAULT_DIR, load_rules


def _ids_on_disk() -> set[str]:
    return {i for p in DEFAULT_DIR.glob("*.yaml") for i in rule_ids(yaml.safe_load(p.read_text(encoding="utf-8")))}


def test_rules_loaded_equal_rules_on_disk(rules):
    assert set(rules.rule_ids) == _ids_on_disk()
    assert len(rules.rule_ids) == len(set(rules.rule_ids))


@pytest.mark.parametrize("file,edit,rule_id", [
    ("headings.yaml", lambda d: d["rules"][0].pop("phrase"), "heading.vision"),
    ("findings.yaml", lambda d: d["codes"][0].update(severity="fatal"), "document_unreadable"),
    ("countries.yaml", lambda d: d["aliases"][0].update(alpha_3="iran"), "country.iran"),
    ("text.yaml", lambda d: d["bullets"][0].update(pattern="[-"), "bullets"),
    ("cities.yaml", lambda d: d["aliases"].append(dict(d["aliases"][0])), "alias.modiin"),
])
def test_bad_rule_names_file_and_id(tmp_path, file, edit, rule_id):
    rules_dir = tmp_path / "rules"
    shutil.copytree(DEFAULT_DIR, rules_dir)
    data = yaml.safe_load((rules_dir / file).read_text(encoding="utf-8"))
    edit(data)
    (rules_dir / file).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rules(rules_dir)
    assert err.value.rule_id == rule_id
    assert file in str(err.value) or err.value.rule_id in str(err.value)
