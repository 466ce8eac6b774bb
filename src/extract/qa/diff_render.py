"""Show a ``diff.TableDiffs`` as text, Markdown or one self-contained HTML page.

Input: the comparison (``diff.diff_tables``). Output: one string, a short
summary first (per table with a change: rows added, rows removed, cells
changed; then a total line, or ``no change``), then per table ``+ key`` for a
row added and ``- key`` for a row removed, each followed by an indented line
of its values (``column=value · …``, nulls left out, each value cut to
``VALUE_WIDTH`` characters), and ``key column: old → new`` for a changed
cell. Values are shown as printed: floats with up to 15 significant digits,
nulls as ``∅``, text on one line, cut to about 120 characters around the first
character where the two sides differ. The same comparison always gives the
same string.
Whatever the data holds is escaped for the format:
characters that are not printable (a terminal's escape sequences) as their
escapes in every format, values and names in Markdown inside code spans and
fences longer than any run of backticks they hold, in HTML as entities.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from extract.qa.diff import Key, TableDiff, TableDiffs
from extract.tables.write import _format_float

NULL = "∅"
WIDTH = 120
VALUE_WIDTH = 60
FORMATS = ("text", "markdown", "html")
CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}
th:first-child,td:first-child{text-align:left}ul{list-style:none;padding-left:0;font-family:monospace}
li{padding:.1em 0;white-space:pre-wrap}.add{color:#1a7f37}.del{color:#b3261e}.note{color:#8a5a00}
del{background:#ffebe9;text-decoration:none}ins{background:#dafbe1;text-decoration:none}.key{color:#555}
.values{color:#444;display:inline-block;margin-left:2em}"""


@dataclass(frozen=True)
class SummaryRow:
    table: str
    added: int
    removed: int
    changed: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Line:
    """One detail line: ``kind`` is ``add``, ``del``, ``cell`` or ``note``;
    ``text`` is the key (and column) or the note; ``old``/``new`` only for a
    cell; ``values`` only for a row added or removed."""

    kind: str
    text: str
    old: str = ""
    new: str = ""
    values: str = ""


def printable(text: str) -> str:
    """``text`` with every character that is not printable (line ends, the
    escape that starts a terminal's control sequence, bidirectional
    overrides) shown as its Python escape: it can neither break a line nor
    drive a terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def value_to_text(value: Any) -> str:
    """A cell as printed: ``∅`` for null, floats as the CSV writes them, text on one line."""
    if value is None:
        return NULL
    if isinstance(value, float):
        return _format_float(value)
    return printable(" ".join(str(value).split()))


def first_difference(a: str, b: str) -> int:
    """Index of the first character where ``a`` and ``b`` differ."""
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def window(text: str, start: int, width: int = WIDTH) -> str:
    """``width`` characters of ``text`` from ``start``, with ``…`` where it is cut."""
    return ("…" if start > 0 else "") + text[start:start + width] + ("…" if start + width < len(text) else "")


def pair_to_texts(old: Any, new: Any, width: int = WIDTH) -> tuple[str, str]:
    """Both values as printed; long ones cut to one window that shows where they first differ."""
    a, b = value_to_text(old), value_to_text(new)
    if len(a) <= width and len(b) <= width:
        return a, b
    start = max(0, first_difference(a, b) - width // 3)
    return tuple(t if len(t) <= width else window(t, start, width) for t in (a, b))


def key_to_text(columns: tuple[str, ...], key: Key) -> str:
    """A key as ``city_id=…, document_id=…``."""
    return ", ".join(f"{c}={window(value_to_text(v), 0)}" for c, v in zip(columns, key))


def values_to_text(values: tuple[tuple[str, Any], ...]) -> str:
    """A row's cells as ``column=value · column=value``, each value cut to ``VALUE_WIDTH``."""
    return " · ".join(f"{c}={window(value_to_text(v), 0, VALUE_WIDTH)}" for c, v in values)


def count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def diff_to_summary(t: TableDiff) -> SummaryRow:
    """The counts and notes of one table's summary line."""
    notes = [f"table missing in {t.missing_in}"] if t.missing_in else []
    notes += [f"{count(len(cols), 'column')} {how}" for cols, how in
              ((t.columns_added, "added"), (t.columns_removed, "removed")) if cols]
    if t.duplicates:
        notes.append(f"{count(len(t.duplicates), 'repeated key')}")
    return SummaryRow(t.table, len(t.added), len(t.removed), len(t.changed), tuple(notes))


def diff_to_lines(t: TableDiff) -> list[Line]:
    """The detail lines of one table, in report order."""
    lines = [Line("note", f"table missing in {t.missing_in}: every row counts as "
                          f"{'added' if t.missing_in == 'baseline' else 'removed'}")] if t.missing_in else []
    lines += [Line("add", f"column {c}") for c in t.columns_added]
    lines += [Line("del", f"column {c}") for c in t.columns_removed]
    lines += [Line("note", f"key {key_to_text(t.key_columns, d.key)} appears {d.count} times in {d.side}; "
                           "the first row is compared") for d in t.duplicates]
    for kind, keys, values in (("add", t.added, t.added_values), ("del", t.removed, t.removed_values)):
        values = values or ((),) * len(keys)
        lines += [Line(kind, key_to_text(t.key_columns, k), values=values_to_text(v)) for k, v in zip(keys, values)]
    lines += [Line("cell", f"{key_to_text(t.key_columns, c.key)} {c.column}", *pair_to_texts(c.old, c.new))
              for c in t.changed]
    return lines


