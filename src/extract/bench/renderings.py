"""A matrix of renderings of the 2016 brochure, made by code, scored against the gold.

Each rendering is a function that writes the brochure (``raw/gnlc-portraits-2016.txt``)
as that rendering into a folder and returns the file's path: the text with its
front matter removed or its member list moved, Markdown, PDFs set by reportlab
and by PyMuPDF (``fitz.Story``) like a printed brochure, ``pdftotext`` of those
PDFs (default and ``-layout``), mojibake, hard wraps at 30…160 columns, the
portraits shuffled. All are deterministic; the heavy ones (PDFs, pdftotext) are
cached under ``.cache/renderings/`` keyed by a hash of the source text, the
rendering's name and ``VERSION``.

``score_rendering(name)`` runs the pipeline on one rendering in a temporary
folder and scores its tables the way ``score.py`` of the shared tools does
(cities matched by name; each gold field a hit or a miss); ``matrix_report``
gives the Markdown table of many. ``python -m extract.bench.renderings
[--only NAME ...]`` prints it.

Needs the ``test`` extra (reportlab, pymupdf) and Debian's poppler-utils and
fonts-dejavu-core (``scripts/install-system-deps.sh``) for the PDF renderings."""
from __future__ import annotations

import csv
import hashlib
import math
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

from extract.bench.variants import wrap

VERSION = "2"
ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "raw" / "gnlc-portraits-2016.txt"
GOLD = ROOT / "tests" / "gold" / "brochure-2016"
CACHE = ROOT / ".cache" / "renderings"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
STEM = "gnlc-portraits-2016"
SEED = 2016
CITIES = 37
BAR = 0.99  # share of gold fields a rendering must hit (and every city found)
HEADER = "UNESCO Global Network of Learning Cities"
GAP = "\n\n\n\n"  # what separates two portraits in the text

# ---------------------------------------------------------------- the brochure's parts


@dataclass
class Brochure:
    """The source text cut into its parts; ``front + GAP.join(portraits) + back`` is the text."""
    front: str                       # title, member list, imprint, foreword and the gap after
    portraits: list[str]             # each from its first line to the end of its contact block
    back: str                        # from the gap after the last portrait to the end
    member: tuple[int, int]          # the member list's span within ``front``

    @property
    def text(self) -> str:
        return self.front + GAP.join(self.portraits) + self.back

    @property
    def member_list(self) -> str:
        return self.front[self.member[0]:self.member[1]]

    @property
    def front_without_members(self) -> str:
        return self.front[: self.member[0]] + self.front[self.member[1]:]


_CONTACT = re.compile(r"^Contact details", re.M)
_MEMBERS = re.compile(r"^Participating cities\n.*?^\* UNESCO Learning City Awardee[^\n]*\n", re.M | re.S)


def parse(text: str) -> Brochure:
    """Cut the brochure into front matter, portraits and back matter. A portrait
    ends with the line of its contact block that holds the e-mail address; the
    first starts after the last run of blank lines before the first indicator table."""
    first_table = re.search(r"^Population\t", text, re.M).start()
    start = text.rfind(GAP, 0, first_table) + len(GAP)
    spans = []
    for m in _CONTACT.finditer(text):
        mail = re.compile(r"^.*mail:.*$", re.M).search(text, m.start())
        spans.append((start, mail.end()))
        nxt = re.compile(r"\S").search(text, mail.end())
        start = nxt.start() if nxt else len(text)
    portraits = [text[s:e] for s, e in spans]
    for (_, e), (s, _) in zip(spans, spans[1:]):
        if text[e:s] != GAP:
            raise ValueError(f"unexpected gap between portraits at {e}: {text[e:s]!r}")
    front, back = text[: spans[0][0]], text[spans[-1][1]:]
    m = _MEMBERS.search(front)
    brochure = Brochure(front, portraits, back, (m.start(), m.end()))
    assert brochure.text == text
    return brochure


# ---------------------------------------------------------------- blocks (for Markdown and PDFs)

SECTIONS = {"Vision and motivation", "Challenges and goals", "Plan and implementation"}
FRONT_HEADINGS = {"Participating cities", "Imprint", "Photos", "Design", "Foreword"}
_QUOTE = re.compile(r"""^['‘"“].*['’"”]\.?$""")


@dataclass
class Block:
    kind: str          # title heading city section para table quote attribution bullet contact
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


