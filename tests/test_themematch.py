"""The fast paths of the themes stage against the slow, plain reading kept in
tests/themes_oracle.py: ``themematch.pieces_to_spans`` must find exactly
what spaCy's ``SpanRuler`` finds on each piece alone, and
``themes.text_to_ranges`` must give what comparing every word with difflib
gives, on the brochure and on generated text (phrases at sentence edges, in
list entries with markers, hyphenated, in other cases, over line breaks;
rule files with patterns that have no anchor word or no bound)."""
from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

import themes_oracle as oracle
from extract.enrich.themematch import pieces_to_spans
from extract.enrich.themes import row_to_ranges, text_to_ranges
from extract.rules.themes import DEFAULT_PATH, load_theme_rules

BROCHURE = "gnlc-portraits-2016.txt"


@pytest.fixture(scope="module")
def theme_rules():
    return load_theme_rules()


@pytest.fixture(scope="module")
def ruler():
    return oracle.ruler_of()


@pytest.fixture(scope="module")
def brochure_pieces(committed_rows, raw_text, theme_rules) -> list[str]:
    """Every piece the stage matches in the brochure (sections less their
    entries, and each entry)."""
    text = raw_text(BROCHURE)
    scope = set(theme_rules.sections)
    rows = [r for r in committed_rows["sections"] + committed_rows["items"]
            if r["document_id"] == BROCHURE and r["section"] in scope and r["text"]]
    return [p for row in rows for _, _, p in row_to_ranges(row, text)]


# --- generated text ----------------------------------------------------------------

def vocabulary(path: Path = DEFAULT_PATH) -> list[str]:
    """Every word a rule of ``path`` names (phrases, and the words of its token patterns)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    words: set[str] = set()
    for rule in (data.get("rules") or []) + (data.get("exclusions") or []):
        for phrase in rule.get("phrases", []):
            words.update(phrase.split())
            words.add(phrase)
        for pattern in rule.get("patterns", []):
            for token in pattern:
                for value in token.values():
                    if isinstance(value, str) and value not in ("?", "+", "*", "!") and not value.startswith("{"):
                        words.add(value)
                    elif isinstance(value, dict):
                        words.update(v for v in value.get("IN", []) if isinstance(v, str))
    return sorted(words)


FILLER = ["the", "of", "and", "for", "in", "a", "to", "city", "its", "our", "more", "with", "learning", "new",
          "2030", "4", "11", "17", "SDG", "SDG4", "SDGs", "Goal", "Agenda", "zero-carbon", "zerocarbon",
          "94.5%", "rate", "rates", "of", "'s", "city's", "citizens'", "e.g.", "U.S.", "(", ")", ",", ".",
          ";", ":", "!", "?", "-", "–", '"', "'", "...", "don't", "cannot", ":)", "etc.", "km²", "ΟΔΟΣ", "İzmir"]
SPACES = [" ", " ", " ", " ", "  ", "\n", "\n  ", " \n", "\t", "\u00a0", "\n\n"]
MARKERS = ["- ", "• ", "· ", "* ", "2. ", "1) ", "(3) ", "- 2. "]


def variant(word: str, rng: random.Random) -> str:
    """``word`` as printed: in another case, hyphenated or closed up, with punctuation about it."""
    roll = rng.random()
    if roll < 0.15:
        word = word.upper()
    elif roll < 0.35:
        word = word.title()
    elif roll < 0.4:
        word = "".join(c.upper() if rng.random() < 0.5 else c for c in word)
    if " " in word and rng.random() < 0.3:
        word = word.replace(" ", rng.choice(["-", "", " - ", "\n", " \n "]))
    if rng.random() < 0.15:
        word = rng.choice(['"', "'", "(", "“"]) + word
    if rng.random() < 0.2:
        word += rng.choice([".", ",", ";", ":", ")", "'s", "s", "-", "!", '."', ".)"])
    return word


def generated_pieces(words: list[str], n: int = 300, seed: int = 14) -> list[str]:
    """``n`` pieces of rule words, filler and marks: sentences, list entries
    with their markers, wrapped lines."""
    rng = random.Random(seed)
    pieces = []
    for _ in range(n):
        parts = [rng.choice(MARKERS)] if rng.random() < 0.3 else []
        for _ in range(rng.randint(1, 30)):
            word = rng.choice(words) if rng.random() < 0.55 else rng.choice(FILLER)
            parts += [variant(word, rng), rng.choice(SPACES)]
            if rng.random() < 0.08:
                parts += [". ", variant(rng.choice(words), rng).capitalize(), " "]
        pieces.append("".join(parts).strip(" ") if rng.random() < 0.7 else "".join(parts))
    return pieces


# --- the matcher -------------------------------------------------------------------

def test_the_brochure_is_matched_as_by_the_span_ruler(theme_rules, ruler, brochure_pieces):
    expected = [oracle.piece_to_spans(ruler, p) for p in brochure_pieces]
    assert sum(map(len, expected)) > 300
    assert pieces_to_spans(theme_rules.matcher, brochure_pieces) == expected
    # in batches of one piece and of a few: a phrase does not run on into the next piece
    assert pieces_to_spans(theme_rules.matcher, brochure_pieces, batch_chars=1) == expected
    assert pieces_to_spans(theme_rules.matcher, brochure_pieces, batch_chars=2_000) == expected


def test_generated_text_is_matched_as_by_the_span_ruler(theme_rules, ruler):
    pieces = generated_pieces(vocabulary())
    expected = [oracle.piece_to_spans(ruler, p) for p in pieces]
    assert sum(map(len, expected)) > 1_000
    assert pieces_to_spans(theme_rules.matcher, pieces) == expected
    assert pieces_to_spans(theme_rules.matcher, pieces, batch_chars=500) == expected


def test_pieces_that_may_not_be_joined_are_tokenized_alone(theme_rules, ruler):
    pieces = generated_pieces(vocabulary(), n=60, seed=3)
    alone = replace(theme_rules.matcher, joinable=False)
    assert pieces_to_spans(alone, pieces) == [oracle.piece_to_spans(ruler, p) for p in pieces]


def test_a_phrase_is_not_found_across_two_pieces(theme_rules):
    assert pieces_to_spans(theme_rules.matcher, ["We fight adult", "education gaps", "", "  \n"]) == [[], [], [], []]
    assert pieces_to_spans(theme_rules.matcher, ["adult education"]) == [
        [("inclusive_learning", "inclusive.adult-education", 0, 15)]]


ODD_RULES = """\
kind: themes
scope: {id: odd.scope, sections: [plan]}
themes:
  - {id: theme.odd, theme: odd, label: Odd}
  - {id: theme.even, theme: even, label: Even}
