"""Review pages: the plain data of ``review`` → static HTML files.

Input: a folder of output tables, the decoded texts of the documents
(``{document_id: Document.text}``) and a destination folder. Output:
``index.html`` (every document, its pages with their findings counted by
severity, the document's own findings) and one page per portrait or challenge
page, ``<document>/<city_id>.html`` (``<document>/_challenge.html``). File
names hold only ``[a-z0-9._-]`` and never leave the destination, whatever the
ids contain. A page shows the source text with every span highlighted in place
(nested ``<mark>`` elements, one colour per table, the field on hover), the
records beside it and the findings linked both ways. Everything is escaped,
nothing is fetched, and the same input gives the same bytes."""
from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import unicodedata
from pathlib import Path
from string import Template
from types import MappingProxyType
from typing import Iterable, Mapping

import pandas as pd

from extract.errors import InputError
from extract.read.ingest import ingest
from extract.qa.review import SEVERITIES, document_spans, index_data, tables_to_rows
from extract.tables.schemas import TABLES

# table → (background, line colour) of its marks
COLOURS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "cities": ("rgba(167,139,250,.28)", "#7c3aed"), "indicators": ("rgba(96,165,250,.26)", "#2563eb"),
    "sections": ("rgba(20,184,166,.07)", "#0d9488"), "items": ("rgba(251,191,36,.30)", "#b45309"),
    "quotes": ("rgba(244,114,182,.22)", "#db2777"), "contacts": ("rgba(74,222,128,.26)", "#15803d"),
    "challenges": ("rgba(251,146,60,.18)", "#c2410c"), "challenge_sdgs": ("rgba(34,211,238,.28)", "#0e7490"),
    "themes": ("transparent", "#9333ea"), "events": ("rgba(163,230,53,.22)", "#4d7c0f"),
    "findings": ("transparent", "#6b7280"),
})
SEVERITY_COLOURS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "error": ("#fde8e8", "#c81e1e"), "warning": ("#fdf3d8", "#a16207"), "info": ("#e6f0ff", "#1d4ed8"),
})
# pages that are not a city's: their names start with ``_``, which no safe name does
PAGE_NAMES: Mapping[str, str] = MappingProxyType({"challenge": "_challenge.html", "document": "_document.html"})
SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")