def blocks(part: str, portrait: bool, title: bool = False) -> list[Block]:
    """A part of the brochure (a portrait, the front or back matter) as a list of
    typed blocks; paragraphs are the text's blank-line-separated blocks."""
    out: list[Block] = []
    contact = False
    for k, chunk in enumerate(c for c in re.split(r"\n\s*\n", part) if c.strip()):
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        if any("\t" in ln for ln in lines):
            out.append(Block("table", rows=[ln.split("\t") for ln in lines]))
            continue
        for j, line in enumerate(lines):
            s = line.strip()
            if portrait and k == 0 and j == 0:
                out.append(Block("city", s))
            elif title and not out:
                out.append(Block("title", s))
            elif portrait and (contact or s.startswith("Contact details")):
                contact = True
                out.append(Block("contact", s))
            elif s in SECTIONS and portrait:
                out.append(Block("section", s))
            elif s in FRONT_HEADINGS and not portrait:
                out.append(Block("heading", s))
            elif s.startswith("> "):
                out.append(Block("attribution", s[2:]))
            elif s.startswith("- "):
                out.append(Block("bullet", s[2:]))
            elif portrait and _QUOTE.match(s):
                out.append(Block("quote", s))
            else:
                out.append(Block("para", s))
    return out


def parts(b: Brochure) -> tuple[list[Block], list[list[Block]], list[Block]]:
    return blocks(b.front, False, title=True), [blocks(p, True) for p in b.portraits], blocks(b.back, False)


def _padded(rows: list[list[str]]) -> list[list[str]]:
    n = max(len(r) for r in rows)
    return [[c.strip() for c in r] + [""] * (n - len(r)) for r in rows]


def _is_label(cell: str) -> bool:
    return bool(re.search(r"[^\W\d_]", cell)) and not re.search(r"\d", cell) and cell.lower() != "n/a"


# ---------------------------------------------------------------- text renderings


def _text(name: str, folder: Path, text: str, suffix: str = "txt") -> Path:
    path = Path(folder) / f"{STEM}-{name}.{suffix}"
    path.write_bytes(text.encode("utf-8"))
    return path


def front_matter_removed(src: str) -> str:
    b = parse(src)
    return GAP.join(b.portraits) + b.back


def member_list_at_end(src: str) -> str:
    b = parse(src)
    return b.front_without_members + GAP.join(b.portraits) + GAP + b.member_list.strip("\n") + b.back


def member_list_last(src: str) -> str:
    b = parse(src)
    return b.front_without_members + GAP.join(b.portraits) + b.back.rstrip("\n") + GAP + b.member_list


def shuffled(src: str, seed: int = SEED) -> str:
    b = parse(src)
    order = list(range(len(b.portraits)))
    random.Random(seed).shuffle(order)
    return b.front + GAP.join(b.portraits[i] for i in order) + b.back


_CP1252 = [bytes([i]).decode("cp1252", errors="ignore") or chr(i) for i in range(256)]


def mojibake(src: str) -> str:
    """The UTF-8 bytes read once as Windows-1252 (its five unassigned bytes as
    the C1 controls of the same value, as Windows does): ``Villa MarÃ­a``, ``kmÂ²``."""
    return "".join(_CP1252[b] for b in src.encode("utf-8"))


def mojibake_latin1(src: str) -> str:
    return src.encode("utf-8").decode("latin-1")


def _md_cell(cell: str, labels: bool) -> str:
    cell = cell.replace("|", "\\|")
    return f"**{cell}**" if labels and _is_label(cell) else cell


def _md_table(rows: list[list[str]], labels: bool) -> list[str]:
    rows = _padded(rows)
    lines = ["| " + " | ".join(_md_cell(c, labels) for c in r) + " |" for r in rows]
    return [lines[0], "|" + "---|" * len(rows[0]), *lines[1:]]


def _md_blocks(bl: list[Block], portrait: bool) -> list[str]:
    out: list[str] = []
    prev = None
    for b in bl:
        if b.kind == "title":
            out.append(f"# {b.text}")
        elif b.kind in ("heading", "city"):
            out.append(f"## {b.text}")
        elif b.kind == "section":
            out.append(f"### {b.text}")
        elif b.kind == "table":
            out.append("\n".join(_md_table(b.rows, portrait)))
        elif b.kind == "quote":
            out.append(f"> {b.text}")
        elif b.kind == "attribution":
            if prev == "quote":
                out[-1] += f"\n>\n> {b.text}"
            else:
                out.append(f"> {b.text}")
        elif b.kind == "bullet":
            if prev == "bullet":
                out[-1] += f"\n- {b.text}"
            else:
                out.append(f"- {b.text}")
        elif b.kind == "contact":
            out.append(re.sub(r"^(Contact details:)|(E-?mail:)", lambda m: f"**{m.group(0)}**", b.text))
        else:
            out.append(b.text)
        prev = b.kind
    return out


