"""spaCy's English tokenizer as plain data: taken from a blank English
pipeline when the rules are built (``themes.rules_to_matcher``), so that
tokenizing at run time (``enrich/tokenize.py``) needs no spaCy.

In: a spaCy ``Language`` (``spacy.blank("en")``). Out: ``TokenizerRules``:
the prefix, suffix and infix searches, ``token_match`` and ``url_match`` as
pattern strings with their flags, the special cases (a text → the texts of
its tokens), and the token sequences that spaCy's last pass over a whole text
looks for (each special case containing an affix or a space, as the
tokenizer splits it without special cases)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from extract.rules.precompiled import Code, to_code

Regex = tuple[str, int]  # a pattern string and its flags (re.compile's arguments)


@dataclass(frozen=True)
class TokenizerRules:
    """What spaCy's ``Tokenizer`` reads: ``prefix``, ``suffix``, ``infix``,
    ``token_match``, ``url_match`` (None where the tokenizer has none);
    ``specials``, each special case's text → the texts of its tokens;
    ``special_phrases``, the token texts (as the tokenizer splits each
    special case without special cases) that its pass over the whole text
    finds and, where the words matched are a special case, retokenizes;
    ``compiled``, the five patterns as ``re`` compiles them (``precompiled``),
    so that a run does not compile them again."""

    prefix: Regex | None
    suffix: Regex | None
    infix: Regex | None
    token_match: Regex | None
    url_match: Regex | None
    specials: Mapping[str, tuple[str, ...]]
    special_phrases: tuple[tuple[str, ...], ...]
    compiled: tuple[Code | None, ...] = ()  # prefix, suffix, infix, token_match, url_match


def search_to_regex(search: Any) -> Regex | None:
    """A bound ``re.Pattern`` method (``.search``, ``.match``, ``.finditer``)
    → its pattern string and flags; None for None."""
    if search is None:
        return None
    pattern = getattr(search, "__self__", None)
    if not hasattr(pattern, "pattern") or not isinstance(pattern.pattern, str):
        raise ValueError(f"the tokenizer's {search!r} is not a method of a compiled regular expression")
    return pattern.pattern, pattern.flags


def nlp_to_tokenizer_rules(nlp: Any) -> TokenizerRules:
    """The tokenizer of a spaCy pipeline → ``TokenizerRules`` (spaCy imported
    by the caller)."""
    from spacy.attrs import ORTH, intify_attrs
    from spacy.tokenizer import Tokenizer

    tok = nlp.tokenizer
    specials = {}
    for text, tokens in tok.rules.items():
        attrs = [intify_attrs(t, strings_map=nlp.vocab.strings, _do_deprecated=True) for t in tokens]
        specials[text] = tuple(nlp.vocab.strings[a[ORTH]] for a in attrs)
    # The texts spaCy adds to its special-case matcher (Tokenizer.add_special_case,
    # with faster_heuristics) and their tokens without special cases.
    bare = Tokenizer(nlp.vocab, rules={}, prefix_search=tok.prefix_search, suffix_search=tok.suffix_search,
                     infix_finditer=tok.infix_finditer, token_match=tok.token_match, url_match=tok.url_match)
    phrases = set()
    for text in sorted(specials):
        if (not tok.faster_heuristics or tok.find_prefix(text) or tok.find_infix(text) or tok.find_suffix(text)
                or " " in text):
            words = tuple(t.text for t in bare(text))
            if words:
                phrases.add(words)
    regexes = [search_to_regex(s) for s in (tok.prefix_search, tok.suffix_search, tok.infix_finditer,
                                            tok.token_match, tok.url_match)]
    return TokenizerRules(*regexes, specials, tuple(sorted(phrases)),
                          tuple(to_code(*r) if r is not None else None for r in regexes))
