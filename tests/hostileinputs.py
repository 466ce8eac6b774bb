"""The hostile inputs of issue 16, made by code.

Text: the brochure cut to its first portraits (``brochure_head``), damaged
in the ways decoding must survive (``damaged``), its member list with a
misspelt country (``misspelt_first_entry``). PDFs that ask for too much,
written byte by byte (no PDF library would write them): a stream that
inflates far, a page box of a billion points, a page of many glyphs
(``raw_pdf`` joins objects into a file with a correct cross-reference
table). ``build(folder, brochure_text)`` writes one file of each case into a
folder for a batch and returns what each must give."""
from __future__ import annotations

import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

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


def brochure_head(text: str, portraits: int) -> str:
    """The brochure's member list and its first ``portraits`` portraits, up
    to the end of the last one's contact block (its email's line)."""
    at = -1
    for _ in range(portraits):
        at = text.index("Contact details", at + 1)
    return text[:text.index("\n", text.index("@", at))] + "\n"


DAMAGE = {"utf-8 BOM, an invalid byte": 1, "utf-16 BOM, a lone surrogate": 1, "a NUL in the first 64 KB": 0,
          "a stray 0x96 in UTF-8": 1, "NEL line ends": 0, "U+2028 line ends": 0, "CR line ends": 0}


def damaged(text: str, how: str) -> bytes:
    """The text as bytes damaged (or its lines ended) in one of the ways of
    ``DAMAGE`` (how many bytes each replaces)."""
    raw, cut = text.encode("utf-8"), text.index("Vision and motivation")
    at = len(text[:cut].encode("utf-8"))
    return {
        "utf-8 BOM, an invalid byte": lambda: b"\xef\xbb\xbf" + raw[:at] + b"\xff" + raw[at:],
        "utf-16 BOM, a lone surrogate": lambda: (b"\xff\xfe" + text[:cut].encode("utf-16-le") + b"\x00\xd8"
                                                + text[cut:].encode("utf-16-le")),
        "a NUL in the first 64 KB": lambda: raw[:at] + b"\x00" + raw[at:],
        "a stray 0x96 in UTF-8": lambda: raw[:at] + b"\x96" + raw[at:],
        "NEL line ends": lambda: text.replace("\n", "\x85").encode("utf-8"),
        "U+2028 line ends": lambda: text.replace("\n", "\u2028").encode("utf-8"),
        "CR line ends": lambda: text.replace("\n", "\r").encode("utf-8"),
    }[how]()


def misspelt_first_entry(text: str) -> tuple[str, str]:
    """The text with the first member entry's country misspelt (its last
    letter doubled) and no award legend after the list; the entry as printed."""
    start = text.index("\t", text.index("Participating cities"))
    line_start = text.rindex("\n", 0, start) + 1
    entry = text[line_start:text.index("\n", start)]
    country = entry.split("\t")[0]
    legend = text.index("\n", text.index("Awardee", line_start))
    text = text[:line_start] + country + country[-1] + text[start:text.rindex("\n", 0, legend)] + text[legend:]
    return text, country + country[-1] + "\t" + entry.split("\t", 1)[1]


def cut_in_body(text: str, portraits: int) -> str:
    """The first ``portraits`` portraits, the last cut in its vision section."""
    head = brochure_head(text, portraits)
    return head[:head.index(" ", head.rindex("Vision and motivation") + 60)]


def without_contacts(text: str) -> str:
    """The text less every contact block (its heading to its email's line):
    a brochure whose portraits print no contact details."""
    return re.sub(r"Contact details:.*?@\S*\n", "", text, flags=re.S)


def cut_in(text: str, heading: str) -> str:
    """The text cut in the last section under ``heading``."""
    return text[:text.index(" ", text.rindex(heading) + 80)]


def long_line_page(page: str) -> str:
    """A challenge page with a line of 150,000 characters and one of 90,000 spaces."""
    lines = page.split("\n")
    k = len(lines) // 2
    return "\n".join(lines[:k] + ["x" * 150_000, "x." + " " * 90_000 + "y"] + lines[k:])


@dataclass(frozen=True)
class Case:
    case: int               # the number of the case in issue 16
    file: str               # its document id
    says: str | None        # phrase of its one stderr line; None for no line
    code: str | None        # a finding code it raises; None for none
    cities: int = 0         # portraits still extracted from it


def build(folder: Path, brochure: str, profile: str, challenge: str) -> list[Case]:
    """One file of each hostile case that a batch can hold, written into
    ``folder``, and what each must give. (Cases 3, 8, 11, 12 are about the
    output, the processes and the options, not a file.)"""
    head = brochure_head(brochure, 4)
    cases: list[Case] = []

    def write(name: str | bytes, data: bytes | str, case: Case) -> None:
        path = Path(os.fsdecode(bytes(folder) + b"/" + name)) if isinstance(name, bytes) else folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        cases.append(case)

    os.mkfifo(folder / "pipe.txt")
    cases.append(Case(1, "pipe.txt", "is a FIFO (named pipe), not a regular file", "document_unreadable"))
    (folder / "zero.txt").symlink_to("/dev/zero")
    cases.append(Case(1, "zero.txt", "is a character device, not a regular file", "document_unreadable"))
    write(b"name-\xff\xfe.txt", profile, Case(2, "name-\\xff\\xfe.txt", None, None, 1))
    write("inflates.pdf", inflating_pdf(10**9),
          Case(4, "inflates.pdf", "has streams that inflate to over 200 MB", "document_unreadable"))
    write("wide-page.pdf", wide_page_pdf(10**9),
          Case(4, "wide-page.pdf", "over the limit of 14,400 (--max-page-points)", "document_unreadable"))
    write("busy-page.pdf", busy_page_pdf(150_000),
          Case(4, "busy-page.pdf", "of over 100,000 objects", "document_unreadable"))
    write("misspelt-country.txt", misspelt_first_entry(brochure_head(brochure, 2))[0],
          Case(5, "misspelt-country.txt", None, "member_entry_unparsed", 2))
    write("fullwidth-digits.txt", head.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
          Case(5, "fullwidth-digits.txt", None, "digits_converted", 4))
    write("cut-in-body.txt", cut_in_body(brochure, 3),
          Case(6, "cut-in-body.txt", "ends inside this portrait's body", "portrait_truncated", 3))
    for n, (how, replaced) in enumerate(DAMAGE.items(), 1):
        name = f"decoding-{n}.txt"
        write(name, damaged(head, how), Case(7, name, "replaced by U+FFFD" if replaced else None,
                                             "bytes_replaced" if replaced else None, 4))
    (folder / "broken-link.txt").symlink_to("nowhere")
    cases.append(Case(9, "broken-link.txt", "is a symbolic link to nothing", "document_unreadable"))
    (folder / "loop-a").symlink_to("loop-b")
    (folder / "loop-b").symlink_to("loop-a")
    cases += [Case(9, f"loop-{x}", "is a symbolic link loop", "document_unreadable") for x in "ab"]
    write("long-line-challenge.txt", long_line_page(challenge),
          Case(10, "long-line-challenge.txt", "characters (over the limit of 100,000", "line_too_long"))
    write("<img src=x onerror=alert(1)>.txt", profile + "\n",  # not byte-identical to the other copy
          Case(13, "<img src=x onerror=alert(1)>.txt", None, None, 1))
    return cases
