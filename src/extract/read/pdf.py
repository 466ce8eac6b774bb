"""Stage 1 for PDFs: a PDF file → a ``Document`` (pdfplumber).

The words of each page are grouped into lines by their baseline and read
left to right; a page set in two columns (a gutter down its middle that no
word crosses) is read column by column, band by band between the lines that
run across it; a gap wider than ``_TAB_EM`` times the font size (a table
column) becomes a tab, so the cells of the indicator table stay apart. Pages
are joined with a line end and ``Document.page_starts`` keeps where each
begins. A line set in from the column's left edge starts with spaces.
A line that holds only a page number in the top or bottom margin is
page furniture and is left out of the text (its label is kept in
``Document.page_labels``). What a PDF may cost is bounded (``pdf_limits``):
pages are read one at a time, each checked and laid out within its limits.

Line ends inside a paragraph are found from the geometry: a line is *full*
when the next line's first word would not have fitted before the column's
right edge, and its line end is then a soft break (see ``wrapping``)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from io import BytesIO
from itertools import accumulate
from pathlib import Path

import regex

from extract.errors import InputError
from extract.read.limits import Limits
from extract.read.pdf_limits import PdfTooLarge, bounded_streams, check_page_box, page_layout
from extract.read.textutil import fold
from extract.types import Document

_TAB_EM = 1.2          # a gap wider than this many font sizes is a column gap
_LINE_EM = 0.5         # words whose tops differ by less than this are on one line
_SPACE_EM = 0.25       # width of a space, for the fits-on-the-line test
_INDENT_EM = 0.5       # one leading space per this many font sizes of indent
_MAX_INDENT = 40
_GUTTER_ZONE = (0.3, 0.7)  # where on the page a gutter between two columns may be
_GUTTER_MIN = 6            # points: the narrowest gap that is a gutter
_GUTTER_CROSSING = 0.01    # share of the words that may cross it (a title across both columns)
_MARGIN = 0.1          # share of the page height at the top and bottom that may hold furniture
_CID = regex.compile(r"\(cid:[0-9]+\)")
_PAGE_NUMBER = regex.compile(r"^\W*(?:page\s+)?\d{1,4}\W*$", regex.I)


@dataclass(frozen=True)
class _Line:
    text: str
    top: float
    x0: float
    x1: float
    first_word: float  # width of the first word
    size: float
    column: str = "full"  # "full" (across the page), "left" or "right"


def _gutter(words: list[dict], width: float) -> float | None:
    """x of the gap between two text columns: the widest run of the middle
    of the page that (almost) no word crosses, if it is wide enough."""
    lo, hi = int(_GUTTER_ZONE[0] * width), int(_GUTTER_ZONE[1] * width)
    cover = [0] * (hi - lo)
    for w in words:
        for x in range(max(lo, int(w["x0"])), min(hi, int(w["x1"]) + 1)):
            cover[x - lo] += 1
    allowed = max(1, int(_GUTTER_CROSSING * len(words)))
    best, start = (0, None), None
    for i, n in enumerate(cover + [allowed + 1]):
        if n <= allowed and start is None:
            start = i
        elif n > allowed and start is not None:
            best = max(best, (i - start, lo + (start + i) / 2))
            start = None
    return best[1] if best[0] >= _GUTTER_MIN else None


def _page_lines(words: list[dict], width: float) -> list[_Line]:
    """The lines of a page in reading order: with two columns, in each band
    between lines that run across the page, the left column, then the right."""
    g = _gutter(words, width) if len(words) > 20 else None
    if g is None:
        return _words_to_lines(words)
    tops = [ln.top for ln in _words_to_lines([w for w in words if w["x0"] < g < w["x1"]])]

    def across(w: dict) -> float | None:
        """Top of the line across the page that ``w`` is on, if any."""
        return next((t for t in tops if abs(w["top"] - t) < _LINE_EM * w["height"]), None)

    rest = [w for w in words if across(w) is None]
    bounds = [float("-inf"), *tops, float("inf")]
    out: list[_Line] = []
    for k in range(len(bounds) - 1):
        band = [w for w in rest if bounds[k] < w["top"] < bounds[k + 1]]
        for column, part in (("left", [w for w in band if w["x1"] <= g]), ("right", [w for w in band if w["x0"] >= g])):
            out += [replace(ln, column=column) for ln in _words_to_lines(part)]
        if k < len(tops):
            out += _words_to_lines([w for w in words if across(w) == tops[k]])
    return out


def _words_to_lines(words: list[dict]) -> list[_Line]:
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"], 1), w["x0"])):
        if rows and abs(w["top"] - rows[-1][0]["top"]) < _LINE_EM * rows[-1][0]["height"]:
            rows[-1].append(w)
        else:
            rows.append([w])
    out = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        size = max(w["height"] for w in row)
        gaps = [b["x0"] - a["x1"] for a, b in zip(row, row[1:])]
        # A column gap is wide, and wider than the line's usual gap: the
        # stretched spaces of a justified line are all alike.
        usual = sorted(gaps)[len(gaps) // 2] if gaps else 0.0
        parts = [row[0]["text"]]
        for gap, b in zip(gaps, row[1:]):
            parts.append("\t" if gap > _TAB_EM * size and gap > 2 * usual else " ")
            parts.append(b["text"])
        out.append(_Line("".join(parts), row[0]["top"], row[0]["x0"], row[-1]["x1"],
                         row[0]["x1"] - row[0]["x0"], size))
    return out


def _is_furniture(line: _Line, height: float) -> bool:
    in_margin = line.top < _MARGIN * height or line.top > (1 - _MARGIN) * height
    return in_margin and bool(_PAGE_NUMBER.match(line.text))


def read_pdf(path: str | Path, limits: Limits = Limits(), data: bytes | None = None) -> Document:
    """Read a PDF (its bytes ``data``, already read, or the file at ``path``)
    into a ``Document``; ``InputError`` if it cannot be read, has no text
    layer, or is over a limit: more than ``max_pages`` pages, or over one of
    the resource limits of ``pdf_limits`` (streams that inflate too far, a
    page box too large, a page of too many objects)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings on damaged fonts are not ours to print
    path = Path(path)
    pages: list[list[_Line]] = []
    labels: list[str] = []
    try:
        with bounded_streams(limits.max_inflated_bytes), pdfplumber.open(BytesIO(data) if data else path) as pdf:
            if len(pdf.pages) > limits.max_pages:
                raise InputError(str(path), f"has {len(pdf.pages)} pages, over the limit of {limits.max_pages} "
                                            "(--max-pages)")
            for number, page in enumerate(pdf.pages, 1):
                check_page_box(page, number, limits.max_page_points)
                page_layout(page, number, limits.max_page_objects)
                words = page.extract_words(x_tolerance=1.5, y_tolerance=2)
                lines, label = [], ""
                for ln in _page_lines(words, float(page.width)):
                    if _is_furniture(ln, float(page.height)):
                        label = ln.text.strip()
                    else:
                        lines.append(ln)
                pages.append(lines)
                labels.append(label)
                page.close()  # its objects and layout are not needed again: memory stays one page's
                page.__dict__.pop("_layout", None)
    except InputError:
        raise
    except PdfTooLarge as exc:
        raise InputError(str(path), exc.reason) from None
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        if any(isinstance(e, PDFPasswordIncorrect) for e in (exc, exc.__cause__, exc.__context__, *exc.args)):
            raise InputError(str(path), "is an encrypted PDF (a password is needed)") from None
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise InputError(str(path), f"is not a readable PDF ({detail})") from None
    if not any(pages):
        raise InputError(str(path), "has no text layer (a scanned PDF? run OCR first)")
    doc = _document(path, pages, labels)
    glyphs = sum(len(m) for m in _CID.findall(doc.text))
    if glyphs > 0.3 * len(doc.text.replace(" ", "").replace("\n", "")):
        raise InputError(str(path), "has text in fonts without a Unicode map (`(cid:N)` glyphs); "
                                    "nothing readable to extract")
    return doc


