"""The list of participating cities: lines of a ``Document`` → its ``Member``s.

The list opens with its heading (``Participating cities``) and, when the
award legend (``* UNESCO Learning City Awardee 2015``) follows it, closes
with the legend; a city marked ``*`` was awarded in the legend's year. Each
entry pairs a country (a name ``country_code`` resolves) with a city, in
any of the forms renderings give it:

- ``Country<TAB>City`` or ``Country City`` on one line (the country the
  longest leading words that name one), or the two with a separator
  between them, either first (``Country – City``, ``Country: City``,
  ``City, Country``, ``city (country)``);
- one cell per line, with or without blank lines between: a country line,
  then its city line;
- a table read column by column: the countries, then their cities in the
  same order (page by page when the table runs over a page break);
- a country cell wrapped over several lines (a long official name whose
  last words open the next line, before the city): a line that begins a
  country name is joined to the lines that finish it.

Blank lines (page furniture is blanked before) are skipped. Before the
legend a line that is no entry is set aside as unreadable and the list goes
on (up to ``unreadable_lines`` such lines in a row); with no legend after
the heading, so is a line with the shape of an entry (``Argentinia<TAB>City``:
a misspelt country costs its own entry, not the entries after it), and any
other line that is no entry ends the list. When
countries still wait for their cities at the legend (a reading order that
put the legend before the last cells), the lines after it give them. A city
printed with letters a lossy conversion lost (``?``, U+FFFD) is repaired
where one gazetteer name of its country fits (``lossy.repair_member``)."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import pycountry
import regex

from extract.portrait.lossy import repair_member
from extract.portrait.places import country_code
from extract.rules import DocumentRules, PlaceRules
from extract.rules.derived import derived, kept
from extract.types import Document, Line, Member, Span

_COLUMN_GAP = regex.compile(r"\t+|\s{2,}")
_WORDS = regex.compile(r"\p{L}[\p{L}\p{M} .,'()-]*")
# Between a country and its city on one line: a dash, colon, comma, bar or
# slash, or the opening bracket of a country in brackets at the line's end.
_SEPARATOR = regex.compile(r"\s*[\u2013\u2014:,|/]\s*|\s+-\s+|\s*\((?=(?:[^()]|\([^()]*\))*\)\s*$)")
_HAS_LETTER = regex.compile(r"\p{L}")


@dataclass(frozen=True)
class MemberList:
    """The members in list order; the spans of the list's lines (heading,
    entries, legend), in document order; the lines inside the list that
    are no entry."""

    members: tuple[Member, ...] = ()
    lines: tuple[Span, ...] = ()
    unreadable: tuple[Span, ...] = ()


@dataclass(frozen=True)
class _Cell:
    """The text of one or more joined lines of the list and its span."""

    text: str
    span: Span


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _country_names(places: PlaceRules) -> tuple[str, ...]:
    """Every country name ``country_code`` resolves, as keys."""
    names = set(places.country_aliases)
    for c in pycountry.countries:
        names |= {_key(getattr(c, a)) for a in ("name", "official_name", "common_name") if hasattr(c, a)}
    return tuple(names)


def _country_beginnings(places: PlaceRules) -> frozenset[str]:
    """The leading words of every country name, each with the space after it
    (``united ``, ``united states ``): what a cell that begins a country name
    but does not end it reads as. Built once per rule set."""
    return derived(_beginnings_of, places)


def _beginnings_of(places: PlaceRules) -> frozenset[str]:
    return frozenset(n[:i + 1] for n in _country_names(places) for i, c in enumerate(n) if c == " ")


def _code(name: str, places: PlaceRules) -> str:
    """``country_code(name)``, remembered per rule set (lists name the same countries over and over)."""
    codes = derived(_codes, places)
    got = codes.get(name)
    return kept(codes, name, country_code(name, places)) if got is None else got


def _codes(places: PlaceRules) -> dict[str, str]:
    return {}




def _split_entry(text: str, places: PlaceRules) -> tuple[str, str] | None:
    """``Country<TAB>City``; the two sides of a separator, the one that names
    a known country being the country (``Country – City``, ``Country:
    City``, ``City, Country``, ``city (country)``; of several separators the
    split whose country is longest); or ``Country City`` whose longest
    leading words name a known country → (country, city)."""
    parts = [p.strip() for p in _COLUMN_GAP.split(text.strip()) if p.strip()]
    if len(parts) == 2 and _code(parts[0], places):
        return parts[0], parts[1]
    best = None
    for m in _SEPARATOR.finditer(text):
        left, right = text[:m.start()].strip(), text[m.end():].strip()
        bracketed = m.group().strip() == "("
        if bracketed:  # `city (country)`: the brackets close the line
            right = right[:-1].strip() if right.endswith(")") else ""
        for country, city in [(right, left)] if bracketed else [(left, right), (right, left)]:
            if _HAS_LETTER.search(city) and _code(country, places) and (best is None or len(country) > len(best[0])):
                best = (country, city)
    if best is not None:
        return best
    words = text.split()
    for n in range(len(words) - 1, 0, -1):
        if _code(" ".join(words[:n]), places):
            return " ".join(words[:n]), " ".join(words[n:])
    return None


def _entry_shaped(text: str) -> bool:
    """Whether a line has the shape of a ``Country<TAB>City`` entry (two
    cells, the first of words): an entry whose country is misspelt."""
    parts = [p.strip() for p in _COLUMN_GAP.split(text.strip()) if p.strip()]
    return len(parts) == 2 and bool(_WORDS.fullmatch(parts[0]))


def _trimmed(line: Line) -> Span:
    lead = len(line.text) - len(line.text.lstrip())
    return Span(line.start + lead, line.start + len(line.text.rstrip()))


class _Reader:
    """Reads the lines of one list; see the module docstring."""

    def __init__(self, rules: DocumentRules, places: PlaceRules, award_year: int | None):
        self.rules, self.places, self.award_year = rules, places, award_year
        self.beginnings = _country_beginnings(places)
        self.members: list[Member] = []
        self.lines: list[Span] = []
        self.unreadable: list[Span] = []
        self.countries: deque[_Cell] = deque()  # country cells waiting for their city
        self.previous: _Cell | None = None  # the last cell read

    def _begins_country(self, text: str) -> bool:
        """Whether ``text`` is the start of a country name, not all of it."""
        key = _key(text) + " "
        return bool(key.strip()) and key in self.beginnings

    def wrapped(self, cells: list[_Cell], k: int) -> tuple[_Cell, int]:
        """The cell at ``k`` joined with the next cells that finish the country
        name it begins (see the module docstring), and the index after them."""
        acc, j = cells[k], k + 1
        words = len(acc.text.split())
        while j < len(cells) and self._begins_country(acc.text) and not self.rules.award_mark_re.search(acc.text):
            joined = _Cell(f"{acc.text} {cells[j].text}", Span(acc.span.start, cells[j].span.end))
            if self._begins_country(joined.text):
                acc, j = joined, j + 1
                continue
            body = self._body(joined.text)[0]
            entry = body if _code(body, self.places) else (_split_entry(body, self.places) or ("",))[0]
            if len(entry.split()) > words:
                return joined, j + 1
            break
        return cells[k], k + 1

    def _body(self, text: str) -> tuple[str, bool]:
        mark = self.rules.award_mark_re.search(text)
        return (text[: mark.start()], True) if mark else (text, False)

    def _add(self, country: str, city: str, marked: bool, span: Span) -> None:
        self.members.append(Member(city=city.strip(), country=" ".join(country.split()),
                                   country_code=_code(country, self.places),
                                   award_year=self.award_year if marked else None, span=span,
                                   rule=self.rules.member_heading_id))

    def read(self, cell: _Cell, city_only: bool = False) -> bool:
        """Read one cell (a line, or lines joined; only the city of a waiting
        country if ``city_only``): False if it is no entry."""
        body, marked = self._body(cell.text)
        single = len([p for p in _COLUMN_GAP.split(body.strip()) if p.strip()]) == 1
        if city_only and not (single and self.countries and (marked or not _code(body, self.places))):
            return False
        if single and not marked and _code(body, self.places):
            self.countries.append(cell)
        elif single and body.strip() and self.countries:
            country = self.countries.popleft()
            near = self.previous is country  # one cell per line: the pair's span covers both
            self._add(country.text, body, marked, Span(country.span.start, cell.span.end) if near else cell.span)
            self.lines.append(country.span)
        else:
            entry = _split_entry(body, self.places)
            if entry is None:
                return False
            self._add(entry[0], entry[1], marked, cell.span)
        self.lines.append(cell.span)
        self.previous = cell
        return True


def read_members(doc: Document, lines: tuple[Line, ...], rules: DocumentRules, places: PlaceRules) -> MemberList:
    """The member list of ``doc`` (``lines`` are its lines): the first that
    one of the list's headings opens and that holds an entry; or an empty one."""
    for start in (i for i, ln in enumerate(lines) if rules.member_heading.fullmatch(ln.text)):
        found = _list_from(doc, lines, start, rules, places)
        if found.members:
            return found
    return MemberList()


