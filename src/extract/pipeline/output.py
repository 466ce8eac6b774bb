"""One document's batch → what the run keeps of it (``DocumentOutput``).

Made where the document was extracted (in a worker process when a run has
several), as the document finishes: its portraits' own checks
(``validate.portrait_findings``) are added to its findings, its rows become
one Arrow record batch per table, and of its portrait results only the small
summaries the checks and tables across documents need are kept: the
country figure each portrait prints (``validate.Figure``), what the partner
tiers need per city (``partners.Evidence``: theme counts, the city's figures)
and the member cities a challenge page may be tied to. The rows, the results and the text are dropped."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

from extract.enrich.partners import Evidence, rows_to_evidence
from extract.pipeline.batch import Batch
from extract.read.detect import Detection
from extract.rules import Rules
from extract.tables.arrow import rows_to_batch, to_ipc
from extract.tables.records import finding_to_row
from extract.tables.validate import Figure, portrait_figure, portrait_findings
from extract.types import Document


@dataclass(frozen=True)
class DocumentOutput:
    """What the run keeps of one document (see the module docstring)."""

    document_id: str
    portraits: int
    batches: Mapping[str, pa.RecordBatch]          # table → its rows (tables with rows only)
    figures: tuple[Figure, ...] = ()
    partner_evidence: Evidence = field(default_factory=Evidence)
    members: frozenset[tuple[str, str, str]] = frozenset()  # (city, country, country code) of its member list
    challenge_pages: tuple[tuple[Document, Detection], ...] = ()
    source_format: str | None = None
    file: tuple[int, str | None] | None = None     # (size, SHA-256) when the file was read
    seconds: Mapping[str, float] = field(default_factory=dict)

    def __getstate__(self) -> dict:
        """Pickled (sent from a worker) with each record batch as Arrow IPC
        bytes: a few buffers instead of an object per array, several times
        cheaper to pickle and to load."""
        state = dict(self.__dict__)
        state["batches"] = {t: to_ipc(b).to_pybytes() for t, b in self.batches.items()}
        return state

    def __setstate__(self, state: dict) -> None:
        state["batches"] = {t: pa.ipc.open_stream(b).read_next_batch() for t, b in state["batches"].items()}
        self.__dict__.update(state)

    def findings(self) -> list[dict]:
        """Its finding rows (what the run says on stderr is made from them)."""
        batch = self.batches.get("findings")
        return batch.to_pylist() if batch is not None else []


def batch_to_output(document_id: str, batch: Batch, portraits: int, rules: Rules) -> DocumentOutput:
    """A batch holding one document (``one_document``) → its ``DocumentOutput``."""
    checks, catalogue = rules.validation, rules.findings
    with batch.clock.stage("validate"):
        page_starts = batch.page_starts.get(document_id, (0,))
        batch.rows["findings"] += [finding_to_row(f, page_starts) for r in batch.results
                                   for f in portrait_findings(r, *batch.members[r.portrait.document_id], checks,
                                                              catalogue)]
        figures = tuple(f for r in batch.results if (f := portrait_figure(r, checks)) is not None)
    with batch.clock.stage("tables"):
        batches = {t: rows_to_batch(t, rows) for t, rows in batch.rows.items() if rows}
    return DocumentOutput(
        document_id, portraits, batches, figures, rows_to_evidence(batch.rows["themes"], batch.rows["cities"]),
        frozenset((m.city, m.country, m.country_code) for members, _ in batch.members.values() for m in members),
        tuple(batch.challenge_pages), batch.formats.get(document_id), batch.files.get(document_id),
        dict(batch.clock.seconds))
