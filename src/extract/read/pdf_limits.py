"""Bounds on what reading one PDF may cost, checked before the cost is paid.

A small PDF can ask for a lot: a Flate (or LZW, or run-length) stream that
inflates to gigabytes, a page box of 10^9 points, a page of millions of
glyphs. Three limits (``Limits``, each with its option) keep a PDF within
bounds, and a PDF over one is refused with its own message:

- ``inflated``: the bytes all the streams of the document may inflate to,
  together (``--max-inflated-mb``). While a PDF is read, pdfminer's
  decoders are swapped for ones that stop at the limit (``bounded_streams``):
  a Flate stream is measured first, a few megabytes at a time, keeping
  nothing; LZW output is counted as it comes, run-length output measured
  before it is made.
- ``page_box``: the width and height of a page in points
  (``--max-page-points``), checked before the page is parsed.
- ``page_objects``: the characters, paths and images one page may draw
  (``--max-page-objects``), counted as pdfminer makes them
  (``page_layout``).

Going over a limit raises ``PdfTooLarge``, a ``BaseException`` (like
``KeyboardInterrupt``), so that no ``except Exception`` in pdfminer or
pdfplumber takes it for a damaged object and goes on."""
from __future__ import annotations

import math
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO


class PdfTooLarge(BaseException):
    """A PDF asks for more than a limit allows; ``reason`` says which."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class _Budget:
    """Bytes the streams of one document have inflated to, against the limit."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0

    def spend(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            raise PdfTooLarge(f"has streams that inflate to over {self.limit / 1e6:g} MB, the limit "
                              "(--max-inflated-mb)")


class _Inflater:
    """``zlib.decompressobj()`` whose output counts against the budget."""

    def __init__(self, budget: _Budget):
        self.budget, self.inner = budget, zlib.decompressobj()

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        room = self.budget.limit - self.budget.used + 1
        out = self.inner.decompress(data, min(max_length, room) if max_length else room)
        self.budget.spend(len(out) + (1 if self.inner.unconsumed_tail else 0))
        return out

    def flush(self, *args) -> bytes:
        out = self.inner.flush(*args)
        self.budget.spend(len(out))
        return out

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


class _BoundedZlib:
    """What pdfminer's ``pdftypes`` uses of ``zlib``, bounded by a budget:
    ``decompress`` fails as ``zlib.decompress`` does on a truncated stream."""

    error = zlib.error

    def __init__(self, budget: _Budget):
        self.budget = budget

    def decompressobj(self, *args, **kwargs) -> _Inflater:
        return _Inflater(self.budget)

    def decompress(self, data: bytes, *args, **kwargs) -> bytes:
        """``zlib.decompress(data)``, once a first pass that keeps nothing
        (a few megabytes at a time) has found its size within the budget."""
        probe, size, rest = zlib.decompressobj(), 0, data
        while rest:
            size += len(probe.decompress(rest, 1 << 22))
            if self.budget.used + size > self.budget.limit:
                self.budget.spend(size)
            rest = probe.unconsumed_tail
        size += len(probe.flush())
        if not probe.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        self.budget.spend(size)
        return zlib.decompress(data)


def _run_length_size(data: bytes) -> int:
    """The bytes a run-length stream decodes to, without decoding it."""
    size, k = 0, 0
    while k < len(data) and data[k] != 128:
        n = data[k]
        size += n + 1 if n < 128 else 257 - n
        k += n + 2 if n < 128 else 2
    return size


@contextmanager
def bounded_streams(limit: int) -> Iterator[None]:
    """Within the block, every stream pdfminer decodes counts against one
    budget of ``limit`` bytes; ``PdfTooLarge`` once it is spent."""
    from pdfminer import pdftypes
    from pdfminer.lzw import LZWDecoder

    budget = _Budget(limit)
    real_rl = pdftypes.rldecode

    def lzw(data: bytes) -> bytes:
        out = []
        for piece in LZWDecoder(BytesIO(data)).run():
            budget.spend(len(piece))
            out.append(piece)
        return b"".join(out)

    def run_length(data: bytes) -> bytes:
        budget.spend(_run_length_size(data))
        return real_rl(data)

    saved = pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode
    pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode = _BoundedZlib(budget), lzw, run_length
    try:
        yield
    finally:
        pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode = saved


def check_page_box(page, number: int, limit: float) -> None:
    """``PdfTooLarge`` when page ``number``'s box is wider or taller than
    ``limit`` points (or not a finite size)."""
    width, height = float(page.width), float(page.height)
    if not (math.isfinite(width) and math.isfinite(height)) or max(abs(width), abs(height)) > limit:
        raise PdfTooLarge(f"has a page (page {number}) of {width:,.0f} × {height:,.0f} points, over the limit "
                          f"of {limit:,.0f} (--max-page-points)")


def page_layout(page, number: int, limit: int) -> None:
    """Lay out ``page`` (as pdfplumber's ``Page.layout`` does) counting the
    objects it draws; ``PdfTooLarge`` past ``limit``. The layout is kept
    where pdfplumber looks for it, so the page's words come from it."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class Counting(PDFPageAggregatorWithMarkedContent):
        drawn = 0

        def _count(self) -> None:
            self.drawn += 1
            if self.drawn > limit:
                raise PdfTooLarge(f"has a page (page {number}) of over {limit:,} objects (characters, lines, "
                                  "images), the limit (--max-page-objects)")

        def render_char(self, *args, **kwargs) -> float:
            self._count()
            return super().render_char(*args, **kwargs)

        def render_image(self, *args, **kwargs) -> None:
            self._count()
            super().render_image(*args, **kwargs)

        def paint_path(self, *args, **kwargs) -> None:
            self._count()
            super().paint_path(*args, **kwargs)

    device = Counting(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()