def markdown(src: str) -> str:
    """The brochure as Markdown: ``#`` title, ``##`` portrait headers (each
    portrait's first line), ``###`` sections, pipe tables, ``>`` quotes,
    ``**`` labels, ``---`` between portraits."""
    front, portraits, back = parts(parse(src))
    chunks = ["\n\n".join(_md_blocks(front, False))]
    chunks += ["\n\n".join(_md_blocks(p, True)) for p in portraits]
    chunks.append("\n\n".join(_md_blocks(back, False)))
    return "\n\n---\n\n".join(chunks) + "\n"


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
    from reportlab.platypus import (KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer,
                                    Table, TableStyle)

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


# ---------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Rendering:
    name: str
    make: Callable[[str, Path], Path]    # (source text, folder) → the written file
    heavy: bool = False                   # cached under .cache/renderings/
    needs: tuple[str, ...] = ()           # programs (on PATH) and Python modules it needs
    note: str = ""


REGISTRY: dict[str, Rendering] = {}


def _register(name: str, make, heavy=False, needs=(), note=""):
    REGISTRY[name] = Rendering(name, make, heavy, tuple(needs), note)


def _textual(name: str, fn: Callable[[str], str], suffix: str = "txt", note: str = ""):
    _register(name, lambda src, folder: _text(name, folder, fn(src), suffix), note=note)


_textual("text", lambda s: s, note="the source as it is")
_textual("front-matter-removed", front_matter_removed, note="title, member list, imprint and foreword removed")
_textual("member-list-at-end", member_list_at_end, note="member list after the last portrait, before the back matter")
_textual("member-list-last", member_list_last, note="member list as the very last lines")
_textual("markdown", markdown, "md", note="Markdown")
_textual("mojibake", mojibake, note="UTF-8 read as Windows-1252 once, saved as UTF-8")
_textual("mojibake-latin1", mojibake_latin1, note="UTF-8 read as Latin-1 once, saved as UTF-8")
_textual("shuffled", shuffled, note=f"portraits in an order shuffled with seed {SEED}")
for _w in range(30, 161, 5):
    _textual(f"wrap-{_w}", lambda s, w=_w: wrap(s, w), note=f"hard-wrapped at {_w} columns")

_PDFS = {
    "reportlab": (lambda src, path: reportlab_pdf(src, path), ("reportlab",)),
    "mupdf": (lambda src, path: mupdf_pdf(src, path), ("pymupdf",)),
    "fpdf": (lambda src, path: fpdf_pdf(src, path), ("fpdf",)),
    "fpdf-2col": (lambda src, path: fpdf_pdf(src, path, 2), ("fpdf",)),
}
for _engine, (_make, _mods) in _PDFS.items():
    _register(f"{_engine}-pdf", lambda src, folder, e=_engine, m=_make: m(src, Path(folder) / f"{STEM}-{e}.pdf"),
              heavy=True, needs=_mods, note=f"PDF by {_engine}, read by the pipeline (pdfplumber)")
    for _layout in (False, True):
        _suffix = "-layout" if _layout else ""
        _register(f"{_engine}-pdftotext{_suffix}",
                  lambda src, folder, e=_engine, lay=_layout, s=_suffix: pdftotext(
                      render(f"{e}-pdf", folder), Path(folder) / f"{STEM}-{e}-pdftotext{s}.txt", lay),
                  heavy=True, needs=(*_mods, "pdftotext"),
                  note=f"pdftotext{' -layout' if _layout else ''} of the {_engine} PDF")

NAMES = list(REGISTRY)


def missing(name: str) -> list[str]:
    """What rendering ``name`` needs that is not installed."""
    import importlib.util
    out = []
    for need in REGISTRY[name].needs:
        if need in ("pdftotext", "chromium"):
            if shutil.which(need) is None:
                out.append(need)
        elif importlib.util.find_spec(need) is None:
            out.append(f"python module {need}")
    if REGISTRY[name].heavy and name.split("-")[0] in ("reportlab", "mupdf") and not (FONTS / "DejaVuSans.ttf").exists():
        out.append("fonts-dejavu-core")
    return out


