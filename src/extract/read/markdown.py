"""Markdown: a document written in Markdown → the plain layout the stages read.

A text is Markdown when its lines show Markdown structure: a pipe table
(a ``| a | b |`` row over a ``|---|---|`` separator row), several ATX
headings (``## Vision and motivation``) or, short of these, several lines
that open in bold (``**Vision and motivation**``: a heading as converters
that write no ATX heading mark one). Its ``match_text`` is then rewritten
in place, each character to one character, so that every offset stays valid
in ``Document.text`` and the review page highlights the right characters:

- the marks of a heading (``## ``) and of the first line of a block-quote
  paragraph (``> ``) become line ends: the text after them starts a line of
  its own, not indented; a quote's later lines lose their marks to spaces;
  a block-quote paragraph after a quoted one (the speaker, ``> Mr … - Role``)
  keeps its ``>``, as a plain brochure prints a speaker; a lone ``>`` is blank;
- a pipe-table row becomes cells set in columns: its outer pipes spaces, its
  inner pipes tabs (``| Population | 80,006 |`` → `` Population \\t 80,006``);
  a separator row, a rule (``---``), a setext underline and a code fence are
  blank lines;
- emphasis marks (``**x**``, ``__x__``, ``*x*``, ``_x_``; never a lone
  ``*``, an award mark), code ticks, the brackets and target
  of a link (``[text](url)`` keeps ``text``), images and ``<br>`` tags, and
  the backslash of an escape become spaces.

The Markdown syntax is the mechanism of this module (as column gaps are
``layout``'s); the vocabulary the stages read stays in ``rules/``."""
from __future__ import annotations

from dataclasses import dataclass, replace

import regex

from extract.read.layout import soft_breaks
from extract.types import Document

_TABLE_ROW = regex.compile(r"^[ ]{0,3}\|.*\|[ \t]*$|^[^|\n]*[^\\|\n]\|[^\n]*$")
_SEPARATOR = regex.compile(r"^[ ]{0,3}\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$")
_HEADING = regex.compile(r"^(?P<mark>[ ]{0,3}#{1,6}[ \t]+)(?P<body>.*?)(?P<close>[ \t]+#+)?[ \t]*$")
_QUOTE = regex.compile(r"^(?P<mark>(?:[ ]{0,3}>[ ]?)+)(?P<body>.*)$")
_RULE = regex.compile(r"^[ ]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")
_FENCE = regex.compile(r"^[ ]{0,3}(?:`{3,}|~{3,})[^\n]*$")
_CELL_PIPE = regex.compile(r"(?<!\\)\|")
_NOT_LINE_END = regex.compile(r"[^\n]")
# inline marks: (pattern, groups blanked); the text between the marks stays
_INLINE = (
    regex.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"),                          # an image: all of it
    regex.compile(r"(?P<a>\[)[^\]\n]+(?P<b>\]\([^)\s]*\))"),              # a link: brackets and target
    regex.compile(r"(?P<a><)(?:https?://[^\s<>]+|mailto:[^\s<>]+|[^\s<>@]+@[^\s<>]+)(?P<b>>)"),  # an autolink
    regex.compile(r"(?P<a>\*\*|__)(?=\S)[^\n]*?(?<=\S)(?P<b>\1)"),        # strong emphasis
    regex.compile(r"(?<![\w*\\])(?P<a>[*_])(?=[^\s*_])[^*_\n]*?(?<=[^\s*_\\])(?P<b>\1)(?![\w*])"),  # emphasis
    regex.compile(r"(?P<a>`+)[^`\n]+(?P<b>\1)"),                          # code
    regex.compile(r"<br[ \t]*/?>", regex.I),                              # a line break tag
    regex.compile(r"(?P<a>\\)(?=[\\`*_{}\[\]()#+\-.!|>])"),               # an escape
)
# A line that opens with strong emphasis holding a letter (``**Vision and
# motivation**``, ``__Contact details:__ Mr …``): how converters that print
# no ATX heading mark a heading.
_STRONG_LINE = regex.compile(r"^[ ]{0,3}(?P<m>\*\*|__)(?=[^\s*_])[^\n]*?\p{L}[^\n]*?(?<=[^\s*_\\])(?P=m)")
_MIN_HEADINGS = 3  # ATX headings, or else lines opening with strong emphasis, that make a text Markdown


@dataclass(frozen=True)
class MarkdownSigns:
    """What made a text read as Markdown."""

    tables: int
    headings: int
    quotes: int
    strong: int = 0  # lines opening with strong emphasis, counted when they alone make it Markdown

    def __str__(self) -> str:
        shown = f"{self.tables} pipe table(s), {self.headings} heading(s), {self.quotes} block quote(s)"
        return shown + (f", {self.strong} line(s) opening in bold" if self.strong else "")


