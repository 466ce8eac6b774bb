"""Plain typed data passed between the stages.

Every record that reaches a table carries ``document_id``, ``char_start`` and
``char_end`` (positions in ``Document.text``) and the id of the ``rule`` that
produced it, so that ``document.text[char_start:char_end]`` is its source.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A half-open range ``[start, end)`` of the document text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Line:
    """One line of the document: ``text`` is ``document.text[start:end]``
    without its line end."""

    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class ColumnRegion:
    """Lines of a page set in two columns side by side that ``read.columns``
    re-laid, the left column's lines first, then the right column's. The
    region keeps its ``span`` (the same in the file and in ``Document.text``:
    its length does not change) and its characters, in another order;
    ``moves`` says where each piece of a line went: (offset in
    ``Document.text``, offset in the file's text, length)."""

    page: int  # 1-based
    span: Span
    gutter: tuple[int, int]  # the character columns of the white band between the columns
    moves: tuple[tuple[int, int, int], ...]


@dataclass(frozen=True)
class Document:
    """A decoded input file. ``text`` keeps the characters of the file (BOM
    dropped, line ends as printed; the lines of two columns set side by side
    in reading order, see ``columns``); ``match_text`` has the same length
    with typographic quotes, no-break spaces and line ends folded for
    matching."""

    document_id: str
    path: str
    text: str
    match_text: str
    encoding: str
    source_format: str = "brochure"
    # Offsets of the ``\n`` that are wraps inside a paragraph (see
    # ``wrapping``); None until the layout has been read.
    soft: frozenset[int] | None = None
    # Offset in ``text`` where each page starts (page 1 at 0), and the
    # number printed on each page (PDF), if any.
    page_starts: tuple[int, ...] = (0,)
    page_labels: tuple[str, ...] = ()
    # Lines over the line limit, blanked in ``match_text`` (see ``limits``).
    masked: tuple[Span, ...] = ()
    # Size and SHA-256 of the file as read (for ``run.json``).
    size: int = 0
    sha256: str | None = None
    # What decoding had to repair (mojibake undone; see ``read.repair``), or "".
    repaired: str = ""
    # Regions of two columns side by side read column by column (see
    # ``read.columns``): ``text`` holds them in that reading order.
    columns: tuple[ColumnRegion, ...] = ()
    # Bytes not valid in the encoding read, each replaced by U+FFFD in ``text``.
    replaced: int = 0


@dataclass(frozen=True)
class Finding:
    document_id: str
    city_id: str
    table: str
    field: str
    severity: str
    code: str
    message: str
    value: str = ""
    char_start: int | None = None
    char_end: int | None = None


@dataclass(frozen=True)
class NameRepair:
    """A city name printed with characters a lossy conversion lost (``?``,
    U+FFFD) and what it fits: ``repaired`` is the name used instead, empty
    when no single name fits; ``candidates`` the names that fit (several: none
    is used); ``source`` where they come from (``member list``,
    ``gazetteer``, or empty for none); ``country`` the ISO alpha-3 code of
    the country they were looked for in (empty: any); ``span`` where the name
    is printed."""

    printed: str
    repaired: str
    candidates: tuple[str, ...]
    source: str
    country: str
    span: Span


@dataclass(frozen=True)
class Member:
    """An entry of the brochure's list of participating cities (or the city a
    portrait's text or a profile's title names). ``repair`` is set when the
    name was printed damaged (``city`` is then the repaired name, where one
    fits); it is provenance, not identity, and takes no part in comparisons."""

    city: str
    country: str
    country_code: str
    award_year: int | None
    span: Span
    rule: str
    repair: NameRepair | None = field(default=None, compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        """The name as used and, where it was repaired, as printed: the text prints the latter."""
        printed = self.repair.printed if self.repair and self.repair.repaired else ""
        return (self.city, printed) if printed else (self.city,)


@dataclass(frozen=True)
class Portrait:
    """One city's part of a document, before its city is known.

    ``lines`` are the portrait's lines; ``header`` the lines before its
    indicator table that name it (tagline, city, country, joining date);
    ``table_start`` is the index in ``lines`` of the first indicator row, or
    ``None`` when the portrait has no table."""

    document_id: str
    index: int
    span: Span
    lines: tuple[Line, ...]
    header: tuple[Line, ...]
    table_start: int | None
    tail: tuple[Line, ...] = ()


@dataclass(frozen=True)
class CityMatch:
    """The city a portrait is about, and the evidence for it."""

    member: Member
    city_id: str
    score: float
    evidence: str
    mentions: tuple[tuple[str, int], ...] = ()
    # Index of the earlier portrait this one repeats (same text, or a header
    # naming the same city), if it is a repeat.
    repeats: int | None = None
    weak: bool = False  # tied by weak evidence only (a warning)


@dataclass(frozen=True)
class Indicator:
    indicator: str
    scope: str
    group: str
    value: float | None
    value_min: float | None
    value_max: float | None
    year: int | None
    raw: str
    year_raw: str
    label_raw: str
    char_start: int
    char_end: int
    rule: str
    label_char_start: int | None = None
    label_char_end: int | None = None


@dataclass(frozen=True)
class Section:
    section: str
    text: str
    char_start: int
    char_end: int
    rule: str
    heading_char_start: int | None = None  # the heading as printed; None for the intro
    heading_char_end: int | None = None


@dataclass(frozen=True)
class Item:
    section: str
    position: int
    marker: str
    marker_raw: str
    level: int
    text: str
    char_start: int
    char_end: int
    rule: str


@dataclass(frozen=True)
class Person:
    honorific: str
    name: str
    role: str


@dataclass(frozen=True)
class Contact:
    position: int
    honorific: str
    name: str
    role: str
    email: str
    email_raw: str
    email_status: str
    char_start: int
    char_end: int
    rule: str


@dataclass(frozen=True)
class Quote:
    position: int
    text: str
    speaker_honorific: str
    speaker: str
    speaker_role: str
    char_start: int
    char_end: int
    spans: tuple[Span, ...]
    rule: str
    speaker_char_start: int | None = None
    speaker_char_end: int | None = None


@dataclass(frozen=True)
class Extracted:
    """What one stage extracted from one portrait, plus the text it claimed
    and the findings it raised."""

    records: tuple = ()
    claimed: tuple[Span, ...] = ()
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class PortraitResult:
    """Everything extracted from one portrait."""

    portrait: Portrait
    match: CityMatch
    tagline: str
    tagline_span: Span | None
    joined_gnlc: str
    indicators: tuple[Indicator, ...]
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    contacts: tuple[Contact, ...]
    quotes: tuple[Quote, ...]
    findings: tuple[Finding, ...] = field(default=())


@dataclass(frozen=True)
class Segmentation:
    """A document split into portraits. ``outside`` are the spans of text
    outside any portrait (front matter, back cover); ``tails`` the lines
    between a portrait's contact block and the next portrait."""

    document: Document
    members: tuple[Member, ...]
    member_lines: tuple[Span, ...]
    portraits: tuple[Portrait, ...]
    outside: tuple[Span, ...]
    published_year: int | None
    # Lines inside the member list that are no entry (reported, skipped).
    member_unreadable: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Sdg:
    """A Sustainable Development Goal a challenge page names: its number and
    official short name, as printed in ``raw`` (``text[char_start:char_end]``)."""

    number: int
    name: str
    raw: str
    char_start: int
    char_end: int
    rule: str


@dataclass(frozen=True)
class ChallengePage:
    """What one challenge page says. Text values are read from
    ``Document.match_text`` with white space squashed (paragraphs joined by a
    new line); each ``*_span`` is the trimmed source of its value in
    ``Document.text``, ``None`` when the value is missing (``""``).
    ``deadline`` is an ISO date ``YYYY-MM-DD`` read from ``deadline_raw``
    (the date as printed) by the date rule ``deadline_rule``; ``evidence``
    says how the city was found."""

    document_id: str
    city_id: str
    title: str
    title_span: Span | None
    city: str
    city_span: Span | None
    country: str
    country_code: str
    country_span: Span | None
    description: str
    description_span: Span | None
    challenge: str
    challenge_span: Span | None
    expected_impact: str
    expected_impact_span: Span | None
    deadline: str
    deadline_raw: str
    deadline_span: Span | None
    deadline_rule: str
    sdgs: tuple[Sdg, ...]
    sdgs_span: Span | None
    target_groups: tuple[Item, ...]
    target_groups_span: Span | None
    evidence: str
    findings: tuple[Finding, ...] = field(default=())


def wide_column(indicator: str, scope: str, group: str = "all") -> str:
    """The ``cities`` column an indicator fills, the contract's naming shared by
    the extractor, the tables and the review (``gdp_per_capita_usd`` +
    ``country`` → ``gdp_per_capita_country_usd``)."""
    if indicator == "gdp_per_capita_usd":
        return f"gdp_per_capita_{scope}_usd"
    if scope == "country":
        return f"{indicator}_country"
    return indicator if group == "all" else f"{indicator}_{group}"

