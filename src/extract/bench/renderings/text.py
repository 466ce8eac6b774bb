"""Text renderings of the brochure: front matter removed, indicator tables
removed, member list moved,
shuffled, mojibake, letters lost to a lossy conversion, Markdown, section
headings set in another typography, indicator tables, the member list and
the contact blocks set in another layout."""
from __future__ import annotations

import random
import re
from pathlib import Path

from extract.bench.renderings.parts import GAP, SECTIONS, SEED, STEM, Block, _is_label, _padded, parse, parts

# ---------------------------------------------------------------- text renderings


def _text(name: str, folder: Path, text: str, suffix: str = "txt") -> Path:
    path = Path(folder) / f"{STEM}-{name}.{suffix}"
    path.write_bytes(text.encode("utf-8"))
    return path


def front_matter_removed(src: str) -> str:
    b = parse(src)
    return GAP.join(b.portraits) + b.back


def _each_portrait(src: str, change) -> str:
    """The brochure with every portrait changed by ``change`` (a portrait's
    text → its new text), the rest as it is."""
    b = parse(src)
    return b.front + GAP.join(map(change, b.portraits)) + b.back


def tables_removed(src: str) -> str:
    """The brochure without its portraits' indicator tables (a brochure that
    prints none): every line of a table taken out."""
    return _each_portrait(src, lambda p: "\n".join(ln for ln in p.split("\n") if "\t" not in ln))


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


def lossy_ascii(src: str) -> str:
    """Every letter outside ASCII replaced by ``?``, as an encoder to ASCII
    with ``errors="replace"`` leaves it (other signs, ``²``, ``–``, kept)."""
    return "".join("?" if not ch.isascii() and ch.isalpha() else ch for ch in src)


def replacement_char(src: str) -> str:
    """Every letter outside ASCII replaced by U+FFFD, as a decoder leaves what it cannot read."""
    return "".join("\ufffd" if not ch.isascii() and ch.isalpha() else ch for ch in src)


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


# ---------------------------------------------------------------- headings in another typography

CONTACT = "Contact details"
HEADING_STYLES = {
    "caps": lambda h, n: h.upper(),
    "title": lambda h, n: " ".join(w[:1].upper() + w[1:] for w in h.split(" ")),
    "amp": lambda h, n: h.replace(" and ", " & "),
    "numbered": lambda h, n: f"{n}. {h}",
    "roman": lambda h, n: f"{'I' * n if n < 4 else 'IV'}) {h.upper()}",
    "bold": lambda h, n: f"**{h}**",
}


def headings_styled(src: str, style: str) -> str:
    """The brochure with every section heading, and the contact block's label,
    set in ``style`` (``HEADING_STYLES``): in capitals, each word
    capitalised, ``&`` for ``and``, numbered in its portrait (``2.``, or
    ``II)`` with capitals), or in Markdown bold as converters that write no
    ``#`` heading mark one (the label ``**Contact details:**``)."""
    make = HEADING_STYLES[style]
    order = sorted(SECTIONS, key=lambda h: src.find("\n" + h)) + [CONTACT]  # as a portrait prints them
    out = []
    for line in src.split("\n"):
        s = line.strip()
        if s in SECTIONS:
            out.append(make(s, order.index(s) + 1))
        elif s.startswith(CONTACT):
            rest = s[len(CONTACT):]
            colon = rest.startswith(":") and style == "bold"  # the label's colon inside the bold
            out.append(make(CONTACT + ":" * colon, len(order)) + rest[colon:])
        else:
            out.append(line)
    return "\n".join(out)


# ---------------------------------------------------------------- indicator tables in another layout

_VALUE = re.compile(r"^(?P<v>n/a|[0-9][0-9,.]*)(?: \((?P<y>[0-9]{4})\))?$")


def _cells(line: str) -> tuple[str, str, str | None] | None:
    """A table line's label (and scope), value and year, or None when it
    holds no value after a label."""
    cells = [c.strip() for c in line.split("\t")]
    for i, cell in enumerate(cells[1:], 1):
        m = _VALUE.match(cell)
        if m:
            rest = [c for c in cells[i + 1:] if c]
            year = rest[0][1:-1] if rest and re.fullmatch(r"\([0-9]{4}\)", rest[0]) else m.group("y")
            return " ".join(c for c in cells[:i] if c), m.group("v"), year
    return None


def _in_brackets(year: str | None) -> str:
    return f" ({year})" if year else ""


TABLE_STYLES = {
    "colon": lambda lab, v, y: f"{lab}: {v}{_in_brackets(y)}",
    "comma-scope": lambda lab, v, y: re.sub(r" \(?(City|Country)\)?$", r", \1", lab) + f": {v}{_in_brackets(y)}",
    "year-in-label": lambda lab, v, y: f"{lab}{_in_brackets(y)}: {v}",
    "year-cell": lambda lab, v, y: f"{lab}\t{v}" + (f"\t{y}" if y else ""),
    "year-comma": lambda lab, v, y: f"{lab}\t{v}" + (f", {y}" if y else ""),
    "year-first": lambda lab, v, y: f"{lab}\t" + (f"({y}) " if y else "") + v,
    "space-thousands": lambda lab, v, y: f"{lab}\t{re.sub(r'(?<=[0-9]),(?=[0-9]{3})', chr(0x202F), v)}{_in_brackets(y)}",
    "dot-leaders": lambda lab, v, y: f"{lab} ........ {v}{_in_brackets(y)}",
}


