"""What one document adds up to as it is extracted (``Batch``; a run turns
it into a ``output.DocumentOutput`` when the document finishes), and ``guarded``: one document's work within its time budget,
rolled back and recorded as an ``error`` finding if it fails as a whole."""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import InputError
from extract.findings import make_finding
from extract.read.detect import Detection
from extract.read.limits import Limits, TimeBudgetExceeded, time_budget
from extract.rules import Severity
from extract.tables.records import finding_to_row
from extract.tables.runinfo import Stopwatch
from extract.tables.schemas import TABLES
from extract.types import Document, PortraitResult


@dataclass
class Batch:
    """Rows per table, portrait results and member list of one document; a
    challenge page waits here until every document has named its cities."""

    rows: dict[str, list] = field(default_factory=lambda: {t: [] for t in TABLES})
    results: list[PortraitResult] = field(default_factory=list)
    members: dict = field(default_factory=dict)
    page_starts: dict[str, tuple[int, ...]] = field(default_factory=dict)
    challenge_pages: list[tuple[Document, Detection]] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[int, str | None]] = field(default_factory=dict)  # document_id → (size, SHA-256)
    clock: Stopwatch = field(default_factory=Stopwatch)

    def mark(self) -> dict[str, int]:
        """Where each list stands, for ``rollback``."""
        return {**{t: len(v) for t, v in self.rows.items()}, "_results": len(self.results),
                "_challenge_pages": len(self.challenge_pages)}

    def rollback(self, mark: dict[str, int], document_id: str) -> None:
        """Forget what one document added since ``mark``."""
        for t, v in self.rows.items():
            del v[mark[t]:]
        del self.results[mark["_results"]:]
        del self.challenge_pages[mark["_challenge_pages"]:]
        self.members.pop(document_id, None)
        self.formats.pop(document_id, None)


def failure(exc: BaseException) -> str:
    """``exc`` as a short phrase naming where in the code it happened."""
    last = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" ({Path(last.filename).name}:{last.lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"


def guarded(document_id: str, work, batch: Batch, catalogue: dict[str, Severity], limits: Limits) -> int:
    """Run ``work()`` (one document's extraction into ``batch``) within the
    time budget; if it fails as a whole, roll back what it added and record
    why as an ``error`` finding. The number of portraits it found."""
    mark = batch.mark()
    try:
        with time_budget(limits.document_seconds):
            return work()
    except InputError as exc:
        code, message = "document_unreadable", exc.reason
    except TimeBudgetExceeded as exc:
        code, message = "time_budget_exceeded", f"{exc} (--time-budget); nothing of it was extracted"
    except Exception as exc:  # a fault in a stage stops this document only
        code, message = "extractor_failed", f"failed: {failure(exc)}; nothing of it was extracted"
    batch.rollback(mark, document_id)
    batch.rows["findings"].append(finding_to_row(make_finding(
        catalogue, document_id, "", code, "documents", "document", message)))
    return 0
