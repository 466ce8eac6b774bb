"""spaCy ``Matcher`` token patterns as plain steps, and the lexical data
their tests read, so that matching at run time (``enrich/tokenmatch.py``)
needs no spaCy.

In: a token pattern as written in a rule file (a list of token mappings:
attributes, ``IN``/``NOT_IN``/``REGEX``/comparisons, ``OP``), already
accepted by spaCy's own validation (``themes.rules_to_matcher``). Out: a
tuple of ``Step``s, one per quantifier spaCy compiles the pattern to (``+``
is one then ``*``, ``{2,3}`` is two ones then one ``?``); a feature the
run-time matcher does not read raises ``ValueError`` naming it. ``Lexicon``
holds what a blank English pipeline gives its tokens beyond their text: the
norms that are not the lower-case form, the number words of ``LIKE_NUM``."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

TEXTS = ("ORTH", "LOWER", "NORM")  # TEXT is ORTH
FLAGS = ("IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
         "LIKE_NUM")
NUMBERS = ("LENGTH",)
COMPARISONS = ("==", "!=", ">=", "<=", ">", "<")
ONE, ZERO_ONE, ZERO_PLUS, ZERO = "1", "?", "*", "!"  # spaCy's quantifiers; ZERO: one token that fails the tests


@dataclass(frozen=True)
class Test:
    """One test of a token: its ``attr`` (one of ``TEXTS``, ``FLAGS``,
    ``NUMBERS``) compared by ``how`` (``==``, another comparison, ``IN``,
    ``NOT_IN``, ``REGEX``) with ``value`` (a text, 0 or 1 for a flag, a
    number, a frozenset, a regular expression's source)."""

    attr: str
    how: str
    value: Any


@dataclass(frozen=True)
class Step:
    """One step of a compiled pattern: a ``quantifier`` (``ONE``,
    ``ZERO_ONE``, ``ZERO_PLUS``, ``ZERO``) and the ``tests`` a token passes
    (all of them; none: any token)."""

    quantifier: str
    tests: tuple[Test, ...]


@dataclass(frozen=True)
class Lexicon:
    """Lexical attributes of a blank English pipeline beyond Python's string
    methods: ``norms``, a text → its norm where that is not its lower-case
    form; ``numbers``, the lower-case number and ordinal words ``LIKE_NUM``
    accepts."""

    norms: Mapping[str, str] = field(repr=False)
    numbers: frozenset[str] = field(repr=False)


def nlp_to_lexicon(nlp: Any) -> Lexicon:
    """The lexical data of a blank English pipeline (spaCy imported by the
    caller); ``ValueError`` when its attributes are not the ones ported."""
    from spacy.attrs import LIKE_NUM, NORM
    from spacy.lang.en import lex_attrs
    from spacy.lang.lex_attrs import lower
    from spacy.lang.norm_exceptions import BASE_NORMS

    getters = nlp.vocab.lex_attr_getters
    norm, like_num = getters.get(NORM), getters.get(LIKE_NUM)
    if (getattr(norm, "args", None) != (lower, (BASE_NORMS,)) or like_num is not lex_attrs.like_num
            or nlp.vocab.lookups.has_table("lexeme_norm")):
        raise ValueError("the pipeline's NORM or LIKE_NUM is not a blank English pipeline's")
    return Lexicon(dict(BASE_NORMS), frozenset(lex_attrs._num_words) | frozenset(lex_attrs._ordinal_words))


def op_to_quantifiers(op: Any) -> tuple[str, ...]:
    """A token's ``OP`` → the quantifiers spaCy compiles it to (its
    ``_get_operators``: ``{n,m}`` is n ``ONE`` then m - n ``ZERO_ONE``,
    ``{n,}`` n ``ONE`` then ``ZERO_PLUS``); ``ValueError`` for another."""
    lookup = {None: (ONE,), "1": (ONE,), "*": (ZERO_PLUS,), "+": (ONE, ZERO_PLUS), "?": (ZERO_ONE,), "!": (ZERO,)}
    if op in lookup:
        return lookup[op]
    if not (isinstance(op, str) and op.startswith("{") and op.endswith("}")):
        raise ValueError(f"operator {op!r}")
    inner = op[1:-1]
    low, high = (inner if "," in inner else f"{inner},{inner}").split(",")
    if (not low.isdecimal() and not high.isdecimal()) or (
            low.isdecimal() and high.isdecimal() and int(low) > int(high)):
        raise ValueError(f"operator {op!r}")
    head = (ONE,) * int(low or 0)
    return head + ((ZERO_ONE,) * (int(high) - int(low or 0)) if high else (ZERO_PLUS,))


def value_to_tests(attr: str, value: Any) -> list[Test]:
    """One attribute's value in a token mapping → its tests."""
    kind = "text" if attr in TEXTS else "flag" if attr in FLAGS else "number" if attr in NUMBERS else None
    if kind is None:
        raise ValueError(f"the attribute {attr}")
    if not isinstance(value, dict):
        if kind == "text" and isinstance(value, str):
            return [Test(attr, "==", value)]
        if kind == "flag" and isinstance(value, bool):
            return [Test(attr, "==", int(value))]
        if kind == "number" and isinstance(value, int) and not isinstance(value, bool):
            return [Test(attr, "==", value)]
        raise ValueError(f"{attr} given {value!r}")
    tests = []
    for how, given in value.items():
        how = str(how).upper()
        if how in ("IN", "NOT_IN") and isinstance(given, list) and (
                (kind == "text" and all(isinstance(v, str) for v in given))
                or (kind == "number" and all(isinstance(v, int) and not isinstance(v, bool) for v in given))):
            tests.append(Test(attr, how, frozenset(given)))
        elif how == "REGEX" and kind == "text" and isinstance(given, str):
            tests.append(Test(attr, how, given))
        elif how in COMPARISONS and kind == "number" and isinstance(given, (int, float)) and not isinstance(given, bool):
            tests.append(Test(attr, how, given))
        else:
            raise ValueError(f"{attr} {how} {given!r}")
    return tests


def pattern_to_steps(pattern: list[dict]) -> tuple[Step, ...]:
    """A token pattern → its steps (see the module docstring); ``ValueError``
    naming what the run-time matcher does not read (an extension ``_``,
    ``FUZZY``, an attribute a blank pipeline does not set or that is not
    ported)."""
    steps: list[Step] = []
    for token in pattern:
        spec = {str(k).upper(): v for k, v in token.items()}
        if len(spec) != len(token):
            raise ValueError(f"a key given twice in {token!r}")
        tests: list[Test] = []
        for attr, value in spec.items():
            if attr == "OP":
                continue
            if attr == "_":
                raise ValueError("extension attributes (_)")
            tests += value_to_tests("ORTH" if attr == "TEXT" else attr, value)
        steps += [Step(q, tuple(tests)) for q in op_to_quantifiers(spec.get("OP"))]
    return tuple(steps)
