"""``review.index_data`` → the index page of the review.

Input: one dict per document: its format, its pages with their findings
counted by severity, and the document's own findings. Output: ``index.html``
as a string: a card per document with a row (and a link) per page."""
from __future__ import annotations

from extract.qa.review import SEVERITIES
from extract.qa.review_paths import page_path
from extract.qa.review_style import PAGE, esc, pill_html, table_css


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
