"""Generated parts of the README: the data dictionary (from ``schemas``) and
the finding codes (from ``rules/findings.yaml``), kept between
``<!-- BEGIN name -->`` / ``<!-- END name -->`` markers so that the
documentation cannot drift from the data (a test compares them)."""
from __future__ import annotations

from pathlib import Path

import regex

from extract.rules import Rules
from extract.tables.dictionary import data_dictionary_markdown


def finding_codes_markdown(rules: Rules) -> str:
    rows = ["| code | severity | meaning |", "|---|---|---|"]
    order = {"error": 0, "warning": 1, "info": 2}
    for f in sorted(rules.findings.values(), key=lambda f: (order[f.severity], f.id)):
        rows.append(f"| `{f.id}` | {f.severity} | {f.description} |")
    return "\n".join(rows) + "\n"


def generated_sections(rules: Rules) -> dict[str, str]:
    return {"data-dictionary": data_dictionary_markdown(), "finding-codes": finding_codes_markdown(rules)}


def update_readme(path: str | Path, rules: Rules) -> bool:
    """Rewrite the generated sections of the README at ``path``; True if it changed."""
    path = Path(path)
    text = old = path.read_text(encoding="utf-8")
    for name, body in generated_sections(rules).items():
        pattern = regex.compile(rf"(<!-- BEGIN {name} -->\n).*?(<!-- END {name} -->)", regex.S)
        text = pattern.sub(lambda m, body=body: m.group(1) + body.rstrip("\n") + "\n" + m.group(2), text)
    if text != old:
        path.write_text(text, encoding="utf-8")
    return text != old
