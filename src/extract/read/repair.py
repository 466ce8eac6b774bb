"""Encoding accidents → repaired text: mojibake (UTF-8 once decoded as
Windows-1252 or Latin-1, ``Villa MarÃ­a``, ``kmÂ²``; or twice) undone with
ftfy, a library built for exactly this, which leaves good text alone.

In: decoded text. Out: the repaired text (the ``Document.text`` every offset
then points into) and a ``Repair`` saying what was undone, with examples,
for an ``encoding_repaired`` finding; ``None`` when nothing was wrong."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from extract.read.textutil import non_ascii

# A UTF-8 lead byte read as Windows-1252/Latin-1 (Ã Â Å Ä Ð Ñ â Ø Ù Ú …),
# and a continuation byte so read.
_LEADS = frozenset(map(chr, range(0xC2, 0xF5)))
_CONTINUATIONS = frozenset([*map(chr, range(0x80, 0xC0)), "\u0152", "\u0153", "\u0160", "\u0161", "\u0178",
                            "\u017d", "\u017e", "\u0192", "\u02c6", "\u02dc", "\u2013", "\u2014",
                            *map(chr, range(0x2018, 0x201F)), "\u2020", "\u2021", "\u2022", "\u2026", "\u2030",
                            "\u2039", "\u203a", "\u20ac", "\u2122"])


def _class(chars: frozenset[str]) -> str:
    return "[" + "".join(f"\\u{ord(c):04x}" for c in sorted(chars)) + "]"


# A word that holds a typical mojibake sequence: a lead followed by a continuation.
_MOJIBAKE_WORD = regex.compile(rf"\S*{_class(_LEADS)}{_class(_CONTINUATIONS)}\S*")


@dataclass(frozen=True)
class Repair:
    steps: str                     # how the text was undone (ftfy's explanation)
    words: int                     # words that changed
    examples: tuple[tuple[str, str], ...]  # (as read, repaired), the first few


def _has_mojibake(text: str, outside: frozenset[str]) -> bool:
    """Whether a lead is followed by a continuation anywhere in ``text``
    (where ``_MOJIBAKE_WORD`` matches): each lead that ``outside``, the
    characters of ``text`` outside ASCII, holds is looked at where it stands."""
    for lead in outside & _LEADS:
        at = text.find(lead)
        while at >= 0:
            if text[at + 1:at + 2] in _CONTINUATIONS:
                return True
            at = text.find(lead, at + 1)
    return False


def repair_text(text: str, outside: frozenset[str] | None = None) -> tuple[str, Repair | None]:
    """``text`` with mojibake undone, and what was repaired (None: nothing).
    ``outside``: the characters of ``text`` outside ASCII (``non_ascii``),
    when the caller has them."""
    if not _has_mojibake(text, non_ascii(text) if outside is None else outside):
        return text, None
    import ftfy

    # NEL (U+0085) as the line end is no C1 control left by a wrong decoding:
    # ftfy is shown line ends instead, and what it leaves alone stays as printed.
    probe = text.replace("\x85", "\n") if text.count("\x85") > text.count("\n") else text
    fixed, explanation = ftfy.fix_encoding_and_explain(probe)
    if fixed == probe:
        return text, None
    bad = _MOJIBAKE_WORD.findall(probe)
    examples = []
    for word in dict.fromkeys(bad):
        good = ftfy.fix_encoding(word)
        if good != word:
            examples.append((word, good))
        if len(examples) == 3:
            break
    steps = ", ".join(f"{step} {name}" for step, name in (explanation or ()))
    return fixed, Repair(steps, len(bad), tuple(examples))
