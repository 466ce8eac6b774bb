"""A text document → a PDF laid out like a brochure page, for tests and
benchmarks of the PDF path (needs the ``test`` extra: fpdf2, fontTools).

Paragraphs are set justified in one column and wrap at its edge, with no
space between them; lines with tabs (indicator rows, the member list) are set
as table cells in fixed columns; every page has its number in the footer.
The font is built on the fly with fontTools: one box glyph per character of
the text, with proportional widths, so any script prints and the PDF's text
layer holds exactly the characters of the text."""
from __future__ import annotations

import tempfile
from io import BytesIO
from pathlib import Path

# Advance widths (per 1000 em) by character class, to make the text proportional.
_NARROW, _WIDE, _NORMAL = 280, 780, 520
_NARROW_CHARS = set("iljtfr.,;:'!|()[]\u2019\u2018 ")
_COLUMNS_MM = (0, 62, 92, 130)  # x of the table cells, from the left margin
_FONT_SIZE = 10
_LINE_MM = 5


def _width(ch: str) -> int:
    if ch in _NARROW_CHARS:
        return _NARROW
    if ch.isupper() or ch in "mwMW@%":
        return _WIDE
    return _NORMAL


def box_font(chars: str) -> bytes:
    """A TrueType font with a box glyph for every character of ``chars``."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    cps = sorted({ord(c) for c in chars if c not in "\n\r\t"} | {32})
    names = [".notdef"] + [f"uni{cp:04X}" for cp in cps]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({cp: f"uni{cp:04X}" for cp in cps})
    glyphs, metrics = {}, {}
    for name in names:
        cp = int(name[3:], 16) if name.startswith("uni") else 0
        ch = chr(cp)
        width = _width(ch)
        pen = TTGlyphPen(None)
        if not ch.isspace():
            pen.moveTo((40, 0))
            pen.lineTo((40, 700))
            pen.lineTo((width - 40, 700))
            pen.lineTo((width - 40, 0))
            pen.closePath()
        glyphs[name] = pen.glyph()
        metrics[name] = (width, 40)
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Box", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    buf = BytesIO()
    fb.save(buf)
    return buf.getvalue()


def text_to_pdf(text: str, path: str | Path, columns: int = 1) -> Path:
    """Write ``text`` as a PDF at ``path``, in one column or several (text
    flowing down each column, then on to the next; table cells then set as
    plain text)."""
    from fpdf import FPDF

    class _Pdf(FPDF):
        def footer(self):
            self.set_y(-15)
            self.cell(0, 10, str(self.page_no()), align="C")

    path = Path(path)
    pdf = _Pdf(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_margins(20, 20, 20)
    with tempfile.TemporaryDirectory() as tmp:
        font = Path(tmp) / "box.ttf"
        font.write_bytes(box_font(text + "0123456789"))
        pdf.add_font("Box", fname=str(font))
        pdf.set_font("Box", size=_FONT_SIZE)
        pdf.add_page()
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if columns > 1:
            _columns(pdf, lines, columns)
            pdf.output(str(path))
            return path
        for line in lines:
            if not line.strip():
                continue
            if "\t" in line:
                _row(pdf, line)
            else:
                indent = len(line) - len(line.lstrip())
                pdf.set_x(pdf.l_margin + 4 * min(indent, 4))
                pdf.multi_cell(0, _LINE_MM, line.strip(), align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.output(str(path))
    return path


def _row(pdf, line: str) -> None:
    """A tab-separated line as cells in the table columns."""
    if pdf.will_page_break(_LINE_MM):
        pdf.add_page()
    y, x_end = pdf.get_y(), 0.0
    for k, cell in enumerate(line.split("\t")):
        if cell.strip():
            x = pdf.l_margin + _COLUMNS_MM[min(k, len(_COLUMNS_MM) - 1)]
            pdf.set_xy(max(x, x_end + 4), y)
            pdf.cell(text=cell.strip())
            x_end = pdf.get_x()
    pdf.set_xy(pdf.l_margin, y + _LINE_MM)


def _columns(pdf, lines: list[str], columns: int) -> None:
    with pdf.text_columns(ncols=columns, gutter=8, text_align="J", line_height=1.2) as cols:
        for line in lines:
            if not line.strip():
                continue
            indent = len(line) - len(line.lstrip())
            with cols.paragraph(indent=4 * min(indent, 4), text_align="L" if "\t" in line else "J") as par:
                par.write("  ".join(c.strip() for c in line.split("\t") if c.strip()))