CSS = Template("""
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f2328;background:#f4f5f7}
a{color:#0b57d0;text-decoration:none}a:hover{text-decoration:underline}
header.top{padding:14px 24px 10px;background:#fff;border-bottom:1px solid #e3e5e8}
header.top h1{margin:2px 0 4px;font-size:22px;font-weight:650}
.crumb,.meta{color:#59636e;font-size:13px}.meta code{font-size:12px}
nav.legend{position:sticky;top:0;z-index:5;display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;
 padding:8px 24px;background:rgba(255,255,255,.96);border-bottom:1px solid #e3e5e8;font-size:12.5px;backdrop-filter:blur(4px)}
nav.legend .chip{display:inline-flex;gap:5px;align-items:center;white-space:nowrap}
nav.legend .n{color:#59636e}
main{display:grid;grid-template-columns:minmax(0,1.05fr) minmax(0,1fr);gap:18px;padding:16px 24px 40px;align-items:start}
main.index{display:block;max-width:1100px}
h2{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:#59636e;margin:0 0 8px}
.card{background:#fff;border:1px solid #e3e5e8;border-radius:8px;padding:14px 16px;margin-bottom:16px}
.passage+.passage{margin-top:14px;border-top:1px dashed #d0d7de;padding-top:10px}
.range{font-size:11.5px;color:#8c959f;margin-bottom:4px;font-variant-numeric:tabular-nums}
.text{white-space:pre-wrap;overflow-wrap:anywhere;tab-size:6;font:15px/1.9 Georgia,"DejaVu Serif",serif;color:#1f2328}
mark{color:inherit;background:none;border-radius:2px}
mark[data-span]{box-shadow:inset 0 -2px 0 var(--line)}
.l2{padding-bottom:3px}.l3{padding-bottom:6px}.l4{padding-bottom:9px}.l5{padding-bottom:12px}
mark.t-sections{box-shadow:none}
mark.heading{background:rgba(45,212,191,.30);font-weight:600}
mark.t-findings{box-shadow:none;text-decoration:underline wavy var(--line);text-decoration-skip-ink:none;text-underline-offset:3px}
mark.empty{display:inline-block;width:8px;height:1.1em;vertical-align:-2px;border:1.5px dashed var(--line)}
mark.hot{outline:2px solid #1f2328;outline-offset:0}
$tables
$severities
.ref{font:600 10px/1 system-ui,sans-serif;vertical-align:super;padding:1px 4px;margin:0 1px;border-radius:8px;
 background:var(--bg);color:var(--line);border:1px solid var(--line)}
aside{position:sticky;top:44px;max-height:calc(100vh - 52px);overflow:auto;padding-right:4px}
ol.findings{list-style:none;margin:0;padding:0}
li.finding{border-left:4px solid var(--line);background:var(--bg);border-radius:0 6px 6px 0;padding:7px 10px;margin:0 0 8px}
li.finding:target{outline:2px solid var(--line)}
.badge{display:inline-block;font:600 11px/1.6 system-ui,sans-serif;text-transform:uppercase;letter-spacing:.04em;
 padding:0 6px;border-radius:4px;background:var(--line);color:#fff}
.finding p{margin:3px 0}.finding .value{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px;white-space:pre-wrap;color:#454f5b}
.where,.links{font-size:12px;color:#59636e}
details{margin-bottom:10px}summary{cursor:pointer;font-weight:600;padding:4px 0}summary .n{color:#59636e;font-weight:400}
.scroll{overflow:auto;max-height:420px;border:1px solid #e3e5e8;border-radius:6px}
table{border-collapse:collapse;font-size:12.5px;width:100%}
th,td{border-bottom:1px solid #eef0f2;padding:4px 8px;text-align:left;vertical-align:top}
th.c,td.c{text-align:center}
th{position:sticky;top:0;background:#f6f8fa;font-weight:600;white-space:nowrap;z-index:1}
td .clip{max-height:5.6em;overflow:auto;width:36ch;white-space:pre-wrap}
tr:target td{background:#fff8c5}
td{white-space:nowrap}td.na{color:#b1b8c0}
.kv th{position:static;width:1%;background:#fafbfc}
.sev{display:inline-block;min-width:2.2em;text-align:center;border-radius:10px;padding:0 6px;font-weight:600;
 background:var(--bg);color:var(--line)}
.sev.zero{background:none;color:#c4c9cf;font-weight:400}
.unplaced{border-color:#c81e1e}
""")
SCRIPT = """document.addEventListener('mouseover',function(e){var m=e.target.closest&&e.target.closest('mark[data-span]');
document.querySelectorAll('mark.hot').forEach(function(x){x.classList.remove('hot')});
if(m){document.querySelectorAll('mark[data-span="'+m.dataset.span+'"]').forEach(function(x){x.classList.add('hot')})}});"""
PAGE = Template("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>$title</title><style>$css</style></head>
<body>
<header class="top">$crumb<h1>$heading</h1><div class="meta">$meta</div></header>
$legend<main$main_class>
$body
</main>
<script>$script</script>
</body></html>
""")


def esc(value: object) -> str:
    """Any value → HTML-escaped text (quotes too; a CR kept as a reference)."""
    return html.escape("" if value is None else str(value), quote=True).replace("\r", "&#13;")


def safe_name(raw: str, suffix: str = "", reserved: tuple[str, ...] = ()) -> str:
    """An id → a file name of ``[a-z0-9._-]``: the id itself when it already is
    one (and not ``reserved``), else an ASCII slug of it and a hash of the id."""
    if SAFE_NAME.fullmatch(raw) and raw + suffix not in reserved:
        return raw + suffix
    ascii_ = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:60] or "x"
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{slug}-{digest}{suffix}"


def page_path(document_id: str, kind: str, city_id: str) -> str:
    """A page → its path relative to the destination folder (``/``-separated)."""
    folder = safe_name(document_id, reserved=("index.html",))
    return f"{folder}/{PAGE_NAMES.get(kind) or safe_name(city_id, '.html')}"


def table_css() -> str:
    """The colour of each table and severity → CSS rules."""
    tables = "\n".join(f".t-{t}{{--bg:{bg};--line:{line}}}mark.t-{t}{{background:var(--bg)}}"
                       for t, (bg, line) in COLOURS.items())
    severities = "\n".join(f".sev-{s}{{--bg:{bg};--line:{line}}}" for s, (bg, line) in SEVERITY_COLOURS.items())
    return CSS.substitute(tables=tables, severities=severities)


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


def cell_html(value: object) -> str:
    """A cell → a table cell (a float that is whole shown without ``.0``)."""
    if value is None:
        return '<td class="na">—</td>'
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = esc(value)
    return f'<td><div class="clip">{text}</div></td>' if len(text) > 60 else f"<td>{text}</td>"


def records_html(table: str, rows: list[dict], spans: list[dict]) -> str:
    """One table's records of a page → a table with a link from each row to its spans."""
    links: dict[int, list[str]] = {}
    for s in spans:
        if s["table"] == table:
            links.setdefault(s["record"], []).append(f'<a href="#s-{esc(s["id"])}">{esc(s["label"])}</a>')
    cols = [c for c in (TABLES[table].names if table in TABLES else list(rows[0]))
            if c not in ("document_id", "city_id")]
    if table in ("cities", "challenges"):
        body = "".join(f"<tr><th>{esc(c)}</th>{cell_html(rows[0].get(c))}</tr>" for c in cols)
        go = " ".join(links.get(0, []))
        return f'<div class="scroll"><table class="kv"><tr><th>source</th><td>{go}</td></tr>{body}</table></div>'
    head = "".join(f"<th>{esc(c)}</th>" for c in ["source", *cols])
    body = "".join(f'<tr id="r-{table}-{i}"><td class="go">{" ".join(links.get(i, [])) or "—"}</td>'
                   + "".join(cell_html(r.get(c)) for c in cols) + "</tr>" for i, r in enumerate(rows))
    return f'<div class="scroll"><table><tr>{head}</tr>{body}</table></div>'


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


def pill_html(severity: str, n: int, word: bool = True) -> str:
    """A severity and a count → a coloured pill (faded for 0)."""
    return f'<span class="sev sev-{severity}{"" if n else " zero"}">{n}{" " + severity if word else ""}</span>'


def counts_html(counts: dict[str, int]) -> str:
    """Counts by severity → three cells."""
    return "".join(f'<td class="c">{pill_html(s, counts.get(s, 0), word=False)}</td>' for s in SEVERITIES)


def page_row_html(n: int, doc: str, page: dict) -> str:
    """A page of the index → its row: link, city id and findings by severity."""
    counts = "".join(f'data-{s}="{page["counts"][s]}" ' for s in SEVERITIES)
    return (f'<tr data-document-id="{esc(doc)}" data-city-id="{esc(page["city_id"])}" data-kind="{page["kind"]}" '
            f'{counts}><td>{n}</td>'
            f'<td><a href="{page_path(doc, page["kind"], page["city_id"])}">{esc(page["title"])}</a></td>'
            f'<td><code>{esc(page["city_id"])}</code></td>{counts_html(page["counts"])}</tr>')


def document_html(doc: dict) -> str:
    """One document of ``review.index_data`` → its card on the index."""
    rows = "".join(page_row_html(n, doc["document_id"], p) for n, p in enumerate(doc["pages"], 1))
    head = ("<tr><th>#</th><th>page</th><th>city_id</th>"
            + "".join(f'<th class="c">{s}</th>' for s in SEVERITIES) + "</tr>")
    pages = f'<div class="scroll"><table>{head}{rows}</table></div>' if rows else "<p>No pages extracted.</p>"
    own_page = page_path(doc["document_id"], "document", "")
    own = "".join(f'<li class="finding sev-{esc(f.get("severity"))}"><span class="badge">{esc(f.get("severity"))}'
                  f'</span> <code>{esc(f.get("code"))}</code> <span class="where">{esc(f.get("city_id") or "")} '
                  f'{esc(f.get("field"))}</span><p>{esc(f.get("message"))}</p>'
                  f'<p class="links"><a href="{own_page}#f-{i}">details</a></p></li>'
                  for i, f in enumerate(doc["findings"]))
    total = " ".join(pill_html(s, doc["counts"][s]) for s in SEVERITIES)
    plural = "page" if len(doc["pages"]) == 1 else "pages"
    return (f'<section class="card doc" data-document-id="{esc(doc["document_id"])}">'
            f'<h2>{esc(doc["format"] or "not extracted")}</h2><h3><code>{esc(doc["document_id"])}</code></h3>'
            f'<p>{len(doc["pages"])} {plural} · {total}</p>{pages}'
            f'<h3>Findings of the document ({len(doc["findings"])})</h3><ol class="findings">{own}</ol></section>')


def index_html(index: list[dict]) -> str:
    """``review.index_data`` → the index page."""
    meta = f"{len(index)} documents · {sum(len(d['pages']) for d in index)} pages"
    return PAGE.substitute(title="Extraction review", css=table_css(), heading="Extraction review", meta=meta,
                           crumb="", legend="", main_class=' class="index"',
                           body="".join(document_html(d) for d in index), script="")


def read_tables(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """An output folder → its tables (Parquet, else CSV read as strings)."""
    out = Path(out_dir)
    tables = {}
    for name in TABLES:
        if (out / f"{name}.parquet").is_file():
            tables[name] = pd.read_parquet(out / f"{name}.parquet")
        elif (out / f"{name}.csv").is_file():
            tables[name] = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
    return tables


def write_page(dest: Path, relative: str, content: str) -> Path:
    """HTML → a file under ``dest`` (refused if the path would leave it)."""
    path = (dest / relative).resolve()
    if dest.resolve() not in path.parents:
        raise ValueError(f"review page path leaves the destination: {relative!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8", errors="replace", newline="\n")
    return path


def find_sources(out_dir: str | Path, document_ids: Iterable[str], raw_dir: str | Path = "raw") -> dict[str, str]:
    """The decoded text of each document, which the offsets of the tables
    index: read again from the path ``run.json`` gives, else from ``raw_dir``.
    A document that cannot be read is left out (its pages show no text)."""
    try:
        inputs = json.loads((Path(out_dir) / "run.json").read_text(encoding="utf-8"))["inputs"]
        paths = {i["document_id"]: Path(i["path"]) for i in inputs}
    except (OSError, ValueError, KeyError):
        paths = {}
    sources = {}
    for document_id in sorted(set(document_ids)):
        try:
            sources[document_id] = ingest(paths.get(document_id, Path(raw_dir) / document_id)).text
        except InputError:
            continue
    return sources


def render_review(out_dir: str | Path, sources: Mapping[str, str] | None, dest_dir: str | Path,
                  raw_dir: str | Path = "raw") -> list[Path]:
    """Output tables and document texts (found with ``find_sources`` when
    ``sources`` is None) → ``dest_dir/index.html`` and one page per portrait
    and challenge page; returns the files written, sorted."""
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    tables = tables_to_rows(read_tables(out_dir))
    index = index_data(tables)
    if sources is None:
        sources = find_sources(out_dir, (doc["document_id"] for doc in index), raw_dir)
    written = [write_page(dest, "index.html", index_html(index))]
    for doc in index:
        for page in document_spans(sources.get(doc["document_id"]), tables, doc["document_id"]):
            written.append(write_page(dest, page_path(doc["document_id"], page["kind"], page["city_id"]),
                                      page_html(page)))
    return sorted(written)


def screenshot(page: str | Path, png: str | Path, chromium: str = "chromium",
               size: tuple[int, int] = (1400, 1000), timeout: float = 120.0) -> Path:
    """An HTML file → a PNG of it drawn by headless Chromium (no network)."""
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--window-size={size[0]},{size[1]}", f"--screenshot={Path(png).resolve()}", Path(page).resolve().as_uri()]
    subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
    return Path(png)
