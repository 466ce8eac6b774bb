"""One page dict of ``review.document_spans`` → one whole HTML page.

Input: a portrait's (or challenge page's) plain dict: its passages of source
text, spans, records and findings. Output: the page as a string: the source
text with every span highlighted in place (nested ``<mark>`` elements, one
colour per table, the field on hover), the records beside it, and the
findings linked both ways. Everything is escaped; the same page dict gives
the same bytes. Records are boxes of wrapped ``column value`` pairs, long texts
open on a click: at 900 px as at 1,400 px nothing scrolls but the page."""
from __future__ import annotations

from extract.qa.review import SEVERITIES
from extract.qa.review_style import COLOURS, PAGE, SCRIPT, esc, pill_html, table_css
from extract.tables.schemas import TABLES

LONG, PREVIEW = 280, 160  # a value longer than LONG characters opens from its first PREVIEW


def span_layers(spans: list[dict]) -> dict[str, int]:
    """Spans → a nesting layer each (1 innermost): a span sits outside every
    shorter span it overlaps, so its underline is drawn below theirs."""
    layers: dict[str, int] = {}
    done: list[dict] = []
    for s in sorted(spans, key=lambda s: (s["end"] - s["start"], s["start"], s["id"])):
        if s["table"] == "findings":
            layers[s["id"]] = 1
            continue
        under = [layers[t["id"]] for t in done if t["start"] < s["end"] and s["start"] < t["end"]]
        layers[s["id"]] = 1 + max(under, default=0)
        done.append(s)
    return layers


def mark_open(span: dict, layer: int, first: bool) -> str:
    """A span → the opening tag of one of its marks (the first carries its id)."""
    classes = [f"t-{span['table']}", f"l{min(layer, 5)}"]
    if span["label"] == "heading":
        classes.append("heading")
    if span["severity"]:
        classes.append(f"sev-{span['severity'] if span['severity'] in SEVERITIES else 'other'}")
    if span["start"] == span["end"]:
        classes.append("empty")
    title = f"{span['table']} · {span['field']} · {span['label']}  [{span['start']}:{span['end']}]"
    anchor = f' id="s-{esc(span["id"])}"' if first else ""
    return (f'<mark{anchor} class="{" ".join(classes)}" data-span="{esc(span["id"])}" '
            f'data-start="{span["start"]}" data-end="{span["end"]}" title="{esc(title)}">')


def finding_refs(page: dict) -> dict[int, list[str]]:
    """A page → document offset → reference links to its findings, placed where
    the finding's own span (or else the first span it concerns) ends."""
    ends = {s["id"]: s["end"] for s in page["spans"]}
    refs: dict[int, list[str]] = {}
    for f in page["findings"]:
        where = [i for i in [f["span"], *f["targets"]] if i in ends]
        if where:
            label = f"{f['severity'][:1].upper()}{f['record'] + 1}"
            refs.setdefault(ends[where[0]], []).append(
                f'<a class="ref sev-{esc(f["severity"])}" href="#f-{f["record"]}" '
                f'title="{esc(f["code"] + ": " + f["message"])}">{esc(label)}</a>')
    return refs


def passage_to_html(passage: dict, spans: list[dict], layers: dict[str, int], refs: dict[int, list[str]]) -> str:
    """A passage and the spans in it → its text split at every span boundary,
    each piece wrapped in the marks of the spans covering it, outermost first."""
    start, end, text = passage["start"], passage["end"], passage["text"]
    inside = [s for s in spans if start <= s["start"] <= s["end"] <= end]
    cuts = sorted({start, end, *(s["start"] for s in inside), *(s["end"] for s in inside)})
    seen: set[str] = set()
    out = []
    for a, b in zip(cuts, cuts[1:] + [None]):
        for s in (s for s in inside if s["start"] == s["end"] == a):
            out.append(mark_open(s, layers[s["id"]], s["id"] not in seen) + "</mark>")
            seen.add(s["id"])
        out.extend(refs.get(a, []))
        if b is None:
            break
        cover = sorted((s for s in inside if s["start"] <= a and b <= s["end"] and s["start"] < s["end"]),
                       key=lambda s: (-layers[s["id"]], s["start"], -s["end"], s["id"]))
        out.append("".join(mark_open(s, layers[s["id"]], s["id"] not in seen) for s in cover)
                   + esc(text[a - start:b - start]) + "</mark>" * len(cover))
        seen.update(s["id"] for s in cover)
    return "".join(out)


def source_html(page: dict) -> str:
    """A page → its source card: every passage with its spans in place, and the
    spans whose offsets do not fit the text."""
    layers, refs = span_layers(page["spans"]), finding_refs(page)
    parts = [f'<div class="passage"><div class="range">characters {p["start"]:,}–{p["end"]:,}</div>'
             f'<div class="text">{passage_to_html(p, page["spans"], layers, refs)}</div></div>'
             for p in page["passages"]]
    card = f'<section class="card"><h2>Source text</h2>{"".join(parts) or "<p>No source text given.</p>"}</section>'
    if page["unplaced"]:
        items = "".join(f"<li>{esc(s['table'])} · {esc(s['field'])} · {esc(s['label'])} "
                        f"[{s['start']}:{s['end']}]</li>" for s in page["unplaced"])
        card += (f'<section class="card unplaced"><h2>Spans not drawn: offsets outside the text, '
                 f'or no text given</h2><ul>{items}</ul></section>')
    return card


