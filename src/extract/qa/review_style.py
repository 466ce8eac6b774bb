"""The look every review page shares: colours, CSS, the page template, escaping.

Input: nothing but constants (a colour per table and per severity). Output:
``table_css()`` (the stylesheet with a rule per table and severity), ``PAGE``
(the HTML template every page fills), ``SCRIPT`` (hovering a mark lights its
other pieces), ``esc`` (any value → escaped text) and ``pill_html`` (a
severity and a count → a coloured pill). Nothing is fetched."""
from __future__ import annotations

import html
from collections.abc import Mapping
from string import Template
from types import MappingProxyType

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
aside{min-width:0}
ol.findings{list-style:none;margin:0;padding:0}
li.finding{border-left:4px solid var(--line);background:var(--bg);border-radius:0 6px 6px 0;padding:7px 10px;margin:0 0 8px}
li.finding:target{outline:2px solid var(--line)}
.badge{display:inline-block;font:600 11px/1.6 system-ui,sans-serif;text-transform:uppercase;letter-spacing:.04em;
 padding:0 6px;border-radius:4px;background:var(--line);color:#fff}
.finding p{margin:3px 0}.finding .value{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px;white-space:pre-wrap;color:#454f5b}
.where,.links{font-size:12px;color:#59636e}
details{margin-bottom:10px}summary{cursor:pointer;font-weight:600;padding:4px 0}summary .n{color:#59636e;font-weight:400}
table{border-collapse:collapse;font-size:12.5px;width:100%}
th,td{border-bottom:1px solid #eef0f2;padding:4px 8px;text-align:left;vertical-align:top}
th.c,td.c{text-align:center}
th{background:#f6f8fa;font-weight:600}
th[data-sort]{cursor:pointer;user-select:none}th[data-sort]:after{content:" ↕";color:#b1b8c0}
td{overflow-wrap:anywhere}
.records{display:flex;flex-direction:column;gap:8px}
.record{border:1px solid #e3e5e8;border-radius:6px;padding:6px 9px;font-size:12.5px}
.record:target{background:#fff8c5}
.record .go{font-size:12px;margin-bottom:3px}
.record dl{display:flex;flex-wrap:wrap;gap:3px 16px;margin:0}
.record .kv{display:flex;gap:6px;min-width:0;max-width:100%}.record .kv.wide{flex-basis:100%}
.record dt{color:#59636e;white-space:nowrap}
.record dd{margin:0;min-width:0;white-space:pre-wrap;overflow-wrap:anywhere}
.record .empty{margin:3px 0 0;color:#8c959f;font-size:11.5px}
details.long summary{font-weight:400;padding:0;display:list-item}
details.long[open] .preview{display:none}
details.long .full{white-space:pre-wrap;overflow-wrap:anywhere}
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


def table_css() -> str:
    """The colour of each table and severity → CSS rules."""
    tables = "\n".join(f".t-{t}{{--bg:{bg};--line:{line}}}mark.t-{t}{{background:var(--bg)}}"
                       for t, (bg, line) in COLOURS.items())
    severities = "\n".join(f".sev-{s}{{--bg:{bg};--line:{line}}}" for s, (bg, line) in SEVERITY_COLOURS.items())
    return CSS.substitute(tables=tables, severities=severities)


def pill_html(severity: str, n: int, word: bool = True) -> str:
    """A severity and a count → a coloured pill (faded for 0)."""
    return f'<span class="sev sev-{severity}{"" if n else " zero"}">{n}{" " + severity if word else ""}</span>'
