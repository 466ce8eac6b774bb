"""PDF renderings of the brochure set like a printed one (reportlab; PyMuPDF's
``Story``; fpdf2), and ``pdftotext`` of a PDF."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

from extract.bench.renderings.parts import FONTS, HEADER, Block, _is_label, _padded, parse, parts

# ---------------------------------------------------------------- PDF renderings

_BODY_PT, _LEADING_PT = 10, 13.5


def _font(name: str) -> str:
    path = FONTS / name
    if not path.exists():
        raise FileNotFoundError(f"{path} (Debian fonts-dejavu-core; scripts/install-system-deps.sh)")
    return str(path)


def reportlab_pdf(src: str, path: Path) -> Path:
    """The brochure set by reportlab's platypus: A4, a title page, the member
    list, every portrait from a new page; running header with the page number,
    justified body, pull quotes indented on both sides, indicator tables ruled."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    for face, file in (("DV", "DejaVuSerif.ttf"), ("DV-B", "DejaVuSerif-Bold.ttf"),
                       ("DV-I", "DejaVuSerif-Italic.ttf"), ("DVS", "DejaVuSans.ttf"),
                       ("DVS-B", "DejaVuSans-Bold.ttf")):
        pdfmetrics.registerFont(TTFont(face, _font(file)))
    pdfmetrics.registerFontFamily("DV", normal="DV", bold="DV-B", italic="DV-I", boldItalic="DV-B")
    pdfmetrics.registerFontFamily("DVS", normal="DVS", bold="DVS-B", italic="DVS", boldItalic="DVS-B")
    body = ParagraphStyle("body", fontName="DV", fontSize=_BODY_PT, leading=_LEADING_PT,
                          alignment=TA_JUSTIFY, spaceAfter=5)
    st = {
        "title": ParagraphStyle("title", parent=body, fontName="DVS-B", fontSize=24, leading=30,
                                alignment=TA_CENTER, spaceBefore=60, spaceAfter=24),
        "heading": ParagraphStyle("heading", parent=body, fontName="DVS-B", fontSize=15, leading=19,
                                  spaceBefore=8, spaceAfter=10),
        "city": ParagraphStyle("city", parent=body, fontName="DVS-B", fontSize=18, leading=22,
                               alignment=0, spaceAfter=12, textColor=colors.HexColor("#1f4e79")),
        "section": ParagraphStyle("section", parent=body, fontName="DVS-B", fontSize=11.5,
                                  leading=15, spaceBefore=8, spaceAfter=4, alignment=0),
        "para": body,
        "quote": ParagraphStyle("quote", parent=body, fontName="DV-I", fontSize=11.5, leading=15,
                                leftIndent=18 * mm, rightIndent=18 * mm, spaceBefore=8, spaceAfter=3,
                                alignment=0, textColor=colors.HexColor("#1f4e79")),
        "attribution": ParagraphStyle("attribution", parent=body, fontName="DVS", fontSize=8.5,
                                      leftIndent=18 * mm, rightIndent=18 * mm, alignment=TA_RIGHT,
                                      spaceAfter=10),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=6 * mm, bulletIndent=2 * mm,
                                 spaceAfter=2, alignment=0),
        "contact": ParagraphStyle("contact", parent=body, fontName="DVS", fontSize=8.5, leading=11,
                                  alignment=0, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=body, fontName="DVS", fontSize=8.5, leading=10.5,
                               alignment=0, spaceAfter=0),
    }

    def header(canvas, doc):
        canvas.saveState()
        canvas.setFont("DVS", 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        y = A4[1] - 14 * mm
        text = f"{HEADER} · {doc.page}"
        if doc.page % 2:
            canvas.drawRightString(A4[0] - 20 * mm, y, text)
        else:
            canvas.drawString(20 * mm, y, text)
        canvas.setLineWidth(0.4)
        canvas.line(20 * mm, y - 2.5 * mm, A4[0] - 20 * mm, y - 2.5 * mm)
        canvas.restoreState()

    def flow(bl: list[Block], portrait: bool) -> list:
        story: list = []
        contact: list = []
        for b in bl:
            if b.kind == "table":
                rows = _padded(b.rows)
                data = [[Paragraph(f"<b>{escape(c)}</b>" if portrait and _is_label(c) else escape(c), st["cell"])
                         for c in r] for r in rows]
                if portrait:
                    widths = [52 * mm, 22 * mm, 34 * mm, 22 * mm][: len(rows[0])] + [20 * mm] * max(0, len(rows[0]) - 4)
                    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")),
                             ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef3f8")),
                             ("VALIGN", (0, 0), (-1, -1), "TOP")]
                else:
                    widths = [95 * mm, 60 * mm]
                    style = [("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb"))]
                t = Table(data, colWidths=widths, hAlign="LEFT")
                t.setStyle(TableStyle(style))
                story += [t, Spacer(1, 8)]
            elif b.kind == "contact":
                text = escape(b.text)
                text = re.sub(r"^(Contact details:)|(E-?mail:)", lambda m: f"<b>{m.group(0)}</b>", text)
                contact.append(Paragraph(text, st["contact"]))
            elif b.kind == "bullet":
                story.append(Paragraph(escape(b.text), st["bullet"], bulletText="•"))
            else:
                story.append(Paragraph(escape(b.text), st[b.kind]))
        if contact:
            story.append(KeepTogether([Spacer(1, 6), *contact]))
        return story

    front, portraits, back = parts(parse(src))
    story = flow(front[:1], False) + [PageBreak()] + flow(front[1:], False)
    for p in portraits:
        story += [PageBreak(), *flow(p, True)]
    story += [PageBreak(), *flow(back, False)]
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=24 * mm, bottomMargin=20 * mm, title="Learning, sharing and collaborating",
                            author="UNESCO Institute for Lifelong Learning", invariant=1)
    doc.build(story, onFirstPage=header, onLaterPages=header)
    return Path(path)