def legend_html(page: dict) -> str:
    """A page → the legend bar: each table's colour and its number of spans, the severities."""
    counts = {t: sum(s["table"] == t for s in page["spans"]) for t in COLOURS}
    chips = [f'<span class="chip"><mark class="t-{t}" data-legend="{t}">&nbsp;{esc(t)}&nbsp;</mark>'
             f'<span class="n">{counts[t]}</span></span>' for t in COLOURS if counts.get(t)]
    chips += [f'<span class="chip"><span class="sev sev-{s}">{s}</span></span>' for s in SEVERITIES]
    return f'<nav class="legend">{"".join(chips)}</nav>'


def finding_html(f: dict, spans: dict[str, dict]) -> str:
    """A finding of a page → a list item linking to its spans."""
    links = [f'<a href="#s-{esc(f["span"])}">in the text</a>'] if f["span"] in spans else []
    links += [f'<a href="#s-{esc(i)}">{esc(spans[i]["table"])} {esc(spans[i]["field"])} '
              f'({esc(spans[i]["label"])})</a>' for i in f["targets"] if i in spans]
    value = f'<p class="value">{esc(f["value"])}</p>' if f["value"] else ""
    return (f'<li id="f-{f["record"]}" class="finding sev-{esc(f["severity"])}">'
            f'<span class="badge">{esc(f["severity"])}</span> <code>{esc(f["code"])}</code> '
            f'<span class="where">{esc(f["table"])} · {esc(f["field"])}</span><p>{esc(f["message"])}</p>{value}'
            f'<p class="links">{" · ".join(links) or "no offsets"}</p></li>')


def value_html(value: object) -> str:
    """A cell's value → its text, wrapped where it must be; a long one (a section's
    text) shows its beginning and opens to the whole (``<details>``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else str(value)
    if len(text) <= LONG:
        return esc(text)
    return (f'<details class="long"><summary><span class="preview">{esc(text[:PREVIEW])}…</span> '
            f'<span class="n">{len(text):,} characters</span></summary><div class="full">{esc(text)}</div></details>')


def record_html(table: str, n: int, row: dict, cols: list[str], links: list[str]) -> str:
    """One record → a box of ``column value`` pairs that wrap to the width they
    have (no scrolling, nothing cut off); empty columns named on one line."""
    pairs = "".join(f'<div class="kv{" wide" if len(str(row[c])) > 40 else ""}"><dt>{esc(c)}</dt>'
                    f"<dd>{value_html(row[c])}</dd></div>" for c in cols if row.get(c) is not None)
    empty = [c for c in cols if row.get(c) is None]
    none = f'<p class="empty">empty: {esc(", ".join(empty))}</p>' if empty else ""
    return (f'<div class="record" id="r-{table}-{n}"><div class="go">{" ".join(links) or "no offsets"}</div>'
            f"<dl>{pairs}</dl>{none}</div>")


def records_html(table: str, rows: list[dict], spans: list[dict]) -> str:
    """One table's records of a page → a box per record, each linking to its spans."""
    links: dict[int, list[str]] = {}
    for s in spans:
        if s["table"] == table:
            links.setdefault(s["record"], []).append(f'<a href="#s-{esc(s["id"])}">{esc(s["label"])}</a>')
    cols = [c for c in (TABLES[table].names if table in TABLES else list(rows[0]))
            if c not in ("document_id", "city_id")]
    return f'<div class="records">{"".join(record_html(table, i, r, cols, links.get(i, [])) for i, r in enumerate(rows))}</div>'


def page_html(page: dict) -> str:
    """A page dict of ``review.document_spans`` → a whole HTML page."""
    spans = {s["id"]: s for s in page["spans"]}
    findings = "".join(finding_html(f, spans) for f in page["findings"]) or "<li>No findings.</li>"
    shown = sorted((t for t, rows in page["records"].items() if rows and t != "findings"), key=lambda t: t == "cities")
    records = "".join(f'<details{"" if t == "cities" else " open"}><summary>{esc(t)} <span class="n">'
                      f'{len(page["records"][t])}</span></summary>{records_html(t, page["records"][t], page["spans"])}'
                      f'</details>' for t in shown)
    counted = {s: sum(f["severity"] == s for f in page["findings"]) for s in SEVERITIES}
    counts = " ".join(pill_html(s, n) for s, n in counted.items())
    ids = [f"<code>{esc(i)}</code>" for i in (page["document_id"], page["city_id"]) if i]
    meta = (" · ".join(ids) + " · "
            + (f'characters {page["start"]:,}–{page["end"]:,} · ' if page["end"] else "")
            + f'{len(page["spans"])} spans · {counts}')
    body = (f'<div>{source_html(page)}</div><aside><section class="card"><h2>Findings</h2>'
            f'<ol class="findings">{findings}</ol></section>'
            + (f'<section class="card"><h2>Records</h2>{records}</section>' if records else "") + "</aside>")
    return PAGE.substitute(title=esc(page["title"]), css=table_css(), heading=esc(page["title"]), meta=meta,
                           crumb='<div class="crumb"><a href="../index.html">← All documents</a></div>',
                           legend=legend_html(page), main_class="", body=body, script=SCRIPT)
