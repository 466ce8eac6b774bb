"""The result of an evaluation (frozen dataclasses) and how it is shown.

``evaluate.evaluate`` computes an ``Evaluation``: per table a ``TableScore``
with a ``FieldScore`` per field (``Counts`` under the strict and the soft
matching), ``Average``s, and the ``Miss``es. Shown here as one string.
``render_eval`` gives Markdown: the overall summary first (per table and
overall: covered cities, support, micro precision/recall/F1 strict and soft,
macro F1 strict and soft), then per table its fields (strict and soft
precision, recall, F1, the strict counts, support) and its misses grouped by
city, at most ``MISSES_SHOWN`` per table and a count of the rest.
``summary_text`` gives one line per table and one overall: micro F1 strict and
soft. The same evaluation always gives the same string.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MISSES_SHOWN = 40
CELL_WIDTH = 110


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives of one field (or a sum of fields)."""
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def empty(self) -> bool:
        return not (self.tp or self.fp or self.fn)


@dataclass(frozen=True)
class FieldScore:
    """One field of one table under both matchings; ``support`` is its number of gold values."""
    table: str
    field: str
    strict: Counts
    soft: Counts

    @property
    def support(self) -> int:
        return self.strict.tp + self.strict.fn


@dataclass(frozen=True)
class Average:
    """Micro (summed counts) and macro (mean F1 of the ``fields`` with a count) averages."""
    micro_strict: Counts
    micro_soft: Counts
    macro_strict: float
    macro_soft: float
    fields: int
    support: int


@dataclass(frozen=True)
class TableScore:
    """One table: its fields, their averages, the cities covered (summed over documents)."""
    table: str
    fields: tuple[FieldScore, ...]
    average: Average
    cities: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Miss:
    """A value (or row) the output got wrong; ``matching`` is ``strict`` when only the strict
    matching fails, ``soft`` when both fail."""
    document_id: str
    table: str
    city: str
    key: str
    field: str
    gold: str
    output: str
    matching: str


@dataclass(frozen=True)
class Evaluation:
    documents: tuple[str, ...]
    tables: tuple[TableScore, ...]
    overall: Average
    misses: tuple[Miss, ...]
    notes: tuple[str, ...] = ()


def ratio(value: float) -> str:
    return f"{value:.3f}"


def prf(counts: Counts) -> str:
    """Counts → ``P / R / F1`` to three decimals."""
    return f"{ratio(counts.precision)} / {ratio(counts.recall)} / {ratio(counts.f1)}"


def cell(value: str, width: int = CELL_WIDTH) -> str:
    """A value as one Markdown table cell: one line, ``|`` escaped, cut to ``width``; ∅ when empty."""
    text = " ".join((value or "").split())
    if not text:
        return "∅"
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.replace("\\", "\\\\").replace("|", "\\|")


def cut_pair(gold: str, output: str, width: int = CELL_WIDTH) -> tuple[str, str]:
    """Two long values → both cut to ``width`` around where they first differ."""
    a, b = " ".join((gold or "").split()), " ".join((output or "").split())
    if max(len(a), len(b)) <= width:
        return a, b
    first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max(0, first - width // 3)
    return tuple(("…" if start else "") + v[start:] for v in (a, b))


def average_row(name: str, cities: str, average: Average) -> str:
    """One line of the summary table."""
    return (f"| {name} | {cities} | {average.support} | {prf(average.micro_strict)} | {prf(average.micro_soft)} "
            f"| {ratio(average.macro_strict)} | {ratio(average.macro_soft)} |")


def summary_lines(evaluation: Evaluation) -> list[str]:
    """The overall summary: documents, then per table and overall averages, then notes."""
    lines = ["# Evaluation against the gold", "",
             f"Documents: {', '.join(evaluation.documents) or 'none'}. "
             f"Misses: {len(evaluation.misses)}.", "",
             "| table | cities | support | strict micro P / R / F1 | soft micro P / R / F1 "
             "| strict macro F1 | soft macro F1 |",
             "|---|--:|--:|--:|--:|--:|--:|"]
    lines += [average_row(t.table, str(t.cities), t.average) for t in evaluation.tables]
    lines.append(average_row("**overall**", "", evaluation.overall))
    lines += ["", "Support: gold values (and rows). `(row)` counts rows: a gold row the output lacks is a false "
              "negative, an output row of a covered city the gold lacks a false positive. Strict: text as is "
              "(white space collapsed); soft: case, white space and punctuation ignored."]
    notes = [n for t in evaluation.tables for n in t.notes] + list(evaluation.notes)
    if notes:
        lines += ["", *(f"- {n}" for n in notes)]
    return lines


def field_row(field: FieldScore) -> str:
    s = field.strict
    return (f"| {field.field} | {prf(s)} | {prf(field.soft)} | {s.tp} / {s.fp} / {s.fn} "
            f"| {field.support} |")


def miss_lines(misses: Sequence[Miss], shown: int = MISSES_SHOWN) -> list[str]:
    """A table's misses → a Markdown table grouped by city, cut to ``shown`` rows."""
    if not misses:
        return ["No misses."]
    cities = list(dict.fromkeys(m.city for m in misses))
    ordered = sorted(misses, key=lambda m: cities.index(m.city))
    lines = [f"Misses: {len(misses)}; {sum(m.matching == 'strict' for m in misses)} fail the strict matching only "
             "(`strict`), the others both (`soft`).", "",
             "| city | key | field | gold | output | fails |", "|---|---|---|---|---|---|"]
    for m in ordered[:shown]:
        gold, output = cut_pair(m.gold, m.output)
        lines.append(f"| {cell(m.city, 40)} | {cell(m.key, 90)} | {m.field} | {cell(gold)} | {cell(output)} "
                     f"| {m.matching} |")
    if len(ordered) > shown:
        lines += ["", f"… and {len(ordered) - shown} more."]
    return lines


def table_lines(table: TableScore, misses: Sequence[Miss]) -> list[str]:
    """One table's section: its fields, then its misses."""
    lines = ["", f"## {table.table}", "",
             f"{table.cities} cities covered; micro F1 strict {ratio(table.average.micro_strict.f1)}, "
             f"soft {ratio(table.average.micro_soft.f1)}.", "",
             "| field | strict P / R / F1 | soft P / R / F1 | strict TP / FP / FN | support |",
             "|---|--:|--:|--:|--:|"]
    lines += [field_row(f) for f in table.fields]
    return lines + [""] + miss_lines(misses)


def render_eval(evaluation: Evaluation) -> str:
    """The evaluation → Markdown: the summary first, then per table its fields and misses."""
    lines = summary_lines(evaluation)
    for table in evaluation.tables:
        lines += table_lines(table, [m for m in evaluation.misses if m.table == table.table])
    return "\n".join(lines) + "\n"


def summary_text(evaluation: Evaluation) -> str:
    """The evaluation → a few lines: per table and overall, micro F1 strict and soft."""
    width = max([len(t.table) for t in evaluation.tables] + [len("overall")])
    lines = [f"{t.table:<{width}}  micro F1 strict {ratio(t.average.micro_strict.f1)}  "
             f"soft {ratio(t.average.micro_soft.f1)}  (support {t.average.support})" for t in evaluation.tables]
    o = evaluation.overall
    lines.append(f"{'overall':<{width}}  micro F1 strict {ratio(o.micro_strict.f1)}  soft {ratio(o.micro_soft.f1)}  "
                 f"macro F1 strict {ratio(o.macro_strict)}  soft {ratio(o.macro_soft)}; "
                 f"{len(evaluation.misses)} misses")
    return "\n".join(lines) + "\n"