_CSS = """
@font-face { font-family: dv; src: url(DejaVuSerif.ttf); }
@font-face { font-family: dv; src: url(DejaVuSerif-Bold.ttf); font-weight: bold; }
@font-face { font-family: dv; src: url(DejaVuSerif-Italic.ttf); font-style: italic; }
@font-face { font-family: dvs; src: url(DejaVuSans.ttf); }
@font-face { font-family: dvs; src: url(DejaVuSans-Bold.ttf); font-weight: bold; }
body { font-family: dv; font-size: 10pt; line-height: 1.35; }
p { text-align: justify; margin: 0 0 5pt 0; }
h1 { font-family: dvs; font-size: 24pt; text-align: center; margin: 60pt 0 24pt 0; }
h2 { font-family: dvs; font-size: 18pt; color: #1f4e79; margin: 0 0 12pt 0; }
h3 { font-family: dvs; font-size: 11.5pt; margin: 8pt 0 4pt 0; }
blockquote { font-style: italic; font-size: 11.5pt; color: #1f4e79; margin: 8pt 50pt 2pt 50pt; }
p.by { font-family: dvs; font-size: 8.5pt; text-align: right; margin: 0 50pt 10pt 50pt; }
ul { margin: 0 0 5pt 0; }
li { margin: 0 0 2pt 0; }
table { border-collapse: collapse; margin: 0 0 8pt 0; }
td { font-family: dvs; font-size: 8.5pt; border: 0.5pt solid #777777; padding: 2pt 4pt; }
table.members td { border: none; border-bottom: 0.25pt solid #bbbbbb; }
div.contact p { font-family: dvs; font-size: 8.5pt; text-align: left; margin: 0 0 2pt 0; }
"""


