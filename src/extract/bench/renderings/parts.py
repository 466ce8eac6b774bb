"""The 2016 brochure cut into its parts (front matter, member list, portraits,
back matter) and into blocks (headings, paragraphs, tables, quotes), for the
renderings to set."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

VERSION = "3"
ROOT = Path(__file__).resolve().parents[4]
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


