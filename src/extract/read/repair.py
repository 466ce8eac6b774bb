"""Encoding accidents → repaired text: mojibake (UTF-8 once decoded as
Windows-1252 or Latin-1, ``Villa MarÃ­a``, ``kmÂ²``; or twice) undone with
ftfy, a library built for exactly this, which leaves good text alone.

In: decoded text. Out: the repaired text (the ``Document.text`` every offset
then points into) and a ``Repair`` saying what was undone, with examples,
for an ``encoding_repaired`` finding; ``None`` when nothing was wrong."""
from __future__ import annotations

from dataclasses import dataclass

import regex

# A word that holds a typical mojibake sequence: a UTF-8 lead byte read as
# Windows-1252/Latin-1 (Ã Â Å Ä Ð Ñ â Ø Ù Ú …) followed by a continuation byte.
_MOJIBAKE_WORD = regex.compile(r"\S*[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                               r"\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039"
                               r"\u203a\u20ac\u2122]\S*")


@dataclass(frozen=True)
class Repair:
    steps: str                     # how the text was undone (ftfy's explanation)
    words: int                     # words that changed
    examples: tuple[tuple[str, str], ...]  # (as read, repaired), the first few


def repair_text(text: str) -> tuple[str, Repair | None]:
    """``text`` with mojibake undone, and what was repaired (None: nothing)."""
    if not _MOJIBAKE_WORD.search(text):
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
