"""Pieces of text → the theme rules they match: ``pieces_to_spans``.

In: a ``ThemeMatcher`` (``rules/themes.py``) and pieces of text. Out, for
each piece, ``(label, rule, start, end)`` of every match of a phrase or a
token pattern (offsets in the piece), each once: what spaCy's ``SpanRuler``
with the same rules finds on the piece's tokens, white space (line breaks
included) not being a token, so that a phrase matches across a wrapped line.
No spaCy at run time: the tokens are spaCy's English tokenizer's
(``tokenize.py``) and the token patterns are matched as spaCy's ``Matcher``
matches them (``tokenmatch.py``), both in pure Python.

How, at the speed of a phrase matcher. The pieces are tokenized together,
joined by line breaks, in batches: the tokenizer splits text at white space
and reads each stretch between on its own, so a line break between two
pieces gives each piece the tokens it has alone. A phrase is looked up by
its tokens in a table, at the tokens that start one. A token pattern is
tried only in windows around the words it cannot match without (its anchor
rarest in the batch), each window as wide as the pattern's reach and inside
one piece; a pattern without anchor or reach is tried on every piece whole.
The matcher finds every match in a window, and every match of a pattern
lies in the window of the anchor word it holds."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import accumulate, chain, compress, count
from operator import itemgetter
from typing import Any

from extract.enrich.tokenize import Tokenizer
from extract.enrich.tokenmatch import step_to_check, words_to_matches
from extract.rules.themes import Anchor, ThemeMatcher, TokenPattern

BATCH_CHARS = 200_000
Span = tuple[str, str, int, int]


def pieces_to_spans(matcher: ThemeMatcher, pieces: Sequence[str], batch_chars: int = BATCH_CHARS) -> list[list[Span]]:
    """Every rule match in each of ``pieces`` (see the module docstring),
    ordered by start, end, label and rule."""
    out: list[list[Span]] = []
    for batch in pieces_to_batches(pieces, batch_chars, matcher.joinable):
        out += batch_to_spans(matcher, batch)
    return out


def pieces_to_batches(pieces: Sequence[str], most: int, join: bool) -> Iterator[list[str]]:
    """Consecutive pieces in batches of about ``most`` characters (one piece
    a batch when they may not be joined)."""
    if join and pieces and sum(map(len, pieces)) + len(pieces) <= most:
        yield list(pieces)  # all in one: no piece would start a batch
        return
    batch: list[str] = []
    size = 0
    for piece in pieces:
        if batch and (not join or size + len(piece) > most):
            yield batch
            batch, size = [], 0
        batch.append(piece)
        size += len(piece) + 1
    if batch:
        yield batch


def tokenizer_of(matcher: ThemeMatcher) -> Tokenizer:
    """The matcher's tokenizer, compiled on first use and kept in its memo
    (with the runs it has tokenized)."""
    if matcher.memo.tokenizer is None:
        matcher.memo.tokenizer = Tokenizer(matcher.tokenizer, matcher.memo.most)
    return matcher.memo.tokenizer


def checks_of(matcher: ThemeMatcher) -> dict[int, list]:
    """Each token pattern's steps as checks of a token (``id`` of the
    pattern → one check a step), compiled on first use and kept in the memo."""
    if not matcher.memo.checks:
        matcher.memo.checks.update({id(p): [step_to_check(s, matcher.lexicon) for s in p.steps]
                                    for p in matcher.patterns})
    return matcher.memo.checks


class Tokens:
    """The tokens of a batch of pieces joined by line breaks, white space
    left out: ``words_in(i, j)`` (their texts), ``lower`` (their lower-case texts),
    ``start(i)`` and ``end(i)`` (offsets in the joined text); piece ``k``
    holds the tokens from ``firsts[k]`` to ``firsts[k + 1]`` and starts at
    ``piece_starts[k]`` of the joined text. Tokens come chunk by chunk from
    the tokenizer's cache where it can give them so (``Tokenizer.chunked``),
    the offsets then found only for the tokens asked about."""

    def __init__(self, matcher: ThemeMatcher, batch: list[str]):
        text, tokenizer = "\n".join(batch), tokenizer_of(matcher)
        self.piece_starts = list(accumulate((len(p) + 1 for p in batch[:-1]), initial=0))
        chunked = tokenizer.chunked(text)
        if chunked is None:
            starts, self.words = tokenizer.tokens_together(text)
            self.offsets, self.alone, self.bases = [0], [(tuple(starts),)], [0, len(starts)]
            self.lower = list(map(str.lower, self.words))
        else:
            self.offsets, self.alone = chunked
            self.words = None  # read from the chunks where asked for (``words_in``)
            self.lower = list(chain.from_iterable(map(itemgetter(2), self.alone)))
            self.bases = list(accumulate(map(len, map(itemgetter(1), self.alone)), initial=0))
        self.firsts = [self.first_at(s) for s in self.piece_starts] + [len(self.lower)]

    def start(self, i: int) -> int:
        """Where token ``i`` starts in the joined text."""
        k = bisect_right(self.bases, i) - 1
        return self.offsets[k] + self.alone[k][0][i - self.bases[k]]

    def end(self, i: int) -> int:
        """Where token ``i`` ends in the joined text."""
        if self.words is not None:
            return self.start(i) + len(self.words[i])
        k = bisect_right(self.bases, i) - 1
        starts, words = self.alone[k][0], self.alone[k][1]
        return self.offsets[k] + starts[i - self.bases[k]] + len(words[i - self.bases[k]])

    def words_in(self, i: int, j: int) -> list[str]:
        """The texts of tokens ``i`` to ``j``."""
        if self.words is not None:
            return self.words[i:j]
        out: list[str] = []
        k = bisect_right(self.bases, i) - 1
        while i < j:  # chunk by chunk
            base = self.bases[k]
            out += self.alone[k][1][i - base:j - base]
            k += 1
            i = self.bases[k]
        return out

    def first_at(self, at: int) -> int:
        """The first token that starts at or after offset ``at``."""
        k = bisect_right(self.offsets, at) - 1
        return self.bases[k] + bisect_left(self.alone[k][0], at - self.offsets[k])

    def piece_of(self, i: int) -> int:
        """The piece that holds token ``i``."""
        return bisect_right(self.firsts, i) - 1


def batch_to_spans(matcher: ThemeMatcher, batch: list[str]) -> list[list[Span]]:
    """Every rule match in each piece of one batch."""
    tokens = Tokens(matcher, batch)
    found: set[tuple[int, int, str, str]] = set()  # token from, token to, label, rule
    lengths, seconds, phrases, lower = matcher.lengths, matcher.seconds, matcher.phrases, tokens.lower
    last = len(lower) - 1
    for i in compress(count(), map(lengths.__contains__, lower)):
        w = lower[i]
        longer = i < last and lower[i + 1] in seconds[w]
        for n in lengths[w]:
            if n == 1 or longer:
                for label, rule in phrases.get((w,) if n == 1 else tuple(lower[i:i + n]), ()):
                    found.add((i, i + n, label, rule))
    checks = checks_of(matcher)
    for pattern, windows in patterns_to_windows(matcher, tokens):
        for w0, w1 in windows:
            for s, e in words_to_matches(pattern.steps, checks[id(pattern)], tokens.words_in(w0, w1), lower[w0:w1]):
                found.add((w0 + s, w0 + e, pattern.label, pattern.rule))
    out: list[list[Span]] = [[] for _ in batch]
    firsts, k = tokens.firsts, 0
    for i, j, label, rule in sorted(found):
        while firsts[k + 1] <= i:
            k += 1
        if j <= firsts[k + 1]:  # a phrase may run on into the next piece
            base = tokens.piece_starts[k]
            out[k].append((label, rule, tokens.start(i) - base, tokens.end(j - 1) - base))
    return out


def regex_words(matcher: ThemeMatcher, counts: Counter) -> dict[Any, set[str]]:
    """Each regular-expression anchor → the words of the batch (``counts``)
    it matches; words tried before are looked up in the memo."""
    memo = matcher.memo
    regexes = {a for p in matcher.patterns for a in p.anchors if not isinstance(a, frozenset)}
    new = counts.keys() - memo.tried
    fresh = {a: {w for w in new if a.search(w)} for a in regexes}
    if len(memo.tried) + len(new) <= memo.most:
        memo.tried |= new
        for a, words in fresh.items():
            memo.matching.setdefault(a, set()).update(words)
    return {a: fresh[a] | (counts.keys() & memo.matching.get(a, set())) for a in regexes}


def patterns_to_windows(matcher: ThemeMatcher, tokens: Tokens) -> list[tuple[TokenPattern, list[tuple[int, int]]]]:
    """Each token pattern with the token ranges it is tried on: around each
    occurrence of its anchor rarest in the batch, as far as its reach and
    inside the occurrence's piece, overlapping ranges merged; every piece
    whole when it has no anchor or no reach; none when an anchor is missing."""
    counts = Counter(tokens.lower)
    by_regex = regex_words(matcher, counts)

    def words_of(anchor: Anchor) -> set[str]:
        return {w for w in anchor if w in counts} if isinstance(anchor, frozenset) else by_regex[anchor]

    chosen: list[tuple[TokenPattern, set[str] | None, list[set[str]]]] = []  # None: every piece whole
    for pattern in matcher.patterns:
        present = [words_of(a) for a in pattern.anchors]
        if all(present):
            rarest = min(present, key=lambda ws: sum(counts[w] for w in ws)) if present else None
            chosen.append((pattern, rarest if pattern.reach is not None else None,
                           [ws for ws in present if ws is not rarest]))
    wanted = set().union(*(ws for _, ws, _ in chosen if ws))
    at: dict[str, list[int]] = {}
    for i in compress(count(), map(wanted.__contains__, tokens.lower)):
        at.setdefault(tokens.lower[i], []).append(i)
    out = []
    for pattern, rarest, others in chosen:
        if rarest is None:
            out.append((pattern, [(a, b) for a, b in zip(tokens.firsts, tokens.firsts[1:]) if b > a]))
            continue
        windows: list[tuple[int, int]] = []
        reach = pattern.reach or 0
        for i in sorted(i for w in rarest for i in at[w]):
            k = tokens.piece_of(i)
            w0, w1 = max(tokens.firsts[k], i - reach + 1), min(tokens.firsts[k + 1], i + reach)
            if others and not all(ws.intersection(tokens.lower[w0:w1]) for ws in others):
                continue  # another word the pattern needs is not within reach
            if windows and w0 < windows[-1][1]:
                windows[-1] = (windows[-1][0], max(windows[-1][1], w1))
            else:
                windows.append((w0, w1))
        out.append((pattern, windows))
    return out
