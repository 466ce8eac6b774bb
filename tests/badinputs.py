"""A corpus of bad inputs, generated from the real documents.

``build(folder, brochure_text, portrait_spans)`` writes one file per case
into ``folder`` and returns the cases: the file, the phrase its stderr line
must carry (None: the file must give no stderr line), and the finding code
it must raise."""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import regex

from extract.bench.textpdf import text_to_pdf

_TABLE_ROW = regex.compile(r"\t.*[0-9]")
FILES = ("empty.txt", "blank.txt", "junk.bin", "junk.txt", "utf16-bom.txt", "utf16-no-bom.txt", "windows-1252.txt",
         "no-table.txt", "two-tables.txt", "cut-mid-table.txt", "duplicated.txt", "long-line.txt", "big.txt",
         "unknown.txt", "odd\nname.txt", "good.pdf", "truncated.pdf", "corrupt.pdf", "not-a-pdf.pdf",
         "encrypted.pdf", "scan.pdf")


@dataclass(frozen=True)
class Case:
    file: str
    says: str | None        # phrase of the file's one stderr line; None for no line
    code: str | None        # finding code the file raises; None for none
    cities: int = 0         # portraits still extracted from it


def _table_rows(lines: list[str]) -> list[int]:
    return [i for i, ln in enumerate(lines) if _TABLE_ROW.search(ln)]


def _pdf_without_text(path: Path) -> None:
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))


def _encrypted_pdf(path: Path) -> None:
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Vision and motivation")
    pdf.set_encryption(owner_password="owner", user_password="reader")
    pdf.output(str(path))


def build(folder: Path, text: str, spans: list[tuple[int, int]]) -> list[Case]:
    """Write the corpus into ``folder``; ``spans`` are the brochure's portraits."""
    rng = random.Random(20161115)
    front = text[:spans[0][0]]
    portraits = [text[a:b] for a, b in spans]
    lines = portraits[3].split("\n")
    rows = _table_rows(lines)
    cases: list[Case] = []

    def write(name: str, data: bytes | str, case: Case) -> None:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        cases.append(case)

    write("empty.txt", b"", Case("empty.txt", "is empty", "document_unreadable"))
    write("blank.txt", " \n\t\n\n", Case("blank.txt", "is empty", "document_unreadable"))
    write("junk.bin", rng.randbytes(20_000), Case("junk.bin", "is binary, not text", "document_unreadable"))
    write("junk.txt", bytes(rng.choice(b"\x01\x02\x03\x07\x1b\x7fAB") for _ in range(5000)),
          Case("junk.txt", "is binary, not text", "document_unreadable"))
    write("utf16-bom.txt", text.encode("utf-16"), Case("utf16-bom.txt", None, None, 37))
    write("utf16-no-bom.txt", text.encode("utf-16-le"),
          Case("utf16-no-bom.txt", "read as UTF-16 (little-endian)", "encoding_guessed", 37))
    write("windows-1252.txt", text.encode("cp1252", errors="replace"),
          Case("windows-1252.txt", "read as Windows-1252", "encoding_guessed", 37))
    no_table = "\n".join(ln for i, ln in enumerate(lines) if i not in rows)
    write("no-table.txt", front + no_table, Case("no-table.txt", "no indicator table", "indicator_table_missing", 1))
    second = [regex.sub(r"[0-9](?=[0-9,.]*[ \t]*\()", "7", lines[i], count=1) for i in rows]
    two = lines[:rows[-1] + 1] + [""] + second + lines[rows[-1] + 1:]
    write("two-tables.txt", front + "\n".join(two),
          Case("two-tables.txt", "twice, as", "indicator_conflicting", 1))
    write("cut-mid-table.txt", front + "\n".join(lines[:rows[1] + 1]),
          Case("cut-mid-table.txt", "ends inside this portrait's indicator table", "portrait_truncated", 1))
    write("duplicated.txt", front + portraits[3] + "\n\n" + portraits[3] + "\n\n" + portraits[4],
          Case("duplicated.txt", "repeats portrait 1", "portrait_duplicated", 2))
    long_line = " ".join(rng.choice(["learning", "city", "the", "of", "2016", "\t"]) for _ in range(200_000))
    write("long-line.txt", front + portraits[3] + "\n\n" + long_line + "\n\n" + portraits[4],
          Case("long-line.txt", "characters (over the limit of", "line_too_long", 2))
    with open(folder / "big.txt", "w", encoding="utf-8") as fh:
        for _ in range(50_000_000 // len(text) + 1):
            fh.write(text)
    cases.append(Case("big.txt", "MB, over the limit of", "document_unreadable"))
    write("unknown.txt", "Minutes of the meeting\n\nThe committee met on Tuesday and agreed the budget.\n",
          Case("unknown.txt", "unknown format (looked for", "format_unknown"))
    write("odd\nname.txt", b"", Case("odd\nname.txt", "is empty", "document_unreadable"))

    text_to_pdf(front + portraits[3], folder / "good.pdf")
    good = (folder / "good.pdf").read_bytes()
    cases.append(Case("good.pdf", None, None, 1))
    write("truncated.pdf", good[:len(good) // 2], Case("truncated.pdf", "is not a readable PDF", "document_unreadable"))
    corrupt = bytearray(good)
    for k in range(len(corrupt) // 3, 2 * len(corrupt) // 3):
        corrupt[k] = rng.randrange(256)
    write("corrupt.pdf", bytes(corrupt), Case("corrupt.pdf", "fonts without a Unicode map", "document_unreadable"))
    write("not-a-pdf.pdf", b"%PDF-1.7\n" + rng.randbytes(3000), Case("not-a-pdf.pdf", "is not a readable PDF",
                                                                   "document_unreadable"))
    _encrypted_pdf(folder / "encrypted.pdf")
    cases.append(Case("encrypted.pdf", "is an encrypted PDF", "document_unreadable"))
    _pdf_without_text(folder / "scan.pdf")
    cases.append(Case("scan.pdf", "has no text layer", "document_unreadable"))
    return cases
