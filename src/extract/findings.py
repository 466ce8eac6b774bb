"""Finding records: the one way the stages report a problem in the data.

``CODES`` lists every code the pipeline can write; the catalogue of
``rules/findings.yaml`` gives each its severity and meaning, and the rules
loader refuses a catalogue that lacks one (a test keeps ``CODES`` equal to
the codes the code writes)."""
from __future__ import annotations

from collections.abc import Mapping

from extract.errors import RuleError
from extract.types import Finding

CODES = frozenset({
    # errors
    "document_unreadable", "no_portraits", "extractor_failed", "schema_violation", "format_unknown",
    "city_unidentified", "time_budget_exceeded", "line_too_long", "portrait_duplicated", "indicator_conflicting",
    "portrait_truncated", "challenge_city_unidentified", "worker_died",
    # warnings and infos
    "encoding_guessed", "page_furniture_removed", "input_duplicated", "bytes_replaced",
    "encoding_repaired", "challenge_country_unidentified", "challenge_part_missing", "city_evidence_weak",
    "contact_unparsed", "country_figure_inconsistent",
    "density_band_contradicted", "country_unknown", "deadline_unparsed", "decimal_comma", "digits_converted",
    "email_invalid", "email_missing", "email_repaired", "foreign_city_text", "implausible_value",
    "indicator_duplicated", "indicator_empty", "indicator_table_missing", "item_empty", "item_rejoined",
    "label_repaired", "cell_reordered", "markdown_read", "columns_read", "member_entry_unparsed", "name_rejoined",
    "name_repaired", "name_unrepaired",
    "paragraph_rejoined", "partners_few", "quote_rejoined", "role_duplicate_removed",
    "sdg_unknown", "section_empty", "section_missing", "stray_character_removed", "table_row_unparsed",
    "text_outside_portraits", "unclaimed_text", "boilerplate_removed",
})


def make_finding(catalogue: Mapping, document_id: str, city_id: str, code: str, table: str, field: str,
                 message: str, value: str = "", start: int | None = None,
                 end: int | None = None) -> Finding:
    """A ``Finding`` of ``code``, its severity from ``catalogue`` (``rules.findings``)."""
    if code not in catalogue:
        raise RuleError("findings.yaml", code, "finding code used by the code but not catalogued")
    return Finding(document_id=document_id, city_id=city_id, table=table, field=field,
                   severity=catalogue[code].severity, code=code, message=message,
                   value=value, char_start=start, char_end=end)