rules:
  - id: odd.unbounded
    theme: odd
    patterns: [[{LOWER: alpha}, {IS_ALPHA: true, OP: "+"}, {LOWER: omega}]]
  - id: odd.no-anchor
    theme: odd
    patterns: [[{LIKE_NUM: true}, {LOWER: {IN: [km, km²]}, OP: "?"}], [{TEXT: {REGEX: "^[A-Z]{3}$"}}]]
  - id: odd.text-and-counts
    theme: even
    patterns: [[{ORTH: Foo}, {LOWER: bar, OP: "{1,2}"}, {LOWER: {IN: [baz, qux]}, OP: "{2}"}],
               [{LOWER: not}, {LOWER: this, OP: "!"}, {LOWER: that}],
               [{LOWER: {REGEX: "^ga+p$"}}, {LOWER: {NOT_IN: [and]}, OP: "{0,2}"}, {LOWER: {REGEX: "^z"}}],
               [{lower: lowercase}, {LOWER: keys, OP: "*"}, {LOWER: end}],
               [{LOWER: do}, {NORM: not}], [{NORM: not}, {IS_PUNCT: true, OP: "?"}]]
  - id: odd.phrases
    theme: even
    phrases: [foo bar, Foo-Bar, "alpha omega"]
exclusions:
  - id: odd.not
    theme: odd
    phrases: [alpha beta omega]
"""


def test_patterns_without_anchor_or_bound_are_matched_as_by_the_span_ruler(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(ODD_RULES, encoding="utf-8")
    matcher, ruler = load_theme_rules(path).matcher, oracle.ruler_of(path)
    words = ["alpha", "beta", "omega", "gamma", "12", "three", "km", "km²", "ABC", "Abc", "Foo", "foo", "bar",
             "baz", "qux", "not", "this", "that", "gap", "gaaap", "and", "zeta", "lowercase", "keys", "end",
             "alpha beta omega", "Foo bar bar baz qux", "not that", "gap and zeta", "lowercase keys keys end",
             "don't", "dont", "do not", "cannot", "isn't"]
    pieces = generated_pieces(words, n=400, seed=5)
    expected = [oracle.piece_to_spans(ruler, p) for p in pieces]
    assert {rule for spans in expected for _, rule, _, _ in spans} == {
        "odd.unbounded", "odd.no-anchor", "odd.text-and-counts", "odd.phrases", "odd.not"}
    assert pieces_to_spans(matcher, pieces) == expected
    assert pieces_to_spans(matcher, pieces, batch_chars=300) == expected


# --- where a row's text is ------------------------------------------------------------

def test_the_brochure_rows_are_located_as_by_difflib(committed_rows, raw_text):
    text = raw_text(BROCHURE)
    rows = [r for r in committed_rows["sections"] + committed_rows["items"]
            if r["document_id"] == BROCHURE and r["text"]]
    args = [(text, int(r["char_start"]), int(r["char_end"]), r["text"]) for r in rows]
    assert [text_to_ranges(*a) for a in args] == [oracle.text_to_ranges(*a) for a in args]


def generated_rows(n: int = 2_000, seed: int = 7) -> list[tuple[str, int, int, str]]:
    """Slices of a made-up document and texts made from them: words left out
    (a quote, a marker, at the start, in the middle, at the end), words
    repeated, separators U+001C–U+001F, typographic quotes, no-break spaces, CRLF."""
    rng = random.Random(seed)
    words = ["We", "train", "the", "teachers", "-", "•", "2.", "'quote'", "“Yes”", "city", "a", "—", "x\x1cy",
             "and", "the", "learning", "(1)", ",", "it", "is"]
    spaces = [" ", "  ", "\n", "\r\n", "\u00a0", "\t", "\x1d", " \x1f "]
    out = []
    for _ in range(n):
        picked = [rng.choice(words) for _ in range(rng.randint(0, 12))]
        doc = "".join(w + rng.choice(spaces) for w in picked)
        lead = rng.choice(["", "Plan\n\n", "- ", "  "])
        doc = lead + doc + rng.choice(["", "\n\nNext", "\r\n"])
        start, end = len(lead) - rng.randint(0, len(lead)), len(lead) + len(doc) - len(lead) - rng.randint(0, 5)
        kept = [w for w in picked if rng.random() > 0.2] if rng.random() < 0.6 else picked[1:]
        if rng.random() < 0.1:
            kept = kept + ["extra"] if rng.random() < 0.5 else kept[::-1]
        out.append((doc, max(0, start), max(0, end), " ".join(kept)))
    return out


def test_generated_rows_are_located_as_by_difflib():
    for args in generated_rows():
        assert text_to_ranges(*args) == oracle.text_to_ranges(*args), args
