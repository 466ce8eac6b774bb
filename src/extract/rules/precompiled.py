"""Regular expressions kept in the rules cache as ``re`` compiles them, so
that a run does not compile them again.

``re.compile`` parses a pattern and turns it into the code its matching
engine runs; for spaCy's tokenizer patterns, with their wide classes of
symbols and letters, that takes some 60 ms in every process (each class is
laid out one code point at a time). A pickled ``re.Pattern`` keeps only its
text and compiles again when read.

``to_code(pattern, flags)`` → ``Code``: the engine's code and the groups,
made by ``re``'s own compiler, plain data that pickles.
``from_code(code)`` → the ``re.Pattern`` that ``re.compile`` gives (the
same pattern, flags and code: ``==`` holds), built directly from the code;
``compiled(regex, code)``: from the code when it is the regex's.
The rules cache is keyed by the Python version and the loaders' source, so
a code is only read by the Python that made it; should the engine refuse
it all the same (another ``re`` module, a damaged file), the pattern is
compiled from its text."""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    """A pattern as ``re``'s compiler leaves it for ``_sre.compile``."""

    pattern: str
    flags: int          # the flags given and those the pattern sets inline
    code: tuple[int, ...]
    groups: int         # the number of groups, the whole match left out
    groupindex: tuple[tuple[str, int], ...]
    indexgroup: tuple[str | None, ...]


def to_code(pattern: str, flags: int = 0) -> Code | None:
    """``pattern`` with ``flags`` compiled as ``re.compile`` would → its
    ``Code``; None where ``re``'s compiler is not the one this reads."""
    try:
        from re import _compiler, _parser
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        state = parsed.state
        indexgroup: list[str | None] = [None] * state.groups
        for name, i in state.groupdict.items():
            indexgroup[i] = name
        return Code(pattern, flags | state.flags, tuple(map(int, code)), state.groups - 1,  # opcodes are named ints
                    tuple(state.groupdict.items()), tuple(indexgroup))
    except (ImportError, AttributeError, TypeError):
        return None


def from_code(code: Code) -> re.Pattern:
    """The compiled pattern of ``code`` (see the module doc)."""
    try:
        import _sre
        return _sre.compile(code.pattern, code.flags, list(code.code), code.groups, dict(code.groupindex),
                            code.indexgroup)
    except (ImportError, AttributeError, TypeError, ValueError, RuntimeError):
        return re.compile(code.pattern, code.flags)


def compiled(regex: tuple[str, int] | None, code: Code | None) -> re.Pattern | None:
    """``regex`` (a pattern and its flags) compiled: from ``code`` when that
    is the code of this pattern with these flags, else by ``re.compile``."""
    if regex is None:
        return None
    if code is not None and code.pattern == regex[0] and code.flags & regex[1] == regex[1]:
        return from_code(code)
    return re.compile(*regex)
