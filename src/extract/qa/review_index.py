"""``review.index_data`` → the index page of the review.

Input: one dict per document: its format, its pages with their findings
counted by severity, and the document's own findings. Output: ``index.html``
as a string: a card per document with a row (and a link) per page, every row
shown (no scroll box), sortable by any column (a click on its heading).
``page_count`` is the number of pages besides the index, the one count the
index and the command both give."""
from __future__ import annotations

from extract.qa.review import SEVERITIES
from extract.qa.review_paths import page_path
from extract.qa.review_style import PAGE, esc, pill_html, table_css

SORT = """document.addEventListener('click',function(e){var th=e.target.closest&&e.target.closest('th[data-sort]');
if(!th)return;var tr=th.parentNode,i=Array.prototype.indexOf.call(tr.children,th),num=th.dataset.sort==='num',
dir=th.dataset.dir==='asc'?-1:1,rows=Array.prototype.slice.call(th.closest('table').querySelectorAll('tr')).filter(
function(r){return r!==tr});th.dataset.dir=dir>0?'asc':'desc';rows.sort(function(a,b){var x=a.children[i],y=b.children[i];
x=x.dataset.v||x.textContent;y=y.dataset.v||y.textContent;return dir*(num?x-y:x.localeCompare(y))});
rows.forEach(function(r){r.parentNode.appendChild(r)})});"""


def page_count(index: list[dict]) -> int:
    """The pages of the review besides the index: portraits, challenge pages, documents' own findings."""
    return sum(len(d["pages"]) + bool(d.get("document_page")) for d in index)


def counts_html(counts: dict[str, int]) -> str:
    """Counts by severity → three cells."""
    return "".join(f'<td class="c" data-v="{counts.get(s, 0)}">{pill_html(s, counts.get(s, 0), word=False)}</td>'
                   for s in SEVERITIES)


def page_row_html(n: int, doc: str, page: dict) -> str:
    """A page of the index → its row: link, city id and findings by severity."""
    counts = "".join(f'data-{s}="{page["counts"][s]}" ' for s in SEVERITIES)
    return (f'<tr data-document-id="{esc(doc)}" data-city-id="{esc(page["city_id"])}" data-kind="{page["kind"]}" '
            f'{counts}><td data-v="{n}">{n}</td>'
            f'<td><a href="{page_path(doc, page["kind"], page["city_id"])}">{esc(page["title"])}</a></td>'
            f'<td><code>{esc(page["city_id"])}</code></td>{counts_html(page["counts"])}</tr>')


def document_html(doc: dict) -> str:
    """One document of ``review.index_data`` → its card on the index."""
    rows = "".join(page_row_html(n, doc["document_id"], p) for n, p in enumerate(doc["pages"], 1))
    head = ('<tr><th data-sort="num">#</th><th data-sort="text">page</th><th data-sort="text">city_id</th>'
            + "".join(f'<th class="c" data-sort="num">{s}</th>' for s in SEVERITIES) + "</tr>")
    pages = f"<table>{head}{rows}</table>" if rows else "<p>No pages extracted.</p>"
    own_page = page_path(doc["document_id"], "document", "")
    own = "".join(f'<li class="finding sev-{esc(f.get("severity"))}"><span class="badge">{esc(f.get("severity"))}'
                  f'</span> <code>{esc(f.get("code"))}</code> <span class="where">{esc(f.get("city_id") or "")} '
                  f'{esc(f.get("field"))}</span><p>{esc(f.get("message"))}</p>'
                  f'<p class="links"><a href="{own_page}#f-{i}">details</a></p></li>'
                  for i, f in enumerate(doc["findings"]))
    total = " ".join(pill_html(s, doc["counts"][s]) for s in SEVERITIES)
    n = len(doc["pages"]) + bool(doc.get("document_page"))
    plural = "page" if n == 1 else "pages"
    return (f'<section class="card doc" data-document-id="{esc(doc["document_id"])}">'
            f'<h2>{esc(doc["format"] or "not extracted")}</h2><h3><code>{esc(doc["document_id"])}</code></h3>'
            f'<p>{n} {plural} · {total}</p>{pages}'
            f'<h3>Findings of the document ({len(doc["findings"])})</h3><ol class="findings">{own}</ol></section>')


def index_html(index: list[dict]) -> str:
    """``review.index_data`` → the index page."""
    documents, pages = len(index), page_count(index)
    meta = f"{documents} document{'' if documents == 1 else 's'} · {pages} page{'' if pages == 1 else 's'}"
    return PAGE.substitute(title="Extraction review", css=table_css(), heading="Extraction review", meta=meta,
                           crumb="", legend="", main_class=' class="index"',
                           body="".join(document_html(d) for d in index), script=SORT)