def cache_key(name: str, source_text: str) -> str:
    h = hashlib.sha256()
    for part in (source_text, name, VERSION):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:20]


def render(name: str, folder: str | Path, source: str | Path = SOURCE, cache: str | Path | None = CACHE) -> Path:
    """Write the brochure as rendering ``name`` into ``folder``; the file's path.
    A heavy rendering is made once into the cache and copied from there."""
    if name not in REGISTRY:
        raise KeyError(f"no rendering {name!r}; known: {', '.join(NAMES)}")
    gone = missing(name)
    if gone:
        raise MissingTool(f"rendering {name} needs {', '.join(gone)} (scripts/install-system-deps.sh)")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    src = Path(source).read_text(encoding="utf-8")
    r = REGISTRY[name]
    if not r.heavy or cache is None:
        return r.make(src, folder)
    slot = Path(cache) / f"{name}-{cache_key(name, src)}"
    if not slot.is_dir() or not any(slot.iterdir()):
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=Path(cache).mkdir(parents=True, exist_ok=True) or cache))
        try:
            made = r.make(src, tmp)
            for extra in tmp.iterdir():
                if extra != made:
                    extra.unlink()
            try:
                os.rename(tmp, slot)
            except OSError:  # another process made it first
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    cached = next(slot.iterdir())
    dest = folder / cached.name
    if dest != cached:
        shutil.copyfile(cached, dest)
    return dest


# ---------------------------------------------------------------- scoring (as score.py does)

_HONORIFICS = re.compile(r"^(?:(?:Mr|Ms|Mrs|Dr|Prof|Cllr|H\.?E\.?)\.?\s+)+", re.I)
_TEXT_FIELDS = {"city", "country", "country_code", "tagline", "joined_gnlc"}


def _norm(s) -> str:
    s = unicodedata.normalize("NFC", s or "")
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    s = re.sub(r"\s+", " ", s).strip().rstrip(".").strip()
    return s.casefold()


def _person(s) -> str:
    return _norm(_HONORIFICS.sub("", (s or "").strip()))


def _num_eq(a, b) -> bool:
    if (a or "").strip() == "" or (b or "").strip() == "":
        return (a or "").strip() == (b or "").strip()
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)


def _rows(path: Path) -> list[dict] | None:
    if not path.exists():
        return None
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def brochure_cities(source: str | Path = SOURCE) -> list[str]:
    """The 37 city names of the brochure's member list (awardee marks dropped)."""
    b = parse(Path(source).read_text(encoding="utf-8"))
    return [re.sub(r"\s*(\[\*\]|\*)\s*$", "", ln.split("\t")[-1]).strip()
            for ln in b.member_list.split("\n") if "\t" in ln]