def markdown_signs(text: str) -> MarkdownSigns | None:
    """The Markdown structure of ``text``, or None when it is not Markdown
    (no pipe table, fewer than three ATX headings and fewer than three
    lines opening with strong emphasis)."""
    if "|" not in text and "#" not in text and "**" not in text and "__" not in text:  # no mark of any sign
        return None
    lines = text.split("\n")
    tables = sum(1 for a, b in zip(lines, lines[1:]) if _SEPARATOR.match(b) and _TABLE_ROW.match(a))
    headings = sum(1 for ln in lines if _HEADING.match(ln) and not ln.lstrip().startswith("#!"))
    strong = 0
    if not tables and headings < _MIN_HEADINGS:
        strong = sum(1 for ln in lines if ln.lstrip(" ")[:1] in ("*", "_") and _STRONG_LINE.match(ln))
        if strong < _MIN_HEADINGS:
            return None
    quotes = sum(1 for a, b in zip([""] + lines, lines) if _QUOTE.match(b) and not _QUOTE.match(a))
    return MarkdownSigns(tables, headings, quotes, strong)


def _blank(s: str) -> str:
    """``s`` with every character but a line end made a space."""
    return _NOT_LINE_END.sub(" ", s)


def _inline(line: str) -> str:
    """``line`` with its inline marks blanked."""
    chars = list(line)
    for pattern in _INLINE:
        for m in pattern.finditer(line):
            groups = [g for g in ("a", "b") if g in pattern.groupindex and m.start(g) >= 0]
            for s, e in ([m.span(g) for g in groups] if groups else [m.span()]):
                chars[s:e] = " " * (e - s)
        line = "".join(chars)
    return line


def _table_row(line: str) -> str:
    """A pipe-table row as cells in columns: outer pipes to spaces, inner
    pipes to tabs (an escaped pipe ``\\|`` is text)."""
    pipes = [m.start() for m in _CELL_PIPE.finditer(line)]
    body = line.strip()
    chars = list(_inline(line))
    for k, p in enumerate(pipes):
        outer = (k == 0 and body.startswith("|")) or (k == len(pipes) - 1 and body.endswith("|"))
        chars[p] = " " if outer else "\t"
    return "".join(chars)


def to_plain(text: str) -> str:
    """``text`` (Markdown) in the plain layout, the same length."""
    lines = text.split("\n")
    out: list[str] = []
    in_table = in_fence = False
    quoted = False  # in a block quote, after a paragraph that opened with a quote mark
    prev_quote = ""  # the body of the block-quote line above ("" at a quote's paragraph start)
    for i, ln in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _FENCE.match(ln):
            in_fence = not in_fence
            out.append(_blank(ln))
            continue
        if in_fence:
            out.append(ln)
            continue
        q = _QUOTE.match(ln)
        if q is None:
            quoted, prev_quote = False, ""
        if _SEPARATOR.match(ln) and (in_table or _TABLE_ROW.match(lines[i - 1] if i else "")):
            in_table = True
            out.append(_blank(ln))
            continue
        if (in_table or _SEPARATOR.match(nxt)) and _TABLE_ROW.match(ln):
            out.append(_table_row(ln))
            continue
        in_table = False
        h = _HEADING.match(ln)
        if h:
            out.append("\n" * len(h.group("mark")) + _inline(h.group("body")) + _blank(ln[h.end("body"):]))
            continue
        if q:
            mark, body = q.group("mark"), q.group("body")
            if not body.strip():  # a lone `>`: a paragraph break inside the quote
                out.append(_blank(ln))
                prev_quote = ""
                continue
            opens_quote = body.lstrip()[:1] in "'\"\u2018\u201c"
            if prev_quote:  # the paragraph goes on
                out.append(" " * len(mark) + _inline(body))
            elif quoted and not opens_quote:  # the speaker after a quote: `> Mr … - Role`
                out.append(">" + " " * (len(mark) - 1) + _inline(body))
            else:
                out.append("\n" * len(mark) + _inline(body))
            quoted = quoted or opens_quote
            prev_quote = body
            continue
        if _RULE.match(ln) and (not ln.strip().startswith("=") or (i and lines[i - 1].strip())):
            out.append(_blank(ln))
            continue
        out.append(_inline(ln))
    plain = "\n".join(out)
    assert len(plain) == len(text)
    return plain


def carry(text: str, before: str, after: str) -> str:
    """``text`` with the characters that differ between ``before`` and
    ``after`` (same length) taken from ``after``."""
    return "".join(a if b != a else t for t, b, a in zip(text, before, after))


def read_markdown(doc: Document) -> tuple[Document, MarkdownSigns | None]:
    """``doc`` with its ``match_text`` in the plain layout when it is
    Markdown (and its soft breaks read from its own text so rewritten), and
    the signs it was recognized by; ``doc`` unchanged and None otherwise."""
    signs = markdown_signs(doc.match_text)
    if signs is None:
        return doc, None
    plain = to_plain(doc.match_text)
    soft = doc.soft if doc.soft is not None else soft_breaks(carry(doc.text, doc.match_text, plain))
    return replace(doc, match_text=plain, soft=soft), signs
