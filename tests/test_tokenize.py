"""The themes stage's pure-Python tokenizer (``enrich/tokenize.py``) and
token matcher (``enrich/tokenmatch.py``) against spaCy's, which they stand
in for at run time:

- tokens: the same, token by token (start and text, white space left out),
  as ``spacy.blank("en").tokenizer`` on every text file of the sources (the
  repository's ``raw/`` and, where it is there, the shared ``sources/``
  folder), on the documents of a synthetic corpus, and on generated strings
  of punctuation, digits, URLs, emails, quotes, apostrophes, hyphens,
  abbreviations, emoji, non-Latin letters, spaCy's special cases and white
  space of every kind; in both of its ways of reading white space (skipped,
  or tokenized as spaCy does when a special case holds white space), and
  with special cases that hold white space;
- matches: the same ``(start, end)`` as spaCy's ``Matcher`` for every token
  pattern of ``rules/themes.yaml`` and of the odd rules of
  tests/test_themematch.py over those token streams, and for generated
  patterns (every quantifier, every attribute and predicate the matcher
  reads) over generated streams;
- lexical attributes: each one the matcher reads equal to the lexeme's in a
  blank English pipeline."""
from __future__ import annotations

import pickle
import re
from dataclasses import replace
from pathlib import Path

import hypothesis.strategies as st
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from conftest import ROOT
from extract.bench.synthetic import build_corpus
from extract.enrich.tokenize import Tokenizer
from extract.enrich.tokenmatch import attribute_of, step_to_check, words_to_matches
from extract.rules import precompiled
from extract.rules.themes import DEFAULT_PATH, load_theme_rules
from extract.rules.tokenizer import nlp_to_tokenizer_rules
from extract.rules.tokenpatterns import FLAGS, NUMBERS, TEXTS, pattern_to_steps
from test_themematch import ODD_RULES

spacy = pytest.importorskip("spacy")
from spacy.attrs import IDS  # noqa: E402
from spacy.matcher import Matcher  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

