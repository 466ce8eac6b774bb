"""Text → tokens, as spaCy's English tokenizer makes them, in pure Python:
``Tokenizer(rules).tokens(text)``.

In: ``TokenizerRules`` (``rules/tokenizer.py``: spaCy's patterns and special
cases as data) and a text. Out: the start and the text of each token that is
not white space, exactly as ``spacy.blank("en").tokenizer(text)`` gives them
(tests/test_tokenize.py holds the two side by side).

spaCy's algorithm (``Tokenizer.__call__`` in its ``tokenizer.pyx``), ported:

1. The text is cut at white space into runs. A single space after a run
   belongs to that run's last token; any other white space is a token of its
   own (also a run), which the output leaves out but which still stands
   between two tokens.
2. Each run is looked up as a special case; else prefixes and suffixes are
   cut off it one at a time (stopping where what is left, or what is left
   without the affix just found, is a special case, or where ``token_match``
   takes it whole), then what remains is a special case, a token of
   ``token_match`` or ``url_match``, or split at its infixes (one at its
   start is not split off). A run gives the same tokens wherever it stands,
   so they are cached: the text is split at single spaces, and each piece
   between (a run, or runs with other white space between them) is looked up
   by its text, so a repeated word costs a lookup.
3. A last pass over the whole text finds the token sequences of the special
   cases that hold an affix or a space (as step 2 splits them without
   special cases); of overlapping ones the longest (then first) wins, and
   where the text it covers is a special case, its tokens replace them. The
   cache also holds where such a sequence starts and ends in each piece or
   runs on past its end, so that the pass follows only those.

``Tokenizer.chunked(text)`` gives the same tokens chunk by chunk, from a
cache of each chunk's tokens alone: step 3 crosses no gap but a single
space, and a special phrase across one retokenizes nothing (no special case
longer than a character holds a space) but may keep one inside a chunk from
being retokenized; where two chunks meet with two words of a phrase (the
last token of one, the first of the next), they are tokenized with as many
chunks on each side as a phrase may reach."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate, compress, count
from operator import add, contains, itemgetter

from extract.rules.precompiled import compiled
from extract.rules.tokenizer import TokenizerRules

_WHITE = re.compile(r"(\s+)")  # \s is str.isspace, as spaCy's test of white space
_RUN = re.compile(r"\S+")
_END = ""  # the key that ends a special phrase in the trie (no token is empty)
# A chunk's tokens: their offsets in it, their texts; the positions of the
# first tokens of special phrases that end in it and of those still open at
# its end, the tokens that would carry these on, its first token (None when
# white space starts it).
Entry = tuple[tuple[int, ...], tuple[str, ...], tuple[int, ...], tuple[int, ...], frozenset[str], str | None]
_NOTHING: frozenset[str] = frozenset()
_EMPTY: Entry = ((), (), (), (), _NOTHING, None)
# A chunk's tokens alone: offsets, texts, lower-case texts; before step 3, its
# last (if it ends the chunk and a special phrase goes on) and first token (if it may carry one on).
Alone = tuple[tuple[int, ...], tuple[str, ...], tuple[str, ...], str | None, str | None]


def phrases_to_trie(phrases: Iterable[tuple[str, ...]]) -> dict:
    """Token sequences → nested dicts keyed by token text, ``_END`` where one ends."""
    trie: dict = {}
    for words in phrases:
        node = trie
        for word in words:
            node = node.setdefault(word, {})
        node[_END] = True
    return trie


class Tokenizer:
    """``TokenizerRules`` compiled, with a cache of the chunks tokenized so
    far (at most ``most``): a chunk's text → its ``Entry``. A special phrase
    of one token that is its own special case changes nothing and is left
    out. ``spaced``: whether a special phrase holds a white-space token; then
    white space is tokenized too, as spaCy does, and a chunk is a run or the
    white space between two runs; otherwise a white-space token only stands
    between two tokens, none is kept, and a chunk is the text between two
    single spaces (a run, or runs with the white space between them)."""

    def __init__(self, rules: TokenizerRules, most: int = 100_000, spaced: bool | None = None):
        codes = rules.compiled or (None,) * 5
        prefix, suffix, infix, token_match, url_match = (
            compiled(r, c) for r, c in zip((rules.prefix, rules.suffix, rules.infix, rules.token_match,
                                             rules.url_match), codes))
        self.prefix = prefix.search if prefix else None
        self.suffix = suffix.search if suffix else None
        self.infix = infix.finditer if infix else None
        self.token_match = token_match.match if token_match else None
        self.url_match = url_match.match if url_match else None
        self.specials = rules.specials
        phrases = [p for p in rules.special_phrases if not (len(p) == 1 and tuple(rules.specials.get(p[0], ())) == p)]
        self.trie = phrases_to_trie(phrases)
        self.spaced = any(w.isspace() for p in phrases for w in p) if spaced is None else spaced
        self.cache: dict[str, Entry] = {}
        self.most = most
        self.alone: dict[str, Alone] = {}
        self.reach = max(map(len, phrases), default=1) - 1  # chunks a special phrase runs on past its first
        self.local = not any(" " in t and len(t) > 1 for t in rules.specials)
        self.pairs: dict[str, set[str]] = {}  # a word of a special phrase → the words after it
        for p in phrases:
            for a, b in zip(p, p[1:]):
                self.pairs.setdefault(a, set()).add(b)
        self.followers = frozenset().union(*self.pairs.values())  # the words that carry one on

    # --- one run ----------------------------------------------------------------

    def split_affixes(self, text: str) -> tuple[list[str], str, list[str]]:
        """Prefixes cut off ``text`` (in order), what is left, suffixes (last first)."""
        specials, token_match = self.specials, self.token_match
        prefixes: list[str] = []
        suffixes: list[str] = []
        last = -1
        while text and len(text) != last:
            if token_match and token_match(text):
                break
            if text in specials:
                break
            last = len(text)
            pre = self.find_prefix(text)
            if pre:
                rest = text[pre:]
                if rest and rest in specials:
                    prefixes.append(text[:pre])
                    text = rest
                    break
            suf = self.find_suffix(text[pre:])
            if suf:
                rest = text[:-suf]
                if rest and rest in specials:
                    suffixes.append(text[-suf:])
                    text = rest
                    break
            if pre and suf and pre + suf <= len(text):
                prefixes.append(text[:pre])
                suffixes.append(text[-suf:])
                text = text[pre:-suf]
            elif pre:
                prefixes.append(text[:pre])
                text = text[pre:]
            elif suf:
                suffixes.append(text[-suf:])
                text = text[:-suf]
        return prefixes, text, suffixes

    def find_prefix(self, text: str) -> int:
        match = self.prefix(text) if self.prefix else None
        return match.end() - match.start() if match is not None else 0

    def find_suffix(self, text: str) -> int:
        match = self.suffix(text) if self.suffix else None
        return match.end() - match.start() if match is not None else 0

    def core_to_words(self, text: str) -> list[str]:
        """What is left of a run without its affixes → its tokens."""
        if text in self.specials:
            return list(self.specials[text])
        if (self.token_match and self.token_match(text)) or (self.url_match and self.url_match(text)):
            return [text]
        matches = list(self.infix(text)) if self.infix else []
        if not matches:
            return [text]
        words, start = [], 0
        for match in matches:
            a, b = match.start(), match.end()
            if a == 0:  # spaCy never splits an infix off the start
                continue
            if a != start:
                words.append(text[start:a])
            if a != b:
                words.append(text[a:b])
            start = b
        if text[start:]:
            words.append(text[start:])
        return words

    def run_to_words(self, run: str) -> list[str]:
        """One run (no white space in it, or only white space) → its tokens."""
        if run in self.specials:
            return list(self.specials[run])
        prefixes, core, suffixes = self.split_affixes(run)
        return prefixes + (self.core_to_words(core) if core else []) + suffixes[::-1]

    def entry_of(self, chunk: str) -> Entry:
        """A chunk → its cache entry (see the class docstring)."""
        if not chunk or (chunk.isspace() and not self.spaced):
            return _EMPTY
        if self.spaced or chunk.split() == [chunk]:  # one run
            words = self.run_to_words(chunk)
            if words == [chunk] and chunk not in self.trie:
                return (0,), (chunk,), (), (), _NOTHING, chunk
            return self.words_to_entry(chunk, list(accumulate(map(len, words[:-1]), initial=0)), words)
        offsets: list[int] = []
        words = []
        for match in _RUN.finditer(chunk):
            run = match.group()
            entry = self.cache.get(run) or self.remember(run)
            offsets += [match.start() + at for at in entry[0]]
            words += entry[1]
        return self.words_to_entry(chunk, offsets, words)

    def words_to_entry(self, chunk: str, offsets: list[int], words: list[str]) -> Entry:
        """A chunk's tokens (their offsets in it and texts) → its cache entry.
        The special phrases that start in the chunk are followed as far as
        the chunk goes: where one ends in it, its first token is in
        ``inner``; where one is still open at the chunk's end (its last
        token the chunk's last character), its first token is in ``open``
        and the tokens that would carry it on are in ``needs``. In spaCy's
        way with white space (``spaced``) every first token is in ``inner``."""
        if not words:
            return _EMPTY
        trie, inner, open_, needs = self.trie, [], [], set()
        head = words[0] if offsets[0] == 0 else None
        for f, word in enumerate(words):
            node = trie.get(word)
            if node is None:
                continue
            if self.spaced:
                inner.append(f)
                continue
            j, end, ended = f + 1, offsets[f] + len(word), _END in node
            while j < len(words) and offsets[j] == end:  # no white space in between
                node = node.get(words[j])
                if node is None:
                    break
                ended = ended or _END in node
                end += len(words[j])
                j += 1
            if ended:
                inner.append(f)
            elif node is not None and j == len(words) and end == len(chunk):
                open_.append(f)
                needs.update(k for k in node if k != _END)
        return tuple(offsets), tuple(words), tuple(inner), tuple(open_), frozenset(needs), head

    # --- a whole text -------------------------------------------------------------

    def tokens(self, text: str) -> tuple[list[int], list[str]]:
        """The starts and texts of the tokens of ``text`` that are not white space."""
        chunked = self.chunked(text)
        if chunked is None:
            return self.tokens_together(text)
        return [o + r for o, a in zip(*chunked) for r in a[0]], [w for a in chunked[1] for w in a[1]]

    def chunked(self, text: str) -> tuple[list[int], list[Alone]] | None:
        """Each chunk's start in ``text`` and its tokens (module docstring);
        None when ``spaced`` or a special case of a space and more."""
        if self.spaced or not self.local:
            return None
        chunks = text.split(" ")
        alone = list(map(self.alone.get, chunks))
        if not all(alone):  # each is a non-empty tuple; each new chunk is read once
            new = {c: self.chunk_alone(c) for c in set(chunks).difference(self.alone)}
            alone = (list(map(self.alone.get, chunks)) if new.keys() <= self.alone.keys()
                     else [a if a is not None else new[c] for c, a in zip(chunks, alone)])
        offsets = list(map(add, accumulate(map(len, chunks), initial=0), count()))
        meets = [(j - 1, alone[j - 1][3], alone[j][4]) for j in compress(count(), map(itemgetter(4), alone)) if j]
        for k, last, first in meets:
            if last is not None and first in self.pairs[last]:
                self.retokenize(text, chunks, offsets, alone, offsets[k + 1] - 1 - len(last), offsets[k + 1] + len(first))
        return offsets, alone

    def retokenize(self, text: str, chunks: list[str], offsets: list[int], alone: list[Alone],
                   start: int, end: int) -> None:
        """The chunks ``text[start:end]`` touches, in ``alone``, given their
        tokens in the text from ``reach`` chunks before to ``reach`` after."""
        k0, k1 = bisect_right(offsets, start) - 1, bisect_right(offsets, end - 1) - 1
        lo, hi = max(0, k0 - self.reach), min(len(chunks) - 1, k1 + self.reach)
        base = offsets[lo]
        starts, words = self.tokens_together(text[base:offsets[hi] + len(chunks[hi])])
        for k in range(k0, k1 + 1):
            at = offsets[k] - base
            i, j = bisect_left(starts, at), bisect_left(starts, at + len(chunks[k]))
            alone[k] = (tuple(s - at for s in starts[i:j]), tuple(words[i:j]), tuple(map(str.lower, words[i:j])),
                        None, None)

    def chunk_alone(self, chunk: str) -> Alone:
        """A chunk's tokens as it has them alone, cached while the cache
        holds fewer than ``most``."""
        entry = self.cache.get(chunk) or self.remember(chunk)
        offsets, words = entry[0], entry[1]
        last = words[-1] if words and offsets[-1] + len(words[-1]) == len(chunk) and words[-1] in self.pairs else None
        first = words[0] if words and offsets[0] == 0 and words[0] in self.followers else None
        if entry[2]:  # a special phrase ends in it: the last pass may change its tokens
            starts, together = self.tokens_together(chunk)
            alone = (tuple(starts), tuple(together), tuple(map(str.lower, together)), last, first)
        else:
            alone = (offsets, words, tuple(map(str.lower, words)), last, first)
        if len(self.alone) < self.most:
            self.alone[chunk] = alone
        return alone

    def tokens_together(self, text: str) -> tuple[list[int], list[str]]:
        """``tokens``, the text read as a whole (steps 1 to 3 of the module
        docstring)."""
        if self.spaced:
            chunks, offsets = self.runs_of(text)
        else:  # the text between single spaces: a run, or runs with the white space between them
            chunks = text.split(" ")
            offsets = list(map(add, accumulate(map(len, chunks), initial=0), count()))
        cache = self.cache
        entries = list(map(cache.get, chunks))
        if not all(entries):  # an entry is a non-empty tuple; each new chunk is read once
            new = {c: self.remember(c) for c in set(chunks).difference(cache)}
            entries = [e if e is not None else new[c] for c, e in zip(chunks, entries)]
        starts = [o + r for o, e in zip(offsets, entries) for r in e[0]]
        words = [w for e in entries for w in e[1]]
        # the tokens a special phrase may start at: those of one that ends in
        # its chunk, and those of one still open where the next chunk (after a
        # single space) starts with a token that carries it on
        inner = list(compress(count(), map(itemgetter(2), entries)))
        heads = list(map(itemgetter(5), entries))
        heads.append(None)
        carried = list(compress(count(), map(contains, map(itemgetter(4), entries), heads[1:])))
        if inner or carried:
            bases = list(accumulate(map(len, map(itemgetter(1), entries)), initial=0))
            firsts = [bases[k] + f for k in inner for f in entries[k][2]]
            firsts += [bases[k] + f for k in carried for f in entries[k][3]]
            starts, words = self.apply_special_phrases(text, starts, words, firsts)
        if self.spaced:
            kept = [k for k, w in enumerate(words) if not w.isspace()]
            starts, words = [starts[k] for k in kept], [words[k] for k in kept]
        return starts, words

    def remember(self, chunk: str) -> Entry:
        """``entry_of(chunk)``, cached while the cache holds fewer than ``most``."""
        entry = self.entry_of(chunk)
        if len(self.cache) < self.most:
            self.cache[chunk] = entry
        return entry

    @staticmethod
    def runs_of(text: str) -> tuple[list[str], list[int]]:
        """The runs of ``text``, white space included less a single space
        after a run (as spaCy cuts a text), and their offsets."""
        parts = _WHITE.split(text)  # runs at even places, white space at odd ones
        offsets = list(accumulate(map(len, parts), initial=0))
        for k in range(1, len(parts), 2):
            if parts[k][0] == " " and (k > 1 or parts[0]):
                parts[k] = parts[k][1:]
                offsets[k] += 1
        return parts, offsets[:-1]

    def apply_special_phrases(self, text: str, starts: list[int], words: list[str],
                              firsts: list[int]) -> tuple[list[int], list[str]]:
        """spaCy's last pass (step 3 of the module docstring): every match of a
        special phrase (its tokens one after the other, no white-space token
        between them); of overlapping ones the longest, then the first, kept
        (a match is dropped when its first or last token lies in one seen
        before, and every match seen marks its tokens); each kept match whose
        text is a special case retokenized as that case."""
        n, found, trie = len(starts), [], self.trie
        for i in firsts:
            node, j, end = trie[words[i]], i + 1, starts[i] + len(words[i])
            while True:
                if _END in node:
                    found.append((i, j))
                if j == n:
                    break
                gap = starts[j] - end
                if gap and (gap > 1 or text[end] != " "):
                    break  # white space between that is a token
                node = node.get(words[j])
                if node is None:
                    break
                end = starts[j] + len(words[j])
                j += 1
        seen: set[int] = set()
        kept = []
        for i, j in sorted(set(found), key=lambda m: (m[0] - m[1], m[0])):
            if i not in seen and j - 1 not in seen:
                kept.append((i, j))
            seen.update(range(i, j))
        edits = []
        for i, j in sorted(kept):
            special = self.specials.get(text[starts[i]:starts[j - 1] + len(words[j - 1])])
            if special is not None and tuple(special) != tuple(words[i:j]):
                edits.append((i, j, special))
        if not edits:
            return starts, words
        new_starts: list[int] = []
        new_words: list[str] = []
        at = 0
        for i, j, special in edits:
            new_starts += starts[at:i]
            new_words += words[at:i]
            pos = starts[i]
            for word in special:
                if not word.isspace():  # white space is no token here
                    new_starts.append(pos)
                    new_words.append(word)
                pos += len(word)
            at = j
        return new_starts + starts[at:], new_words + words[at:]