def _html(bl: list[Block], portrait: bool) -> str:
    out: list[str] = []
    contact: list[str] = []
    prev = None
    for b in bl:
        t = escape(b.text)
        if b.kind == "title":
            out.append(f"<h1>{t}</h1>")
        elif b.kind in ("heading", "city"):
            out.append(f"<h2>{t}</h2>")
        elif b.kind == "section":
            out.append(f"<h3>{t}</h3>")
        elif b.kind == "table":
            rows = _padded(b.rows)
            cls = "" if portrait else ' class="members"'
            cells = ["<tr>" + "".join(f"<td><b>{escape(c)}</b></td>" if portrait and _is_label(c) else f"<td>{escape(c)}</td>"
                                      for c in r) + "</tr>" for r in rows]
            out.append(f"<table{cls}>{''.join(cells)}</table>")
        elif b.kind == "quote":
            out.append(f"<blockquote>{t}</blockquote>")
        elif b.kind == "attribution":
            out.append(f'<p class="by">{t}</p>')
        elif b.kind == "bullet":
            if prev == "bullet":
                out[-1] = out[-1][: -len("</ul>")] + f"<li>{t}</li></ul>"
            else:
                out.append(f"<ul><li>{t}</li></ul>")
        elif b.kind == "contact":
            contact.append("<p>" + re.sub(r"^(Contact details:)|(E-?mail:)", lambda m: f"<b>{m.group(0)}</b>", t)
                           + "</p>")
        else:
            out.append(f"<p>{t}</p>")
        prev = b.kind
    if contact:
        out.append('<div class="contact">' + "".join(contact) + "</div>")
    return "<body>" + "".join(out) + "</body>"


def mupdf_pdf(src: str, path: Path) -> Path:
    """The brochure set by MuPDF's HTML engine (``pymupdf.Story``), each part
    (title page, front matter, every portrait, back matter) from a new page; the
    running header with the page number stamped on every page afterwards."""
    import pymupdf

    archive = pymupdf.Archive(str(FONTS))
    _font("DejaVuSerif.ttf")
    page = pymupdf.paper_rect("a4")
    mm = 72 / 25.4
    where = page + (20 * mm, 24 * mm, -20 * mm, -20 * mm)
    front, portraits, back = parts(parse(src))
    sections = [_html(front[:1], False), _html(front[1:], False), *(_html(p, True) for p in portraits),
                _html(back, False)]
    tmp = Path(path).with_suffix(".raw.pdf")
    writer = pymupdf.DocumentWriter(str(tmp))
    for html in sections:
        story = pymupdf.Story(html=html, user_css=_CSS, archive=archive)
        more = True
        while more:
            dev = writer.begin_page(page)
            more, _ = story.place(where)
            story.draw(dev)
            writer.end_page()
    writer.close()
    doc = pymupdf.open(str(tmp))
    sans = _font("DejaVuSans.ttf")
    for n, pg in enumerate(doc, start=1):
        text = f"{HEADER} · {n}"
        width = pymupdf.Font(fontfile=sans).text_length(text, fontsize=8)
        x = page.width - 20 * mm - width if n % 2 else 20 * mm
        pg.insert_text((x, 14 * mm), text, fontsize=8, fontname="dvs", fontfile=sans, color=(0.33, 0.33, 0.33))
        pg.draw_line((20 * mm, 16.5 * mm), (page.width - 20 * mm, 16.5 * mm), width=0.4)
    doc.set_metadata({"title": "Learning, sharing and collaborating",
                      "author": "UNESCO Institute for Lifelong Learning", "creationDate": "", "modDate": "",
                      "producer": "", "creator": ""})
    doc.save(str(path), garbage=3, deflate=True, no_new_id=True)
    doc.close()
    tmp.unlink()
    return Path(path)


def fpdf_pdf(src: str, path: Path, columns: int = 1) -> Path:
    from extract.bench.textpdf import text_to_pdf
    return text_to_pdf(src, path, columns=columns)


def pdftotext(pdf: Path, path: Path, layout: bool) -> Path:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise MissingTool("pdftotext (Debian poppler-utils; scripts/install-system-deps.sh)")
    subprocess.run([exe, "-enc", "UTF-8", *(["-layout"] if layout else []), str(pdf), str(path)],
                   check=True, capture_output=True)
    return Path(path)


class MissingTool(RuntimeError):
    """A program or package a rendering needs is not installed."""