def summary_to_text(row: SummaryRow) -> str:
    counts = (f"{count(row.added, 'row')} added, {count(row.removed, 'row')} removed, "
              f"{count(row.changed, 'cell')} changed")
    return "; ".join([counts, *row.notes])


def total_row(rows: list[SummaryRow]) -> SummaryRow:
    return SummaryRow("total", sum(r.added for r in rows), sum(r.removed for r in rows), sum(r.changed for r in rows),
                      (f"in {count(len(rows), 'table')}",))


def line_to_text(line: Line) -> str:
    """A detail line as plain text: ``+ key``, ``- key``, ``key column: old → new``, ``! note``."""
    if line.kind == "cell":
        return printable(f"{line.text}: {line.old} → {line.new}")
    text = printable({"add": "+ ", "del": "- ", "note": "! "}[line.kind] + line.text)
    return f"{text}\n    {printable(line.values)}" if line.values else text


def details(diffs: TableDiffs) -> list[tuple[str, list[Line]]]:
    return [(t.table, diff_to_lines(t)) for t in diffs.tables if t.reported]


def to_text(diffs: TableDiffs) -> str:
    rows = [diff_to_summary(t) for t in diffs.tables if t.reported]
    notes = [printable(f"run: {n}") for n in diffs.notes]
    if not rows:
        return "\n".join(notes + ["no change"]) + "\n"
    out = notes + [f"{r.table}: {summary_to_text(r)}" for r in rows] + [f"total: {summary_to_text(total_row(rows))}"]
    for table, lines in details(diffs):
        out += ["", table, *(line_to_text(line) for line in lines)]
    return "\n".join(out) + "\n"


def fence(lines: list[str]) -> str:
    """A Markdown code fence longer than any run of backticks in ``lines``."""
    longest = max((len(run) for line in lines for run in re.findall("`+", line)), default=0)
    return "`" * max(3, longest + 1)


def code_span(text: str) -> str:
    """``text`` as one Markdown code span, on one line: between runs of more
    backticks than any run inside it (a space inside them when it starts or
    ends with a backtick or a space), so nothing in it is read as Markdown
    or HTML."""
    text = printable(text)
    mark = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{mark}{pad}{text}{pad}{mark}"


def to_markdown(diffs: TableDiffs) -> str:
    rows = [diff_to_summary(t) for t in diffs.tables if t.reported]
    notes = [f"- run: {code_span(n)}" for n in diffs.notes] + ([""] if diffs.notes else [])
    if not rows:
        return "\n".join(notes + ["**no change**"]) + "\n"
    out = notes + ["| table | rows added | rows removed | cells changed | notes |", "|---|---:|---:|---:|---|"]
    out += [f"| {r.table} | {r.added} | {r.removed} | {r.changed} | {'; '.join(r.notes)} |"
            for r in rows + [total_row(rows)]]
    for table, lines in details(diffs):
        texts = [line_to_text(line) for line in lines]
        mark = fence(texts)
        out += ["", f"### {table}", "", mark, *texts, mark]
    return "\n".join(out) + "\n"


def escape_html(text: str) -> str:
    """``text`` as HTML text: printable, then its markup characters as entities."""
    return html.escape(printable(text))


def line_to_html(line: Line) -> str:
    e = escape_html
    if line.kind == "cell":
        return (f'<li class="cell"><span class="key">{e(line.text)}</span>: '
                f"<del>{e(line.old)}</del> → <ins>{e(line.new)}</ins></li>")
    sign = {"add": "+ ", "del": "- ", "note": "! "}[line.kind]
    values = f'<br><span class="values">{e(line.values)}</span>' if line.values else ""
    return f'<li class="{line.kind}">{e(sign + line.text)}{values}</li>'


def to_html(diffs: TableDiffs) -> str:
    rows = [diff_to_summary(t) for t in diffs.tables if t.reported]
    e = escape_html
    body = ["<h1>What the run changed</h1>"]
    if diffs.notes:
        body += ["<ul class=\"run\">", *(f"<li>{e(n)}</li>" for n in diffs.notes), "</ul>"]
    if not rows:
        body.append("<p>no change</p>")
    else:
        body.append("<table><tr><th>table</th><th>rows added</th><th>rows removed</th><th>cells changed</th>"
                    "<th>notes</th></tr>")
        body += [f"<tr><td>{e(r.table)}</td><td>{r.added}</td><td>{r.removed}</td><td>{r.changed}</td>"
                 f"<td>{e('; '.join(r.notes))}</td></tr>" for r in rows + [total_row(rows)]]
        body.append("</table>")
        for table, lines in details(diffs):
            body += [f'<h2 id="{e(table)}">{e(table)}</h2>', "<ul>", *(line_to_html(line) for line in lines), "</ul>"]
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>What the run changed</title>'
            f"<style>{CSS}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n")


def render(diffs: TableDiffs, fmt: str = "text") -> str:
    """The comparison as ``text``, ``markdown`` or ``html``; ``ValueError`` for another format."""
    if fmt == "text":
        return to_text(diffs)
    if fmt == "markdown":
        return to_markdown(diffs)
    if fmt == "html":
        return to_html(diffs)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