def _list_from(doc: Document, lines: tuple[Line, ...], start: int, rules: DocumentRules,
               places: PlaceRules) -> MemberList:
    """The member list whose heading is ``lines[start]``."""
    legend = rules.award_legend_re.search(doc.match_text)
    closing = rules.award_legend_re.search(doc.match_text, lines[start].end)
    reader = _Reader(rules, places, int(legend.group("year")) if legend else None)
    cells, close, after = [], None, len(lines)
    for i in range(start + 1, len(lines)):
        ln = lines[i]
        if ln.blank:
            continue
        if closing and ln.start >= closing.start():  # the legend's line (its match may start on blank lines)
            close, after = _trimmed(ln), i + 1
            break
        cells.append(_Cell(ln.text.strip(), _trimmed(ln)))
    allowed = rules.unreadable_lines if close is not None else 0
    k, skipped = 0, []
    while k < len(cells):
        cell, k = reader.wrapped(cells, k)
        if reader.read(cell):
            reader.unreadable += skipped
            skipped = []
            continue
        skipped.append(cell.span)
        shaped = close is None and len(skipped) <= rules.unreadable_lines and _entry_shaped(cell.text)
        if len(skipped) > allowed and not shaped:  # the list ended before
            close = None
            break
    if close is not None:
        reader.lines.append(close)
        # The legend read out of order, before the last cities: they follow it.
        for ln in (ln for ln in lines[after:] if not ln.blank):
            if not reader.countries or not reader.read(_Cell(ln.text.strip(), _trimmed(ln)), city_only=True):
                break
        reader.unreadable += skipped + [c.span for c in reader.countries]
    members = tuple(repair_member(m, text=doc.match_text) for m in reader.members)
    return MemberList(members, tuple(sorted({_trimmed(lines[start]), *reader.lines},
                                                          key=lambda s: s.start)),
                      tuple(sorted(reader.unreadable, key=lambda s: s.start)))