def score_output(out: str | Path, gold: str | Path = GOLD, document: str = "portraits-2016",
                 expected: list[str] | None = None) -> dict:
    """Score the tables in ``out`` against the gold tables in ``gold`` exactly as
    ``score.py`` does: hits and totals per field, the misses, and the sums. The
    gold covers 25 of the 37 portraits; ``cities`` counts how many of ``expected``
    (default: the brochure's member list) have an output row of that name."""
    expected = brochure_cities() if expected is None else expected
    out, gold = Path(out), Path(gold)
    hits: dict[str, int] = {}
    total: dict[str, int] = {}
    misses: list[str] = []

    def tally(key, ok, detail):
        total[key] = total.get(key, 0) + 1
        hits[key] = hits.get(key, 0) + (1 if ok else 0)
        if not ok:
            misses.append(detail)

    def mine(rows):
        return [r for r in rows if "document_id" not in r or document in (r.get("document_id") or "")]

    cities = _rows(out / "cities.csv")
    if cities is None:
        return {"hits": 0, "fields": 1, "percent": 0.0, "cities": 0, "cities_total": len(expected),
                "rows": 0, "per_field": {}, "misses": [f"no {out / 'cities.csv'}"]}
    cities = mine(cities)
    by_name: dict[str, dict] = {}
    for r in cities:
        by_name.setdefault(_norm(r.get("city")), r)
    id_to_name = {r.get("city_id"): _norm(r.get("city")) for r in cities}
    contacts = mine(_rows(out / "contacts.csv") or [])
    quotes = mine(_rows(out / "quotes.csv") or [])
    first_contact: dict = {}
    for r in sorted(contacts, key=lambda r: int(r.get("position") or 1)):
        first_contact.setdefault(id_to_name.get(r.get("city_id")), r)
    quotes_by: dict = {}
    for r in quotes:
        quotes_by.setdefault(id_to_name.get(r.get("city_id")), []).append(r)

    for g in _rows(gold / "cities.csv") or []:
        o = by_name.get(_norm(g["city"]))
        tally("city found", o is not None, f"{g['city']}: no output row")
        if o is None:
            continue
        for k, v in g.items():
            if k == "city":
                continue
            got = o.get(k)
            ok = (_norm(got) == _norm(v)) if k in _TEXT_FIELDS else _num_eq(got, v)
            tally(k, ok, f"{g['city']}.{k}: want {v!r} got {got!r}")
    for g in _rows(gold / "contacts.csv") or []:
        o = first_contact.get(_norm(g["city"]))
        tally("contact found", o is not None, f"{g['city']}: no contact row")
        if o is None:
            continue
        tally("contact name", _person(o.get("name")) == _person(g["name"]),
              f"{g['city']}.contact name: want {g['name']!r} got {o.get('name')!r}")
        tally("contact role", _norm(o.get("role")) == _norm(g["role"]),
              f"{g['city']}.contact role: want {g['role']!r} got {o.get('role')!r}")
        tally("contact email", _norm(o.get("email")) == _norm(g["email"]),
              f"{g['city']}.contact email: want {g['email']!r} got {o.get('email')!r}")
        if g["email"] != g["email_raw"]:
            tally("contact email_status", _norm(o.get("email_status")) == "repaired",
                  f"{g['city']}.email_status: want 'repaired' got {o.get('email_status')!r}")
    for g in _rows(gold / "quotes.csv") or []:
        qs = quotes_by.get(_norm(g["city"]), [])
        match = [q for q in qs if _person(q.get("speaker")) == _person(g["speaker"])]
        tally("quote speaker", bool(match),
              f"{g['city']}.quote speaker: want {g['speaker']!r} got {[q.get('speaker') for q in qs]!r}")
        if match:
            tally("quote speaker_role", any(_norm(q.get("speaker_role")) == _norm(g["speaker_role"]) for q in match),
                  f"{g['city']}.quote role: want {g['speaker_role']!r} got {[q.get('speaker_role') for q in match]!r}")
    h, t = sum(hits.values()), sum(total.values())
    found = sum(1 for n in expected if _norm(n) in by_name)
    return {"hits": h, "fields": t, "percent": round(100.0 * h / max(t, 1), 1),
            "cities": found, "cities_total": len(expected), "rows": len(cities),
            "per_field": {k: (hits[k], total[k]) for k in total}, "misses": misses}


_RULES = None


def run_pipeline(path: Path, out: Path) -> None:
    """The pipeline on one file, in this process (rules loaded once)."""
    global _RULES
    from extract.pipeline.batch import run
    from extract.rules.load import load_rules
    if _RULES is None:
        _RULES = load_rules()
    run([path], out, _RULES, say=lambda line: None)


def score_rendering(name: str, gold: str | Path = GOLD, source: str | Path = SOURCE,
                    cache: str | Path | None = CACHE, keep: str | Path | None = None) -> dict:
    """Render, extract (in process) and score one rendering: cities found of 37,
    gold fields hit of all, percent, whether it passes the bar (every city and
    ≥99% of the fields), the misses, seconds to render and to extract. With
    ``keep``, the rendering and its tables are left in that folder."""
    with tempfile.TemporaryDirectory(prefix=f"render-{name}-") as tmp:
        work = Path(keep) if keep else Path(tmp)
        t0 = time.perf_counter()
        path = render(name, work / "in", source=source, cache=cache)
        t1 = time.perf_counter()
        out = work / "out"
        if out.exists():
            shutil.rmtree(out)
        error = None
        try:
            run_pipeline(path, out)
        except Exception as exc:  # a rendering the pipeline rejects scores nothing
            error = f"{type(exc).__name__}: {exc}"
        t2 = time.perf_counter()
        result = score_output(out, gold, expected=brochure_cities(source))
    result.update(rendering=name, render_seconds=round(t1 - t0, 2), extract_seconds=round(t2 - t1, 2),
                  error=error)
    result["passes"] = passes(result)
    return result


