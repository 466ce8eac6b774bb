"""Finding rows → the lines a run says on stderr: one per document, city and
code, control characters escaped."""
from __future__ import annotations

from extract.read.textutil import shown_name
from extract.rules import Severity


def one_line(text: str) -> str:
    """``text`` on one line: line ends and other control characters shown as
    escapes (bytes of a file name that are not UTF-8 as ``\\xNN``), so a file
    name or a message can never break a line of stderr."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in shown_name(text))


def findings_to_lines(rows: list[dict], paths: dict[str, str], catalogue: dict[str, Severity]) -> list[str]:
    """One line per problem: per document, city and code, the first ``error``
    finding's message (or that of a code marked ``stderr`` in
    ``rules/findings.yaml``) and how many more there are of that code."""
    said: dict[tuple, list[dict]] = {}
    for r in rows:
        if r["severity"] == "error" or catalogue[r["code"]].stderr:
            said.setdefault((r["document_id"], r["city_id"], r["code"]), []).append(r)
    out = []
    for (document_id, city_id, code), found in said.items():
        where = [paths.get(document_id, document_id) or "batch"] + ([city_id] if city_id else [])
        more = f" (and {len(found) - 1} more {code})" if len(found) > 1 else ""
        out.append(one_line(": ".join(where + [found[0]["message"]]) + more))
    return out
