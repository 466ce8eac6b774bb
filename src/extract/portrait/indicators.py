"""Stage 3, indicator table: a portrait → ``Indicator`` records.

Reads the rows from the portrait's first table line down to the first line
that is not a row, through blank lines. A row without a label of its own
(``Country 18,400 (2012)``) continues the label above it. Values: ``n/a`` is
missing (never 0); ``268,05`` (a comma and one or two digits) is a decimal
comma; ``3,499.8`` and ``1,042,285`` carry thousands separators; a stray
``/`` or ``|`` before a number is dropped; ``Men: 12.4 / Women: 10.9`` gives
one record per group. Each repair raises an ``info`` finding."""
from __future__ import annotations

import regex

from extract.portrait.cells import read_table
from extract.portrait.context import Context
from extract.portrait.quantities import number, quantity
from extract.portrait.rows import GROUP, Row
from extract.types import Extracted, Indicator, wide_column

_STRAY = regex.compile(r"^[/|\\]+[ \t]*")
# A word split by a tab (`Coun<TAB>try`), or a stray mark standing alone (`schooling<TAB>; (City)`).
_SPLIT = regex.compile(r"\p{L}\t+\p{L}|(?:^|\s)[;,.|\\]+(?=\s|$)")
_SPLIT_NEEDS = frozenset("\t;,.|\\")


def _damaged(label: str) -> bool:
    """Whether a label that matched without a letter lost is damaged all the
    same: a word split by a tab, a stray mark, a bracket lost."""
    if label.count("(") != label.count(")"):
        return True
    # _SPLIT needs a tab or one of its marks
    return not _SPLIT_NEEDS.isdisjoint(label) and bool(_SPLIT.search(label))


def _year(raw: str) -> int | None:
    """The year ``raw`` prints (four ASCII digits opening with 19 or 20, white space around them), or None."""
    s = raw.strip()
    return int(s) if len(s) == 4 and s.isascii() and s.isdigit() and s[:2] in ("19", "20") else None


def extract_indicators(ctx: Context) -> tuple[Extracted, int]:
    """Indicators of ``ctx.portrait`` and the offset where its table ends."""
    p = ctx.portrait
    if p.table_start is None:
        return Extracted(), p.header[-1].end if p.header else p.span.start
    records: dict[tuple[str, str, str], Indicator] = {}
    claimed, findings = [], []
    end = p.lines[p.table_start].start
    table = read_table(ctx.text, p.lines[p.table_start:], ctx.rules.indicators)
    for cell in table.loose:
        claimed.append(cell.line)
        end = max(end, cell.line.end)
        findings.append(ctx.finding("table_row_unparsed", "indicators", "row",
                                    f"{ctx.text[cell.line.start:cell.line.end]!r} is printed apart from the "
                                    "table's rows, and no row can take it.",
                                    ctx.text[cell.line.start:cell.line.end], cell.line.start, cell.line.end))
    for i, ((row, span), placed) in enumerate(zip(table.rows, table.placed, strict=True)):
        label = placed.label
        if placed.owner is not None and placed.owner > i:
            head = table.rows[placed.owner][1]
            findings.append(ctx.finding("cell_reordered", "indicators", "row",
                                        f"The label {ctx.text[head.start:head.end]!r} is printed after its row "
                                        f"{ctx.text[span.start:span.end]!r}.", ctx.text[head.start:head.end],
                                        head.start, head.end))
        start = ctx.text.rfind("\n", 0, span.start) + 1
        claimed.append(span)
        end = max(end, span.end)
        for line in row.apart:
            claimed.append(line)
            end = max(end, line.end)
            findings.append(ctx.finding("cell_reordered", "indicators", "row",
                                        f"{ctx.text[line.start:line.end]!r}, printed apart, was read into the row "
                                        f"{ctx.text[span.start:span.end]!r}.", ctx.text[line.start:line.end],
                                        line.start, line.end))
        if label is None:
            findings.append(ctx.finding("table_row_unparsed", "indicators", "row",
                                        "A table row has a scope but no indicator label above it.",
                                        row.value_raw, start, span.end))
            continue
        if placed.heading:
            continue  # a label over scope rows printed apart from it
        scope = row.scope.key if row.scope else label.default_scope
        field = wide_column(label.key, scope)
        if scope not in label.scopes:
            findings.append(ctx.finding("table_row_unparsed", "indicators", field,
                                        f"A {scope} row under {label.key}, which is printed for no {scope}; "
                                        "it was not read.", row.value_raw, start, span.end))
            continue
        if row.errors or _damaged(row.label_raw):
            findings.append(ctx.finding(
                "label_repaired", "indicators", field,
                f"The damaged label {row.label_raw!r} was read as {label.key} ({scope}).",
                row.label_raw, start + row.label_start, start + row.label_end))
        for ind in _values(ctx, row, start, label.key, scope, label.id, findings):
            key = (ind.indicator, ind.scope, ind.group)
            if key in records:
                first = records[key]
                same = (first.value, first.value_min, first.value_max, first.year) == \
                       (ind.value, ind.value_min, ind.value_max, ind.year)
                findings.append(ctx.finding(
                    "indicator_duplicated" if same else "indicator_conflicting", "indicators", wide_column(*key),
                    f"The table prints {wide_column(*key)} twice"
                    + ("" if same else f", as {first.raw!r} and {ind.raw!r}") + "; the first value is kept.",
                    ind.raw, ind.char_start, ind.char_end))
                continue
            records[key] = ind
    return Extracted(tuple(records.values()), tuple(claimed), tuple(findings)), end