def passes(result: dict) -> bool:
    return result["cities"] == result["cities_total"] == CITIES and result["hits"] >= BAR * result["fields"]


def _score_or_skip(name: str) -> dict:
    gone = missing(name)
    if gone:
        return {"rendering": name, "skipped": f"needs {', '.join(gone)}"}
    return score_rendering(name)


def matrix(names: list[str] | None = None, workers: int = 2) -> list[dict]:
    """``score_rendering`` of each of ``names`` (default: all), ``workers`` at a time."""
    names = list(names or NAMES)
    if workers <= 1 or len(names) == 1:
        return [_score_or_skip(n) for n in names]
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_score_or_skip, names))


def table(results: list[dict]) -> str:
    lines = ["| rendering | cities | gold fields | % | passes bar |", "|---|---|---|---|---|"]
    # cities: the member list's cities with an output row of that name (of 37); gold fields: score.py's
    for r in results:
        if "skipped" in r:
            lines.append(f"| {r['rendering']} | – | – | – | skipped: {r['skipped']} |")
            continue
        mark = "yes" if r["passes"] else "no" + (f" ({r['error']})" if r.get("error") else "")
        lines.append(f"| {r['rendering']} | {r['cities']}/{r['cities_total']} | {r['hits']}/{r['fields']} | "
                     f"{r['percent']:.1f} | {mark} |")
    return "\n".join(lines)


def matrix_report(names: list[str] | None = None, workers: int = 2) -> str:
    """The Markdown table of the renderings ``names`` (default: all): cities found,
    gold fields hit, percent, and whether it passes the bar (37/37 cities, ≥99% of fields)."""
    return table(matrix(names, workers))


def expected_yaml(results: list[dict], causes: dict[str, str] | None = None) -> str:
    """``tests/renderings_expected.yaml`` from ``results``: each rendering → pass or
    fail with its figures (and why it fails, from ``causes``)."""
    lines = ["# Today's result of every rendering of extract.bench.renderings (tests/test_renderings.py).",
             "# pass: 37/37 cities and >=99% of the gold fields; fail: the test is a strict xfail, so a",
             "# rendering that starts passing fails the suite until its entry here says pass.",
             "# Remake: python -m extract.bench.renderings --write-expected tests/renderings_expected.yaml"]
    for r in results:
        if "skipped" in r:
            continue
        entry = {"result": "pass" if r["passes"] else "fail", "cities": f"{r['cities']}/{r['cities_total']}",
                 "fields": f"{r['hits']}/{r['fields']}", "percent": r["percent"]}
        if causes and causes.get(r["rendering"]):
            entry["cause"] = causes[r["rendering"]]
        body = ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in entry.items())
        lines.append(f"{r['rendering']}: {{{body}}}")
    return "\n".join(lines) + "\n"


def _yaml_scalar(v) -> str:
    import json
    return json.dumps(v, ensure_ascii=False) if isinstance(v, str) else str(v)


def main(argv: list[str] | None = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(prog="python -m extract.bench.renderings", description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="+", metavar="NAME", help="these renderings (default: all)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--list", action="store_true", help="list the renderings and stop")
    ap.add_argument("--write", metavar="DIR", help="write the renderings into DIR and stop")
    ap.add_argument("--write-expected", metavar="YAML",
                    help="also write today's results there (the causes already in it kept)")
    a = ap.parse_args(argv)
    if a.list:
        for n in NAMES:
            print(f"{n:32s} {REGISTRY[n].note}")
        return 0
    if a.write:
        for n in a.only or NAMES:
            print(render(n, a.write))
        return 0
    t0 = time.perf_counter()
    results = matrix(a.only, a.workers)
    print(table(results))
    print(f"\n{time.perf_counter() - t0:.0f} s")
    if a.write_expected:
        import yaml
        path = Path(a.write_expected)
        old = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}
        kept = {n: e for n, e in old.items() if n not in {r["rendering"] for r in results}}
        causes = {n: e.get("cause", "") for n, e in old.items()}
        text = expected_yaml(results, causes)
        for n, e in kept.items():
            text += f"{n}: {{{', '.join(f'{k}: {_yaml_scalar(v)}' for k, v in e.items())}}}\n"
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
