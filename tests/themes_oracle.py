"""The slow, plain reading of the themes stage, kept as the reference its
fast paths are tested against (tests/test_themematch.py):

- ``ruler_of(path)``: the rules of a themes file in spaCy's ``SpanRuler`` on
  a blank English pipeline, and ``piece_to_spans(nlp, piece)``: the piece
  tokenized alone, white space left out, the ruler run over it: what
  ``enrich/themematch.py`` must find;
- ``text_to_ranges``: where a row's text is, every word compared with
  difflib, as ``enrich/themes.py`` did before its fast paths."""
from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path

import regex
import yaml

from extract.read.textutil import fold
from extract.rules.themes import DEFAULT_PATH, EXCLUDED, rule_to_patterns

SPANS_KEY = "themes"
_WORD = regex.compile(r"\S+")
_HAS_WORD = regex.compile(r"[\p{L}\p{N}]")


def ruler_of(path: Path = DEFAULT_PATH):
    """A blank English pipeline whose ``span_ruler`` holds every rule of ``path``."""
    import spacy

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "LOWER",
                                               "validate": True, "overwrite": False})
    for key, prefix in (("rules", ""), ("exclusions", EXCLUDED)):
        for rule in data.get(key) or []:
            ruler.add_patterns(rule_to_patterns(Path(path).name, rule, prefix + rule["theme"]))
    return nlp


def piece_to_spans(nlp, piece: str) -> list[tuple[str, str, int, int]]:
    """``(label, rule, start, end)`` of every rule match in ``piece``, each
    once, ordered by start, end, label and rule."""
    from spacy.tokens import Doc

    tokens = [t for t in nlp.tokenizer(piece) if not t.is_space]
    if not tokens:
        return []
    doc = Doc(nlp.vocab, words=[t.text for t in tokens], spaces=[True] * len(tokens))
    for _, component in nlp.pipeline:
        doc = component(doc)
    spans = {(span.label_, span.id_, tokens[span.start].idx,
               tokens[span.end - 1].idx + len(tokens[span.end - 1].text)) for span in doc.spans[SPANS_KEY]}
    return sorted(spans, key=lambda t: (t[2], t[3], t[0], t[1]))


def text_to_ranges(doc_text: str, start: int, end: int, text: str) -> list[tuple[int, int, str]]:
    """The parts of ``doc_text[start:end]`` that ``text`` holds (see
    ``enrich.themes.text_to_ranges``), every word through difflib."""
    piece = fold(doc_text[start:end])
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(piece)]
    kept = _WORD.findall(fold(text))
    status = ["kept"] * len(words)
    ops = SequenceMatcher(None, [w for _, _, w in words], kept, autojunk=False).get_opcodes()
    for tag, i1, i2, _, _ in ops:
        if tag == "delete":
            cut = any(_HAS_WORD.search(w) for _, _, w in words[i1:i2])
            status[i1:i2] = ["cut" if cut else "blank"] * (i2 - i1)
    chars, ranges, run = list(piece), [], None
    for (s, e, _), state in zip(words, status):
        if state == "cut":
            ranges += [run] if run else []
            run = None
            continue
        if state == "blank":
            chars[s:e] = " " * (e - s)
        run = (run[0] if run else s, e)
    ranges += [run] if run else []
    blanked = "".join(chars)
    return [(start + s, start + e, blanked[s:e]) for s, e in ranges]
