"""Two columns set side by side on each line (``pdftotext -layout`` of a
two-column page) → the text read column by column.

In: the text of a file, its pages split by form feeds (as ``pdftotext``
writes them; a text without form feeds is one page), and ``ColumnRules``
(``rules/text.yaml``). Out: the same text with each region of two columns
re-laid — its left column's lines top to bottom, then its right column's —
and those regions (``ColumnRegion``), for a ``columns_read`` finding.

A page is set in two columns when a *gutter* runs down it: a band of at
least ``min_gutter`` character columns, its middle in the ``zone`` of the
page's width, that holds text on at most ``max_crossing`` of the page's
non-blank lines, with text on both sides of it on at least ``min_lines``
lines (and ``min_share`` of them), the median such line holding
``min_words`` words and filling ``min_fill`` of its column's width on each
side. Prose in one column runs across any such band; a table whose cells
are set apart by runs of spaces, or a list of short entries side by side,
has too few words or fills too little of its columns to be two columns of
text, and is left as it is.

A line is split at the run of white space (two spaces or more, or the
line's end) that covers the gutter's last character column, or ends just
before it (text that starts a column early); its right piece keeps its
indent from the column's edge. A line that no such run splits — a heading
or a table row across both columns, a line with a tab (whose width is the
reader's, not the writer's) — stays whole where it is: the lines between
two of them are a region, read on its own (as ``read.pdf`` reads a PDF's
bands between the lines across a page). Blank lines at the top and bottom
of a column are dropped: a paragraph goes on from the foot of the left
column to the head of the right one.

Offsets: a region is re-laid in place and keeps its length: its pieces of
lines are joined by line ends and the white space it no longer needs (the
gutter) is given back as spaces at the ends of its lines. So the pages keep
their offsets (``page_starts``), the text outside the regions is unchanged,
and every character of a region is a character of the file, moved within
the region (``ColumnRegion.moves``; ``file_offset`` maps back).
``read.ingest`` does this before any stage reads the text, so
``Document.text`` — what every offset of the tables points into, and what
the review shows — is the text in reading order, as a PDF's text is."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from extract.rules.text import ColumnRules
from extract.types import ColumnRegion, Span

_INK = regex.compile(r"[^ ]+")
_WORD = regex.compile(r"\S+")


@dataclass(frozen=True)
class _Row:
    start: int  # offset of the line in the text
    line: str   # without its line end
    cut: tuple[int, int] | None  # (end of the left text, start of the right piece); None: the line stays whole

    @property
    def left(self) -> str:
        return self.line[:self.cut[0]] if self.cut else ""

    @property
    def right(self) -> str:
        return self.line[self.cut[1]:].rstrip() if self.cut else ""


def _cut(line: str, gutter: tuple[int, int]) -> tuple[int, int] | None:
    """Where ``line`` splits at ``gutter``: (end of its left text, start of
    its right piece), or None when its text runs across the gutter."""
    body = line.rstrip()
    if "\t" in body:
        return None
    edge = gutter[1] - 1  # the gutter's last column
    inside = len(body) - len(body.lstrip()) >= gutter[0]  # the text starts in the gutter or right of it
    if len(body) <= edge:  # nothing in the right column
        return None if inside else (len(body), len(body))  # text in the gutter alone: a centred line
    k = edge if body[edge] == " " else edge - 1  # or the right text starts a column early
    if k < 0 or body[k] != " ":
        return None
    a, b = k, k
    while a and body[a - 1] == " ":
        a -= 1
    while body[b] == " ":
        b += 1
    if a and (b - a < 2 or inside):  # a space between two words, not a gap; or no left column
        return None
    if not a and b < gutter[1]:  # text alone that starts in the gutter: a centred line
        return None
    return a, min(b, gutter[1])


def _median(values: list[int]) -> float:
    values = sorted(values)
    return values[len(values) // 2]


def _bands(texts: list[str], rules: ColumnRules, allowed: int) -> list[tuple[int, int]]:
    """The candidate gutters of a page's non-blank lines, widest first: runs
    of character columns that hold text on ``allowed`` lines at most, their
    middle in the zone."""
    width = max(map(len, texts))
    ink = [0] * (width + 1)
    for t in texts:
        for m in _INK.finditer(t if "\t" not in t else "x" * len(t)):
            ink[m.start()] += 1
            ink[m.end()] -= 1
    out, start, depth = [], None, 0
    for x in range(width + 1):
        depth += ink[x]
        if depth <= allowed and start is None:
            start = x
        elif depth > allowed and start is not None:
            if x - start >= rules.min_gutter and start > 0 and rules.zone[0] <= (start + x) / 2 / width <= rules.zone[1]:
                out.append((start, x))
            start = None
    return sorted(out, key=lambda g: (g[0] - g[1], g[0]))


def _is_gutter(texts: list[str], gutter: tuple[int, int], rules: ColumnRules, least: float) -> bool:
    """Whether the page's lines are two columns of text either side of
    ``gutter``, with text on both sides on ``least`` lines at least."""
    width = max(map(len, texts))
    both = []
    for t in texts:
        cut = _cut(t, gutter)
        if cut and t[:cut[0]].strip() and t[cut[1]:].strip():
            both.append((t[:cut[0]], t[cut[1]:].rstrip()))
    if not both or len(both) < least:
        return False
    words = min(_median([len(_WORD.findall(side[k])) for side in both]) for k in (0, 1))
    fill = max(_median([len(left) for left, _ in both]) / gutter[0],
               _median([len(right) for _, right in both]) / max(1, width - gutter[1]))
    return words >= rules.min_words and fill >= rules.min_fill


def _edged(texts: list[str], gutter: tuple[int, int]) -> tuple[int, int]:
    """``gutter`` ending where the right column's text starts on the lines
    with text on both sides: the column's edge, even where a line in the
    gutter alone (a page number) cut the band short."""
    starts = [cut[1] + len(t[cut[1]:]) - len(t[cut[1]:].lstrip()) for t in texts
              for cut in [_cut(t, gutter)] if cut and t[:cut[0]].strip() and t[cut[1]:].strip()]
    return (gutter[0], min(starts)) if starts else gutter


def _gutter(texts: list[str], rules: ColumnRules) -> tuple[int, int] | None:
    """The gutter of a page set in two columns, from its own lines, or None."""
    least = max(rules.min_lines, rules.min_share * len(texts))
    gap = " " * rules.min_gutter
    gaps = regex.compile(rf"\S {{{rules.min_gutter},}}\S")
    if sum(1 for t in texts if gap in t and gaps.search(t)) < least:
        return None  # too few lines with a gap wide enough: no need to look closer
    bands = _bands(texts, rules, int(rules.max_crossing * len(texts)))
    return next((_edged(texts, g) for g in bands if _is_gutter(texts, g, rules, least)), None)


def _gutter_like(texts: list[str], rules: ColumnRules, known: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The gutter of a page with too few lines to show one of its own (the
    last page, its right column short): a band that overlaps a gutter of the
    document's other pages, with text on both sides of it on some line. The
    right column may be as short as the lines across the gutter are few, so
    bands that fewer lines cross are tried in turn, down to none."""
    if not known or not texts:
        return None
    for allowed in range(int(rules.max_crossing * len(texts)), -1, -1):
        for g in _bands(texts, rules, allowed):
            if any(g[0] < k1 and k0 < g[1] for k0, k1 in known) and _is_gutter(texts, g, rules, 1):
                return _edged(texts, g)
    return None


