"""Token texts → the matches of a token pattern, as spaCy's ``Matcher``
finds them, in pure Python: ``words_to_matches``.

In: a compiled pattern (``rules/tokenpatterns.py``: ``Step``s), the
``Lexicon`` its tests read, and tokens (their texts, and their lower-case
forms) as a ``Doc`` made from those words would hold them. Out: every
``(start, end)`` (token offsets) spaCy's ``Matcher`` returns for the pattern
alone, without ``greedy``: all matches, overlapping ones and several from
one start included, none empty.

The state machine of spaCy's ``matcher.pyx`` (``find_matches``,
``transition_states``, ``get_action``, ``finish_states``), ported as it is:
at each token a new state starts, and each live state, by its step's
quantifier, whether the token passes the step's tests and whether the step
is the last, matches (with or without the token), advances, retries the
next step on the same token, or stays; states still live at the end match
if only optional steps are left."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from extract.rules.tokenpatterns import ONE, ZERO, ZERO_ONE, ZERO_PLUS, Lexicon, Step, Test

# get_action's answers
REJECT, MATCH, ADVANCE, RETRY, RETRY_EXTEND, RETRY_ADVANCE, MATCH_EXTEND, MATCH_REJECT, MATCH_DOUBLE = range(9)


def is_punct(text: str) -> bool:
    return all(unicodedata.category(c).startswith("P") for c in text)


def is_ascii(text: str) -> bool:
    return all(ord(c) < 128 for c in text)


def like_num(text: str, numbers: frozenset[str]) -> bool:
    """spaCy's English ``like_num``."""
    if text.startswith(("+", "-", "±", "~")):
        text = text[1:]
    text = text.replace(",", "").replace(".", "")
    if text.isdigit():
        return True
    if text.count("/") == 1:
        num, denom = text.split("/")
        if num.isdigit() and denom.isdigit():
            return True
    lower = text.lower()
    return lower in numbers or (lower.endswith(("st", "nd", "rd", "th")) and lower[:-2].isdigit())


def attribute_of(attr: str, lexicon: Lexicon) -> Callable[[str, str], object]:
    """A token's ``attr`` from its text and its lower-case form, as a blank
    English pipeline's lexeme has it (flags as 0 or 1)."""
    norms, numbers = lexicon.norms, lexicon.numbers
    getters: dict[str, Callable[[str, str], object]] = {
        "ORTH": lambda w, low: w,
        "LOWER": lambda w, low: low,
        "NORM": lambda w, low: norms.get(w, low),
        "LENGTH": lambda w, low: len(w),
        "IS_ALPHA": lambda w, low: int(w.isalpha()),
        "IS_ASCII": lambda w, low: int(is_ascii(w)),
        "IS_DIGIT": lambda w, low: int(w.isdigit()),
        "IS_LOWER": lambda w, low: int(w.islower()),
        "IS_UPPER": lambda w, low: int(w.isupper()),
        "IS_TITLE": lambda w, low: int(w.istitle()),
        "IS_PUNCT": lambda w, low: int(is_punct(w)),
        "IS_SPACE": lambda w, low: int(w.isspace()),
        "LIKE_NUM": lambda w, low: int(like_num(w, numbers)),
    }
    return getters[attr]


def test_to_check(test: Test, lexicon: Lexicon) -> Callable[[str, str], bool]:
    """A ``Test`` → a function of a token's text and lower-case form."""
    get, value = attribute_of(test.attr, lexicon), test.value
    if test.attr in ("ORTH", "LOWER") and test.how in ("==", "IN", "NOT_IN"):  # the usual tests, in one step
        if test.attr == "ORTH":
            return {"==": lambda w, low: w == value, "IN": lambda w, low: w in value,
                    "NOT_IN": lambda w, low: w not in value}[test.how]
        return {"==": lambda w, low: low == value, "IN": lambda w, low: low in value,
                "NOT_IN": lambda w, low: low not in value}[test.how]
    if test.how == "REGEX":
        search = re.compile(value).search
        return lambda w, low: bool(search(get(w, low)))
    ops: dict[str, Callable[[object], bool]] = {
        "==": lambda v: v == value, "!=": lambda v: v != value, ">=": lambda v: v >= value,
        "<=": lambda v: v <= value, ">": lambda v: v > value, "<": lambda v: v < value,
        "IN": lambda v: v in value, "NOT_IN": lambda v: v not in value}
    op = ops[test.how]
    return lambda w, low: op(get(w, low))


def step_to_check(step: Step, lexicon: Lexicon) -> Callable[[str, str], bool]:
    """A step's tests → one function: whether a token passes them all."""
    checks = [test_to_check(t, lexicon) for t in step.tests]
    if not checks:
        return lambda w, low: True
    if len(checks) == 1:
        return checks[0]
    return lambda w, low: all(c(w, low) for c in checks)


def get_action(quantifier: str, is_match: bool, is_final: bool) -> int:
    """spaCy's ``get_action``."""
    if quantifier == ZERO:
        is_match, quantifier = not is_match, ONE
    if quantifier == ONE:
        return (MATCH if is_final else ADVANCE) if is_match else REJECT
    if quantifier == ZERO_PLUS:
        if is_match:
            return MATCH_EXTEND if is_final else RETRY_EXTEND
        return MATCH_REJECT if is_final else RETRY
    if is_match:  # ZERO_ONE
        return MATCH_DOUBLE if is_final else RETRY_ADVANCE
    return MATCH_REJECT if is_final else RETRY


def words_to_matches(steps: Sequence[Step], checks: Sequence[Callable[[str, str], bool]],
                     words: Sequence[str], lower: Sequence[str]) -> set[tuple[int, int]]:
    """Every match of the pattern (``steps`` and their ``checks``, from
    ``step_to_check``) in the tokens ``words`` (``lower``: their lower-case
    forms), as ``(start, end)``."""
    if not steps:  # every token ``{0}``: spaCy finds nothing
        return set()
    last = len(steps) - 1
    quantifiers = [s.quantifier for s in steps]
    actions = [(get_action(q, False, p == last), get_action(q, True, p == last))  # by whether a token passes
               for p, q in enumerate(quantifiers)]
    passed: dict[tuple[int, int], bool] = {}
    matches: list[tuple[int, int]] = []  # start, length
    states: list[tuple[int, int, int]] = []  # step, start, length
    for i, (word, low) in enumerate(zip(words, lower)):
        states.append((0, i, 0))
        kept: list[tuple[int, int, int]] = []
        new: list[tuple[int, int, int]] = []
        for p, start, length in states:
            while True:
                key = (p, i)
                ok = passed.get(key)
                if ok is None:
                    ok = passed[key] = checks[p](word, low)
                action = actions[p][ok]
                if action == RETRY_EXTEND:
                    new.append((p, start, length + 1))
                elif action == RETRY_ADVANCE:
                    new.append((p + 1, start, length + 1))
                elif action != RETRY:
                    break
                p += 1
            if action == ADVANCE:
                kept.append((p + 1, start, length + 1))
            elif action == MATCH:
                matches.append((start, length + 1))
            elif action == MATCH_DOUBLE:
                matches += [(start, length), (start, length + 1)]
            elif action == MATCH_REJECT:
                matches.append((start, length))
            elif action == MATCH_EXTEND:
                matches.append((start, length))
                kept.append((p, start, length + 1))
        states = kept + new
    for p, start, length in states:  # finish_states: states left before optional steps only
        while quantifiers[p] in (ZERO_PLUS, ZERO_ONE):
            if p == last:
                matches.append((start, length))
                break
            p += 1
    return {(s, s + n) for s, n in matches if n > 0}
