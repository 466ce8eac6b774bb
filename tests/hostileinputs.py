"""PDFs that ask for too much, written byte by byte (no PDF library would
write them): a stream that inflates far, a page box of a billion points, a
page of many glyphs. ``raw_pdf`` joins objects into a file with a correct
cross-reference table."""
from __future__ import annotations

import zlib

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def raw_pdf(objects: list[bytes]) -> bytes:
    """Objects 1…n (object 1 the catalog) → the bytes of a PDF."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, flate: bool = False, padding: int = 0) -> bytes:
    """A stream object of ``data`` and ``padding`` spaces after it
    (Flate-compressed if ``flate``, the spaces a chunk at a time)."""
    if flate:
        data = _deflate(data, padding)
    else:
        data += b" " * padding
    return b"<< /Length %d%s >>\nstream\n" % (len(data), b" /Filter /FlateDecode" if flate else b"") + data + \
        b"\nendstream"


def _deflate(data: bytes, padding: int, chunk: int = 1 << 22) -> bytes:
    """``data`` and ``padding`` spaces as a zlib stream, made fast: after a
    full flush the deflater starts afresh, so every chunk of spaces gives
    the same bytes, computed once (a gigabyte in well under a second)."""
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = raw.compress(data) + raw.flush(zlib.Z_FULL_FLUSH)
    spaces = raw.compress(b" " * chunk) + raw.flush(zlib.Z_FULL_FLUSH)
    rest = raw.compress(b" " * (padding % chunk)) + raw.flush(zlib.Z_FINISH)
    check = zlib.adler32(data)
    for _ in range(padding // chunk):
        check = zlib.adler32(b" " * chunk, check)
    check = zlib.adler32(b" " * (padding % chunk), check)
    return b"\x78\xda" + head + spaces * (padding // chunk) + rest + check.to_bytes(4, "big")


def one_page_pdf(content: bytes, box: bytes = b"[0 0 595 842]", flate: bool = False, padding: int = 0) -> bytes:
    """A PDF of one page drawing ``content`` and ``padding`` spaces after it
    (with Helvetica as /F1) in ``box``."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + box + b" /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        stream(content, flate, padding),
        FONT,
    ])


def text_ops(lines: list[str]) -> bytes:
    """Content drawing ``lines`` of text, one under the other."""
    ops = [b"BT /F1 10 Tf 12 TL 40 800 Td"]
    for line in lines:
        ops.append(b"(" + line.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(")
                   .replace(b")", b"\\)") + b") Tj T*")
    return b"\n".join(ops + [b"ET"])


def inflating_pdf(inflated: int) -> bytes:
    """A page whose one Flate stream inflates to ``inflated`` bytes (a few
    words, then spaces), from a file of about ``inflated / 1000`` bytes."""
    return one_page_pdf(text_ops(["Vision and motivation"]), flate=True, padding=inflated)


def wide_page_pdf(points: int) -> bytes:
    """A page ``points`` wide, with a few words on it."""
    return one_page_pdf(text_ops(["Vision and motivation"]), box=b"[0 0 %d 842]" % points)


def busy_page_pdf(glyphs: int) -> bytes:
    """A page drawing ``glyphs`` characters (lines of 100)."""
    return one_page_pdf(text_ops(["x" * 100] * (glyphs // 100)), flate=True)
