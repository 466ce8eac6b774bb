"""Names that cross rule files, checked once every file is loaded: each
section a format, the themes or the events name has a heading; each
indicator a check reads has a label; each finding code the code emits is
in the catalogue. A name that points nowhere is a ``RuleError`` naming the
file and the rule that holds it."""
from __future__ import annotations

from extract.errors import RuleError
from extract.findings import CODES


def _sections(rules) -> set[str]:
    # The contact block needs no heading to exist as a section name; the
    # intro is the text before the first heading.
    return {h.section for h in rules.headings} | {"intro"}


def check_across(rules) -> None:
    """``RuleError`` for the first name that points nowhere."""
    files, sections = rules.files, _sections(rules)
    for fmt in rules.formats:
        for s in fmt.sections:
            if s not in sections:
                raise RuleError(files["formats"], fmt.id, f"section {s!r} has no heading in {files['headings']}")
    for kind, record in (("themes", rules.themes), ("events", rules.events)):
        for s in record.sections:
            if s not in sections:
                raise RuleError(files[kind], "scope", f"section {s!r} has no heading in {files['headings']}")
    known = rules.indicators.indicators
    for check_id, indicator in rules.validation.indicators():
        if indicator not in known:
            raise RuleError(files["validation"], check_id,
                            f"indicator {indicator!r} has no label in {files['indicators']}")
    for code in sorted(CODES - set(rules.findings)):
        raise RuleError(files["findings"], code, "a finding code the pipeline writes is not in the catalogue")