SETTINGS = dict(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SOURCES = sorted({p.name: p for p in [*sorted((ROOT.parent / "shared" / "sources").glob("*.txt")),
                                      *sorted((ROOT / "raw").glob("*.txt")),
                                      *sorted((ROOT / "tests" / "inputs").glob("*.txt"))]}.items())


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def rules():
    return load_theme_rules().matcher


@pytest.fixture(scope="module", params=[False, True], ids=["white-space-skipped", "white-space-tokenized"])
def tokenizer(request, rules):
    return Tokenizer(rules.tokenizer, spaced=request.param)


def spacy_tokens(nlp, text: str) -> list[tuple[int, str]]:
    return [(t.idx, t.text) for t in nlp.tokenizer(text) if not t.is_space]


def our_tokens(tokenizer: Tokenizer, text: str) -> list[tuple[int, str]]:
    starts, words = tokenizer.tokens(text)
    assert all(text[s:s + len(w)] == w for s, w in zip(starts, words))
    return list(zip(starts, words))


def assert_same_tokens(nlp, tokenizer: Tokenizer, text: str) -> None:
    ours, theirs = our_tokens(tokenizer, text), spacy_tokens(nlp, text)
    if ours != theirs:  # the first difference, with what is around it
        at = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
        pytest.fail(f"token {at} differs: ours {ours[max(0, at - 3):at + 4]}, spaCy's {theirs[max(0, at - 3):at + 4]}")


# --- tokens ------------------------------------------------------------------------

def test_the_sources_are_found():
    assert {"gnlc-portraits-2016.txt", "web-profile-kaunas.txt", "challenge-page-kaunas.txt"} <= dict(SOURCES).keys()


@pytest.mark.parametrize("path", [p for _, p in SOURCES], ids=[n for n, _ in SOURCES])
def test_a_source_is_tokenized_as_by_spacy(nlp, tokenizer, path: Path):
    text = path.read_text(encoding="utf-8")
    assert_same_tokens(nlp, tokenizer, text)
    assert_same_tokens(nlp, tokenizer, text)  # again, from the cache
    lines = text.splitlines()
    assert_same_tokens(nlp, tokenizer, "\n".join(lines[len(lines) // 2:] + lines[:len(lines) // 2]))


def test_a_synthetic_corpus_is_tokenized_as_by_spacy(nlp, tokenizer, tmp_path):
    paths = build_corpus(60, tmp_path, seed=11)
    assert len(paths) >= 2
    for path in paths:
        assert_same_tokens(nlp, tokenizer, path.read_bytes().decode("utf-8"))


def special_samples() -> list[str]:
    """Special cases of spaCy's English tokenizer, every 7th and those with marks."""
    texts = sorted(spacy.blank("en").tokenizer.rules)
    return sorted(set(texts[::7]) | {t for t in texts if not t.replace("'", "").replace(".", "").isalnum()})


SPECIALS = special_samples()


ATOMS = ["U.S.", "U.S.A.", "e.g.", "i.e.", "Dr.", "Mr.", "etc.", "a.m.", "10a.m.", "p.m.", "No.", "vs.", "St.",
         "don't", "can't", "won't", "y'all", "'s", "'S", "’s", "n't", "''", "``", "'", '"', "“", "”", "‘", "’", "«",
         "»", "„", "(", ")", "[", "]", "{", "}", "<", ">", "-", "–", "—", "--", "---", "‐", "/", "\\", "&", "%", "$",
         "€", "£", "¥", "#", "@", "*", "+", "=", "~", "^", "|", "_", "…", "...", "..", ".", ",", ";", ":", "!",
         "?", "¡", "¿", ":)", ":-)", ";)", "(:", "<3", "C++", "and/or", "1990s", "1,000", "3.5", "24/7", "10km",
         "5kg", "2nd", "1st", "3rd", "50%", "$100", "€5", "+1", "-2", "±3", "http://www.unesco.org/uil",
         "https://uil.unesco.org/x?y=1&z=2#top", "www.learningcities.org", "unesco.org", "uil.unesco.org/",
         "name@city.gov", "a.b-c@d-e.co.uk", "mailto:x@y.z", "co-operation", "life-long", "well-being",
         "e-learning", "non-formal", "T-shirt", "x-ray", "AT&T", "O'Neill", "rock'n'roll", "🙂", "👍🏽", "🇺🇳",
         "☺", "✓", "°C", "km²", "CO₂", "Ελλάδα", "ΟΔΟΣ", "Σίσυφος", "Москва", "中文", "日本語", "한국어",
         "العربية", "עברית", "हिन्दी", "İzmir", "ǅ", "ß", "ﬁ", "Ⅻ", "٣", "½", "x", "X", "city", "City"]
SPACES = [" ", " ", " ", "", "", "  ", "\n", "\n\n", "\t", " \t", "\r\n", "\r", "\u00a0", "\u2009", "\u2028",
          "\u3000", "\x0c", "\x0b", "\x1c", "\x1f", "\x85", " \n ", "\n "]


@st.composite
def texts(draw) -> str:
    parts = st.one_of(st.sampled_from(ATOMS), st.sampled_from(SPECIALS),
                      st.text(st.sampled_from(list("aZ9.,;:'\"()-/@_é中🙂\u00a0 \n")), max_size=6),
                      st.text(max_size=4))
    pieces = draw(st.lists(st.tuples(parts, st.sampled_from(SPACES)), max_size=14))
    lead = draw(st.sampled_from(["", "", " ", "  ", "\n", "\t "]))
    return lead + "".join(a + b for a, b in pieces)


@pytest.mark.slow
@settings(max_examples=2000, **SETTINGS)
@given(text=texts())
def test_generated_text_is_tokenized_as_by_spacy(nlp, tokenizer, text):
    assert_same_tokens(nlp, tokenizer, text)


# Texts where spaCy's last pass over the whole text changes the tokens: a
# special case (a.m., e.g., '', (:, :)) split by an infix or a suffix, put back.
LAST_PASS = ["x/10a.m.", "a/e.g. b", "word'' x", "foo/(:)", "it's/10a.m.", "x-:)", "and/or", "x-and/or-y"]


def test_the_last_pass_puts_special_cases_back(nlp, rules):
    without = Tokenizer(replace(rules.tokenizer, special_phrases=()))
    changed = 0
    for text in LAST_PASS:
        assert_same_tokens(nlp, Tokenizer(rules.tokenizer), text)
        changed += our_tokens(without, text) != spacy_tokens(nlp, text)
    assert changed >= 4


# Special cases that hold white space: tokens of white space in them
# (spaCy's way with white space needed), or only single spaces (matched
# across the text between single spaces).
SPACED_SPECIALS = {
    "white-space-tokens": {"x  y": ["x", "  ", "y"], "(\n)": ["(\n)"], "k.\tl": ["k.", "\t", "l"],
                           "p q": ["p q"], "o .": ["o", " ."]},
    "single-spaces": {"p q": ["p q"], "o .": ["o", " ."], "u.v w": ["u.v w"], "and / or": ["and / or"]},
}


@pytest.fixture(scope="module", params=sorted(SPACED_SPECIALS))
def spaced(request):
    """A blank English pipeline with special cases that hold white space, and our tokenizer of it."""
    nlp = spacy.blank("en")
    for text, words in SPACED_SPECIALS[request.param].items():
        nlp.tokenizer.add_special_case(text, [{"ORTH": w} for w in words])
    tokenizer = Tokenizer(nlp_to_tokenizer_rules(nlp))
    assert tokenizer.spaced == (request.param == "white-space-tokens")
    return nlp, tokenizer


@settings(max_examples=1500, **SETTINGS)
@given(pieces=st.lists(st.tuples(st.sampled_from(["x", "y", "p", "q", "(", ")", "k.", "l", "o", ".", "e.g.", "''",
                                                  "'", "a", "x  y", "(\n)", "p q", "u.v", "w", "and", "/", "or"]),
                                 st.sampled_from([" ", "  ", "\n", "\t", " \n", "\n ", ""])), max_size=10))
def test_special_cases_with_white_space_are_tokenized_as_by_spacy(spaced, pieces):
    nlp, tokenizer = spaced
    assert_same_tokens(nlp, tokenizer, "".join(a + b for a, b in pieces))


# --- matches -----------------------------------------------------------------------

def token_patterns() -> list[list[dict]]:
    """Every token pattern of rules/themes.yaml and of the odd rules."""
    out = []
    for data in (yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8")), yaml.safe_load(ODD_RULES)):
        for rule in (data.get("rules") or []) + (data.get("exclusions") or []):
            out += rule.get("patterns", [])
    return out


def compiled(nlp, lexicon, pattern: list[dict]) -> tuple:
    """A pattern in spaCy's ``Matcher`` and as our steps and their checks."""
    matcher = Matcher(nlp.vocab, validate=True)
    matcher.add("P", [pattern])
    steps = pattern_to_steps(pattern)
    return pattern, matcher, steps, [step_to_check(s, lexicon) for s in steps]


@pytest.fixture(scope="module")
def lexicon(rules):
    return rules.lexicon


@pytest.fixture(scope="module")
def theme_patterns(nlp, lexicon) -> list[tuple]:
    return [compiled(nlp, lexicon, p) for p in token_patterns()]


def assert_same_matches(nlp, patterns: list[tuple], words: list[str]) -> int:
    """Our matches of each pattern (``compiled``) in ``words`` are spaCy's; how many there were."""
    doc = Doc(nlp.vocab, words=words, spaces=[True] * len(words))
    lower = [w.lower() for w in words]
    found = 0
    for pattern, matcher, steps, checks in patterns:
        ours = words_to_matches(steps, checks, words, lower)
        assert ours == {(s, e) for _, s, e in matcher(doc)}, pattern
        found += len(ours)
    return found


def stream_of(nlp, text: str) -> list[str]:
    return [t.text for t in nlp.tokenizer(text) if not t.is_space]


def test_the_theme_patterns_match_the_sources_as_spacy(nlp, theme_patterns):
    assert len(theme_patterns) > 50
    found = sum(assert_same_matches(nlp, theme_patterns, stream_of(nlp, p.read_text(encoding="utf-8")))
                for _, p in SOURCES)
    assert found > 300


def test_the_theme_patterns_match_a_synthetic_corpus_as_spacy(nlp, theme_patterns, tmp_path):
    (path, *_) = build_corpus(40, tmp_path, seed=5)
    assert assert_same_matches(nlp, theme_patterns, stream_of(nlp, path.read_text(encoding="utf-8"))) > 100


@settings(max_examples=500, **SETTINGS)
@given(text=texts())
def test_the_theme_patterns_match_generated_text_as_spacy(nlp, theme_patterns, text):
    words = stream_of(nlp, text)
    if words:
        assert_same_matches(nlp, theme_patterns, words)


WORDS = ["a", "b", "A", "B", "Ab", "ab", ".", ",", "'", "’", "'s", "1", "12", "3rd", "two", "Third", "1/2", "-3",
         "€", "$", "x1", "--", "é", "Σ", "learning", "city"]


@st.composite
def token_specs(draw) -> dict:
    """A token of a pattern: tests of any attribute and predicate the matcher reads, any quantifier."""
    spec: dict = {}
    for _ in range(draw(st.integers(0, 2))):
        attr = draw(st.sampled_from([*TEXTS, "TEXT", *FLAGS, *NUMBERS, "lower"]))
        kind = attr.upper()
        if kind in {k.upper() for k in spec}:
            continue
        if kind in FLAGS:
            spec[attr] = draw(st.booleans())
        elif kind in NUMBERS:
            spec[attr] = draw(st.one_of(st.integers(1, 4), st.fixed_dictionaries(
                {draw(st.sampled_from(["==", "!=", ">=", "<=", ">", "<", "IN", "NOT_IN"])): st.integers(1, 4)})))
            if isinstance(spec[attr], dict) and set(spec[attr]) & {"IN", "NOT_IN"}:
                spec[attr] = {k: [v, v + 1] for k, v in spec[attr].items()}
        else:
            spec[attr] = draw(st.one_of(
                st.sampled_from(WORDS).map(str.lower if kind == "LOWER" else str),
                st.fixed_dictionaries({"IN": st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)}),
                st.fixed_dictionaries({"NOT_IN": st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)}),
                st.fixed_dictionaries({"REGEX": st.sampled_from(["^[ab]", r"\d", "^.$", "s$", "(?i)^A"])})))
    op = draw(st.sampled_from([None, "?", "*", "+", "!", "{2}", "{1,2}", "{0,2}", "{2,}", "{,2}", "{0}"]))
    if op is not None:
        spec["OP"] = op
    return spec


@pytest.mark.slow
@settings(max_examples=2500, **SETTINGS)
@given(pattern=st.lists(token_specs(), min_size=1, max_size=4),
       streams=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), min_size=1, max_size=3))
def test_generated_patterns_match_as_spacy(nlp, lexicon, pattern, streams):
    compiled_pattern = compiled(nlp, lexicon, pattern)
    for words in streams:
        assert_same_matches(nlp, [compiled_pattern], words)


# --- lexical attributes ------------------------------------------------------------

def test_each_attribute_is_the_lexemes(nlp, lexicon):
    words = sorted({w for _, p in SOURCES for w in stream_of(nlp, p.read_text(encoding="utf-8"))}
                   | set(WORDS) | set(ATOMS) | {"’", "‘", "``", "''", "—", "½", "Ⅻ", "٣", "1,000.5", "+4", "twelfth"})
    for attr in [*TEXTS, *FLAGS, *NUMBERS]:
        get = attribute_of(attr, lexicon)
        doc = Doc(nlp.vocab, words=words)
        values = doc.to_array([IDS[attr]]).tolist()
        expected = [nlp.vocab.strings[v] if attr in TEXTS else v for v in values]
        assert [get(w, w.lower()) for w in words] == expected, attr


def test_the_tokenizer_patterns_come_compiled_with_the_rules():
    """The rules keep the tokenizer's five patterns as ``re`` compiles them:
    read back from a pickle they are the patterns ``re.compile`` gives
    (``==`` compares pattern, flags and code), and the tokenizer uses them."""
    rules = load_theme_rules().matcher.tokenizer
    regexes = (rules.prefix, rules.suffix, rules.infix, rules.token_match, rules.url_match)
    assert len(rules.compiled) == 5
    for regex, code in zip(regexes, pickle.loads(pickle.dumps(rules.compiled))):
        assert (regex is None) == (code is None)
        if regex is not None:
            assert precompiled.from_code(code) == re.compile(*regex) == precompiled.compiled(regex, code)
    tok = Tokenizer(rules)
    assert tok.prefix.__self__ == re.compile(*rules.prefix)
    named = precompiled.to_code(r"(?P<year>\d{4})-(\d\d)", re.I)
    pattern = precompiled.from_code(named)
    assert pattern.match("2016-05").groupdict() == {"year": "2016"} and pattern.groups == 2
    damaged = replace(named, code=named.code[:-3])  # the engine refuses it: compiled from the text
    assert precompiled.from_code(damaged) == re.compile(r"(?P<year>\d{4})-(\d\d)", re.I)
    assert precompiled.compiled((r"\d+", 0), named) == re.compile(r"\d+")  # a code of another pattern is not used
