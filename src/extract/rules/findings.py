"""``findings`` rules (``findings.yaml``): the catalogue of finding codes,
each with its severity, its meaning and whether it is said on stderr."""
from __future__ import annotations

from dataclasses import dataclass

from extract.errors import RuleError
from extract.rules.base import RuleFile, need

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Severity:
    id: str
    severity: str
    description: str
    stderr: bool = False  # said on stderr too (errors always are)


Catalogue = dict  # code → Severity


def load_findings(rf: RuleFile) -> dict[str, Severity]:
    rf.keys(("codes",))
    out = {}
    for r in rf.list("codes"):
        rid = need(rf.name, r, ("severity", "description"), ("stderr",))
        if r["severity"] not in SEVERITIES:
            raise RuleError(rf.name, rid, f"severity must be error, warning or info, not {r['severity']!r}")
        if not isinstance(r.get("stderr", False), bool):
            raise RuleError(rf.name, rid, "stderr must be true or false")
        out[rid] = Severity(rid, r["severity"], r["description"], r.get("stderr", False))
    return out
