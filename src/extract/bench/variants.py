"""Other renderings of a document's text, made by code from the original.

The tests run the pipeline on these to check that nothing depends on today's
line breaks, line ends, tabs or quote marks; the benchmark builds its corpus
from them. Each function turns a text into a text."""
from __future__ import annotations

import textwrap

import regex

_DOUBLE = regex.compile(r'"([^"\n]*)"')
_SINGLE = regex.compile(r"(?<![\p{L}\p{N}])'([^'\n]*?)'(?![\p{L}\p{N}])")


def wrap(text: str, width: int = 70) -> str:
    """Every line longer than ``width`` hard-wrapped at a word boundary, the
    way a PDF column or a plain-text e-mail breaks it; blank lines kept."""
    out = []
    for line in text.split("\n"):
        if len(line.expandtabs()) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out += textwrap.wrap(line, width=width, initial_indent=indent, break_long_words=False,
                             break_on_hyphens=False, expand_tabs=False, replace_whitespace=False,
                             drop_whitespace=True) or [line]
    return "\n".join(out)


def unparagraph(text: str) -> str:
    """Blank lines removed, as in text taken from a PDF."""
    return "\n".join(line for line in text.split("\n") if line.strip())


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def detab(text: str, tabsize: int = 8) -> str:
    """Tabs replaced by the spaces that reach the next tab stop (at least one)."""
    return "\n".join(line.expandtabs(tabsize) for line in text.split("\n"))


def typographic(text: str) -> str:
    """ASCII quotes and apostrophes → typographic ones (“ ” ‘ ’)."""
    text = _DOUBLE.sub("\u201c\\1\u201d", text)
    text = _SINGLE.sub("\u2018\\1\u2019", text)
    return text.replace("'", "\u2019")


def nbsp(text: str) -> str:
    """Spaces after short words and before numbers → no-break spaces."""
    return regex.sub(r"(?<=\b\p{L}{1,2}) (?=\S)| (?=[0-9])", "\u00a0", text)


VARIANTS = {
    "wrapped": wrap,
    "crlf": crlf,
    "spaces": detab,
    "typographic": typographic,
    "nbsp": nbsp,
    "wrapped-crlf-spaces-typographic": lambda t: crlf(typographic(detab(wrap(nbsp(t))))),
    "wrapped-unparagraphed": lambda t: unparagraph(wrap(t)),
}