def _regions(rows: list[_Row]) -> list[list[_Row]]:
    """Runs of rows split at the gutter, between rows that stay whole,
    without blank rows at either end, that hold text in both columns."""
    out: list[list[_Row]] = []
    run: list[_Row] = []
    for row in rows + [_Row(0, "", None)]:
        if row.cut is not None:
            run.append(row)
            continue
        while run and not run[-1].line.strip():
            run.pop()
        while run and not run[0].line.strip():
            run.pop(0)
        if any(r.left.strip() for r in run) and any(r.right for r in run):
            out.append(run)
        run = []
    return out


def _trim(pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A column's pieces without blank ones at its top and bottom."""
    kept = [k for k, (_, p) in enumerate(pieces) if p.strip()]
    return pieces[kept[0]:kept[-1] + 1] if kept else []


def _relay(rows: list[_Row], page: int, gutter: tuple[int, int]) -> tuple[str, ColumnRegion] | None:
    """The text of a region read column by column, same length, and its
    record; None if it would not fit in the region's length."""
    start, end = rows[0].start, rows[-1].start + len(rows[-1].line)
    lefts = _trim([(r.start, r.left) for r in rows])
    rights = _trim([(r.start + r.cut[1], r.right) for r in rows])
    pieces = lefts + rights
    slack = (end - start) - sum(len(p) for _, p in pieces) - (len(pieces) - 1)
    if slack < 0:
        return None
    base, extra = divmod(slack, len(pieces))
    parts, moves, at = [], [], start
    for k, (origin, piece) in enumerate(pieces):
        if piece:
            moves.append((at, origin, len(piece)))
        pad = " " * (base + (k < extra))
        parts.append(piece + pad)
        at += len(piece) + len(pad) + 1
    text = "\n".join(parts)
    assert len(text) == end - start
    return text, ColumnRegion(page=page, span=Span(start, end), gutter=gutter, moves=tuple(moves))


def _page_lines(content: str, rules: ColumnRules) -> list[str]:
    """The non-blank lines of a page, without trailing white space; none
    when no line holds a gap as wide as a gutter: such a page is not looked at."""
    if " " * rules.min_gutter not in content:
        return []
    return [ln.rstrip() for ln in content.split("\n") if ln.strip()]


def _may_show_gutter(content: str, rules: ColumnRules) -> bool:
    """Whether a page has the lines to show a gutter of its own (``_gutter``):
    ``min_lines`` non-blank lines, and as many gaps as wide as a gutter as
    ``_gutter`` wants lines with one (counted without building the lines)."""
    gap = " " * rules.min_gutter
    if gap not in content:
        return False
    lines = sum(map(bool, map(str.strip, content.split("\n"))))
    return lines >= rules.min_lines and content.count(gap) >= max(rules.min_lines, rules.min_share * lines)


def read_columns(text: str, rules: ColumnRules) -> tuple[str, tuple[ColumnRegion, ...]]:
    """``text`` with every region of two columns side by side read column by
    column (same length, see the module), and those regions."""
    pages, starts = text.split("\f"), [0]
    for content in pages:
        starts.append(starts[-1] + len(content) + 1)
    gutters = [_gutter(_page_lines(content, rules), rules) if _may_show_gutter(content, rules) else None
               for content in pages]
    known = [g for g in gutters if g]
    if known:
        gutters = [g or _gutter_like(_page_lines(content, rules), rules, known) for g, content in zip(gutters, pages)]
    out, regions = [], []
    for page, (content, start, gutter) in enumerate(zip(pages, starts, gutters), 1):
        if gutter is None:
            continue
        rows, at = [], start
        for line in content.split("\n"):
            rows.append(_Row(at, line, _cut(line, gutter)))
            at += len(line) + 1
        for run in _regions(rows):
            relaid = _relay(run, page, gutter)
            if relaid is not None:
                out.append(relaid[0])
                regions.append(relaid[1])
    if not regions:
        return text, ()
    chars, at = [], 0
    for piece, region in zip(out, regions):
        chars += [text[at:region.span.start], piece]
        at = region.span.end
    return "".join(chars) + text[at:], tuple(regions)


def file_offset(regions: tuple[ColumnRegion, ...], k: int) -> int | None:
    """Where the character at ``k`` of the text read column by column is in
    the file's text: ``k`` itself outside the regions; None for a line end or
    a space a region added."""
    for region in regions:
        if region.span.start <= k < region.span.end:
            return next((origin + k - at for at, origin, n in region.moves if at <= k < at + n), None)
    return k
