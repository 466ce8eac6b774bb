"""What a portrait's extractors read besides the portrait: the rules of the
kinds they use (``PortraitRules``) and the ``Context`` of one portrait."""
from __future__ import annotations

from dataclasses import dataclass

from extract.findings import make_finding
from extract.rules import DocumentRules, Format, Heading, IndicatorRules, PeopleRules, Rules, Severity, TextRules
from extract.types import Document, Finding, Portrait


@dataclass(frozen=True)
class PortraitRules:
    """The rules the portrait extractors read (table, quotes, sections, items, contacts)."""

    headings: tuple[Heading, ...]
    indicators: IndicatorRules
    people: PeopleRules
    text: TextRules
    document: DocumentRules
    formats: tuple[Format, ...]
    findings: dict[str, Severity]

    @classmethod
    def of(cls, rules: Rules) -> PortraitRules:
        return cls(rules.headings, rules.indicators, rules.people, rules.text, rules.document, rules.formats,
                   rules.findings)


@dataclass(frozen=True)
class Context:
    """What an extractor needs besides its input: the document, the rules,
    the portrait and the city it has been identified as."""

    doc: Document
    rules: PortraitRules
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
        return make_finding(self.rules.findings, self.doc.document_id, self.city_id, code, table, field,
                            message, value, start, end)