def table_styled(src: str, style: str) -> str:
    """The brochure with every indicator row of its portraits set in
    ``style`` (``TABLE_STYLES``): one line a row, its label (and scope)
    then ``: `` and its value (``colon``; the scope after a comma:
    ``comma-scope``), its year in the label (``Population (2010): 80,006``),
    in a cell of its own, after a comma or before the value, thousands set
    apart by a narrow no-break space (``80 006``), or dot leaders."""
    make = TABLE_STYLES[style]
    return _each_portrait(src, lambda p: "\n".join(make(*cells) if "\t" in ln and (cells := _cells(ln)) else ln
                                                  for ln in p.split("\n")))


# ---------------------------------------------------------------- the member list in another layout

def _entry(line: str, make) -> str:
    """One ``Country<TAB>City`` entry (an award mark after the city) set by ``make``."""
    country, city = line.split("\t")
    mark = re.search(r"\s*\[?\*\]?$", city)
    mark_text = mark.group() if mark and "*" in mark.group() else ""
    return make(country.strip(), city[:len(city) - len(mark_text)].strip()) + mark_text


MEMBER_STYLES = {
    "dash": lambda country, city: f"{country} – {city}",
    "colon": lambda country, city: f"{country}: {city}",
    "city-first": lambda country, city: f"{city}, {country}",
    "bracketed": lambda country, city: f"{city} ({country})",
    "heading": lambda country, city: f"{country}\t{city}",
}


def members_styled(src: str, style: str) -> str:
    """The brochure with its member list set in ``style`` (``MEMBER_STYLES``):
    ``Country – City``, ``Country: City``, ``City, Country``, ``city
    (country)``, the award mark after the entry; or its heading as
    ``MEMBER CITIES:`` (``heading``)."""
    b = parse(src)
    lines = [_entry(ln, MEMBER_STYLES[style]) if "\t" in ln else ln for ln in b.member_list.split("\n")]
    if style == "heading":
        lines[0] = "MEMBER CITIES:"
    start, end = b.member
    return b.front[:start] + "\n".join(lines) + b.front[end:] + GAP.join(b.portraits) + b.back


# ---------------------------------------------------------------- contact blocks in another layout

_PERSON_DASH = re.compile(r"(?m)^(?P<lead>(?:Contact details:\s*)?(?:Mr|Ms|Mrs|Dr|Prof)\.? [^\n]+?) - ")
CONTACT_STYLES = {
    "comma-role": lambda block: _PERSON_DASH.sub(lambda m: m.group("lead") + ", ", block),
    "label": lambda block: block.replace("Contact details", "Contact", 1),
    "email-address": lambda block: re.sub(r"\bE-?mail:", "Email address:", block),
}


def contacts_styled(src: str, style: str) -> str:
    """The brochure with every portrait's contact block set in ``style``
    (``CONTACT_STYLES``): ``Mr Name, Role`` for ``Mr Name - Role``, the
    heading ``Contact:``, or the label ``Email address:``."""
    make = CONTACT_STYLES[style]

    def change(portrait: str) -> str:
        at = portrait.rfind(CONTACT)
        return portrait[:at] + make(portrait[at:]) if at >= 0 else portrait
    return _each_portrait(src, change)


# ---------------------------------------------------------------- quotes in other quote marks

_QUOTE_LINE = re.compile(r"(?m)^'(?P<q>.*)'(?P<end>\.?)$")
QUOTE_STYLES = {"guillemets": ("\u00ab", "\u00bb"), "double": ('"', '"'), "curly": ("\u201c", "\u201d")}


def quotes_styled(src: str, style: str) -> str:
    """The brochure with its pull quotes (a line in single quotes) in other
    marks (``QUOTE_STYLES``): «…», "…" or “…”."""
    left, right = QUOTE_STYLES[style]
    return _QUOTE_LINE.sub(lambda m: f"{left}{m.group('q')}{right}{m.group('end')}", src)


# ---------------------------------------------------------------- every part in another layout at once

RESTYLED = {  # (table, member list, contact blocks, headings)
    "a": ("colon", "dash", "comma-role", "caps"),
    "b": ("year-cell", "city-first", "email-address", "numbered"),
    "c": ("space-thousands", "bracketed", "label", "bold"),
    "d": ("year-in-label", "colon", "comma-role", "title"),
}


def restyled(src: str, name: str) -> str:
    """The brochure with its indicator tables, member list, contact blocks
    and headings each set in another layout at once (``RESTYLED``): a
    brochure no part of which looks like the source. Every styling keeps
    the lines where they are, so the lines each changes are taken from it."""
    table, member, contact, heading = RESTYLED[name]
    lines = headings_styled(contacts_styled(src, contact), heading).split("\n")
    for other in (table_styled(src, table), members_styled(src, member)):
        for k, (a, b) in enumerate(zip(src.split("\n"), other.split("\n"))):
            if a != b:
                lines[k] = b
    return "\n".join(lines)