def _indent(line: _Line, left: float) -> str:
    """Spaces for a line set in from the column's left edge (one per half em),
    so a hanging indent under a list entry shows, as in ``pdftotext -layout``."""
    n = round((line.x0 - left) / (_INDENT_EM * line.size))
    return " " * min(max(n, 0), _MAX_INDENT)


def _document(path: Path, pages: list[list[_Line]], labels: list[str]) -> Document:
    """Join the pages' lines into one text; mark the line ends of full lines soft."""
    flat = [ln for page in pages for ln in page]
    edges = {}  # column → (left edge, right edge), over the whole document
    for column in {ln.column for ln in flat}:
        rights = sorted(ln.x1 for ln in flat if ln.column == column)
        lefts = sorted(ln.x0 for ln in flat if ln.column == column)
        edges[column] = (lefts[int(0.1 * (len(lefts) - 1))], rights[int(0.9 * (len(rights) - 1))])
    texts = [_indent(ln, edges[ln.column][0]) + ln.text for ln in flat]
    line_starts = list(accumulate((len(t) + 1 for t in texts), initial=0))
    ends = [start + len(t) for start, t in zip(line_starts, texts)]  # where each line's `\n` is
    starts = [line_starts[k] for k in accumulate((len(page) for page in pages[:-1]), initial=0)]
    soft = frozenset(end for a, b, end in zip(flat, flat[1:], ends)
                     if "\t" not in a.text
                     and a.x1 + _SPACE_EM * a.size + b.first_word > edges[a.column][1] + 0.5 * a.size)
    text = "\n".join(texts)
    return Document(document_id=path.name, path=str(path), text=text, match_text=fold(text), encoding="pdf",
                    soft=soft, page_starts=tuple(starts), page_labels=tuple(labels))