def _values(ctx: Context, row: Row, start: int, indicator: str, scope: str, rule: str,
            findings: list) -> list[Indicator]:
    year = _year(row.year_raw)
    raw, vs = row.value_raw, start + row.value_start
    label_start, label_end = start + row.label_start, start + row.label_end
    groups = list(GROUP.finditer(raw)) if ":" in raw else ()  # a group's figure follows a colon
    if groups:
        out = []
        for g in groups:
            group = next((gr.key for gr in ctx.rules.indicators.groups if gr.pattern.fullmatch(g["word"].casefold())), None)
            if group is None:
                findings.append(ctx.finding("table_row_unparsed", "indicators", wide_column(indicator, scope),
                                            f"{g['word']!r} is not a known population group; {g.group()!r} was not read.",
                                            g.group(), vs + g.start(), vs + g.end()))
                continue
            value, _ = number(g["num"].rstrip(".,"))
            s = vs + g.start("num")
            out.append(Indicator(indicator, scope, group, value, None, None, year, ctx.text[s:s + len(g["num"])],
                                 row.year_raw, row.label_raw, s, s + len(g["num"]), rule, label_start, label_end))
        return out
    field = wide_column(indicator, scope)
    if not raw:
        findings.append(ctx.finding("indicator_empty", "indicators", field,
                                    f"{row.label_raw!r} is listed with no value.", row.label_raw,
                                    start + row.label_start, start + row.label_end))
        return []
    if raw.lower() in ctx.rules.indicators.missing:
        return [Indicator(indicator, scope, "all", None, None, None, year, raw, row.year_raw, row.label_raw,
                          vs, vs + len(raw), rule, label_start, label_end)]
    stray = _STRAY.match(raw) if raw[0] in "/|\\" else None  # _STRAY opens with one of these
    if stray:
        findings.append(ctx.finding("stray_character_removed", "indicators", field,
                                    f"The stray {raw[:stray.end()].strip()!r} before {raw[stray.end():]!r} was dropped.",
                                    raw, vs, vs + len(raw)))
        vs += stray.end()
        raw = raw[stray.end():]
    q = quantity(raw, ctx.rules.indicators)
    if q is None:
        findings.append(ctx.finding("table_row_unparsed", "indicators", field,
                                    f"The value {raw!r} is not a number.", raw, vs, vs + len(raw)))
    elif q.repair:
        findings.append(ctx.finding(q.repair, "indicators", field,
                                    f"{raw!r} was read as {q.value if q.value is not None else q.value_min:g} (decimal comma).",
                                    raw, vs, vs + len(raw)))
    low, high = (q.value_min, q.value_max) if q is not None and q.rule else (None, None)
    if q is not None and q.rule:
        rule = f"{rule}+{q.rule}"
    return [Indicator(indicator, scope, "all", q.value if q else None, low, high, year, raw, row.year_raw,
                      row.label_raw, vs, vs + len(raw), rule, label_start, label_end)]
