"""Finding records: the one way the stages report a problem in the data.
Codes and severities come from ``rules/findings.yaml``."""
from __future__ import annotations

from dataclasses import dataclass

from extract.errors import RuleError
from extract.rules.load import Rules
from extract.types import Document, Finding, Portrait


@dataclass(frozen=True)
class Context:
    """What an extractor needs besides its input: the document, the rules,
    the portrait and the city it has been identified as."""

    doc: Document
    rules: Rules
    portrait: Portrait
    city_id: str

    @property
    def text(self) -> str:
        return self.doc.match_text

    @property
    def soft(self) -> frozenset[int]:
        return self.doc.soft or frozenset()

    def finding(self, code: str, table: str, field: str, message: str, value: str = "",
                start: int | None = None, end: int | None = None) -> Finding:
        return make_finding(self.rules, self.doc.document_id, self.city_id, code, table, field,
                            message, value, start, end)


def make_finding(rules: Rules, document_id: str, city_id: str, code: str, table: str, field: str,
                 message: str, value: str = "", start: int | None = None,
                 end: int | None = None) -> Finding:
    if code not in rules.findings:
        raise RuleError("findings.yaml", code, "finding code used by the code but not catalogued")
    return Finding(document_id=document_id, city_id=city_id, table=table, field=field,
                   severity=rules.findings[code].severity, code=code, message=message,
                   value=value, char_start=start, char_end=end)
