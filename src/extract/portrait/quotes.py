"""Stage 6a, quotes: a portrait's body → ``Quote`` records.

A quote opens with a quote mark at a line start or after the end of a
sentence, and closes at a quote mark followed by white space or the line end
(quotes nested inside it are followed). Its speaker is printed right after it
(``> Mr … - Role``, inline ``' Mr … - Role``, or a name whose role is on the
next bullet) or, failing that, on the line just before it. A quote left open
when its speaker comes is joined with an orphan fragment of the same portrait
that closes a quote (``promoting social inclusion.'``): the two pieces of a
quote split across a page. The quote and speaker text are claimed, so the
sections leave them out."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Container

import regex

from extract.portrait.context import Context
from extract.portrait.names import ParsedPerson, parse_person
from extract.read.layout import Shifted, logical_end, logical_start
from extract.read.textutil import last_word
from extract.types import Extracted, Quote, Span

MAX_QUOTE = 1500
_SENTENCE_END = ".!?:;"
_GAP = regex.compile(r"[ \t]*(?:\n[ \t]*)*")
_PARAGRAPH_BREAK = regex.compile(r"\n[ \t]*\n")
_PARAGRAPH_WORDS = 6
_WORD_AFTER = regex.compile(r"[ \t]+\S")
_SPACED_DASH = regex.compile(r"\s[-\u2013]\s")  # "Name - Role"


def _opens(t: str, i: int, opens: str, soft: Container[int]) -> int:
    """Whether a quote opens at ``i``: 2 at the start of a logical line or
    after a sentence; 1 at the start of a line wrapped into from the line
    above (a quote only if its speaker follows it); 0 not."""
    if t[i] not in opens or i + 1 >= len(t) or not t[i + 1].isupper():
        return 0
    k = i - 1  # the last character before the mark that is not a space or tab
    while k >= 0 and t[k] in " \t":
        k -= 1
    if k < 0 or t[k] in _SENTENCE_END or t[k] == ">":
        return 2
    if t[k] == "\n":
        j = k - 1
        while j >= 0 and t[j].isspace():
            j -= 1
        return 1 if k in soft and j >= 0 and t[j] not in _SENTENCE_END else 2
    return 0


def _marks(t: str, chars: str) -> list[int]:
    """The offsets in ``t`` of every character of ``chars``, in order."""
    out = []
    for c in set(chars):
        k = t.find(c)
        while k >= 0:
            out.append(k)
            k = t.find(c, k + 1)
    out.sort()
    return out


def _close(t: str, i: int, ctx: Context, soft: Container[int], marks: list[int]) -> int | None:
    """Offset of the quote mark closing the quote opened at ``i``. Only line
    ends and quote marks (``marks``: their offsets in ``t``) can close it or
    stop it, so only they are looked at."""
    opens, closes = ctx.rules.text.open_quotes, ctx.rules.text.close_quotes
    depth, stop = 1, min(len(t), i + MAX_QUOTE)
    for k in range(bisect_right(marks, i), len(marks)):
        j = marks[k]
        if j >= stop:
            break
        c = t[j]
        if c == "\n" and (_PARAGRAPH_BREAK.match(t, j) or any(h.pattern.match(t, j + 1) for h in ctx.rules.headings)):
            return None  # a quote does not run over a paragraph break or a heading
        if c in opens and t[j - 1] in " \t" and j + 1 < len(t) and t[j + 1].isupper():
            depth += 1
        elif c in closes and not t[j - 1].isspace() and (j + 1 == len(t) or t[j + 1] in " \t\n>"):
            # `citizens' lives` is a possessive, not the end of the quote,
            # unless a speaker follows (`… Learning Cities' Mr …`).
            possessive = t[j - 1] in "sS" and depth == 1 and _WORD_AFTER.match(t, j + 1) is not None
            if not possessive or _speaker_after(t, j + 1, ctx, soft) is not None:
                depth -= 1
                if depth == 0:
                    return j
    return None


def _speaker_after(t: str, k: int, ctx: Context, soft: Container[int]) -> tuple[ParsedPerson, int, int] | None:
    """Speaker printed from ``k`` on: (person, start, end) or None."""
    s = first = _GAP.match(t, k).end()
    marked = t.startswith(">", s)
    if marked:
        s += 1
    e = _shortest_speaker_end(t, s, logical_end(t, s, soft), ctx)
    line = " ".join(t[s:e].split())
    if not line.strip():
        return None
    honorific = ctx.rules.people.honorific_re.match(line.lstrip())
    if not (marked or honorific or _SPACED_DASH.search(line)):
        return None
    person = parse_person(line, ctx.rules.people)
    if person is None:
        return None
    if not person.person.role:
        # `Ms Ana Maria de Souza` then `- Mayor of X` on the next bullet.
        m2 = ctx.rules.text.next_dash_item_re.match(t, e)
        if m2:
            joined = parse_person(line + " - " + m2.group("rest"), ctx.rules.people)
            if joined and joined.person.role:
                return joined, first, m2.end()
        if not (marked or honorific):
            return None
    elif not (marked or honorific) and not ctx.rules.people.role_words & {person.person.role.split()[0].lower()}:
        return None
    return person, first, e


def _shortest_speaker_end(t: str, s: int, e: int, ctx: Context) -> int:
    """Where a speaker line from ``s`` ends: at the first line end before
    ``e`` (the end of the logical line) where the name already has a complete
    role and what follows reads as a paragraph (several words, a sentence's
    end), so that a paragraph wrapped into from a full speaker line is not
    taken as part of the role."""
    for cand in (i for i in range(s, e) if t[i] == "\n"):
        rest = t[cand + 1:e].split()
        if len(rest) < _PARAGRAPH_WORDS or not rest[-1].endswith((".", "!", "?", ".'", '."')):
            continue
        line = " ".join(t[s:cand].split())
        person = parse_person(line, ctx.rules.people) if line else None
        if person is None or not person.person.role:
            continue
        role = person.person.role.rstrip()
        goes_on = role.endswith((",", "-", "\u2013")) or last_word(role) in ctx.rules.text.continuation_words
        if not goes_on and not t[cand + 1:cand + 80].lstrip()[:1].islower():
            return cand
    return e


def _speaker_before(t: str, k: int, ctx: Context, soft: Container[int]) -> tuple[ParsedPerson, int, int] | None:
    """Speaker printed on the line(s) just before the quote at ``k``: the
    nearest line start, going back over wrapped lines, that opens a name."""
    head = t[:k].rstrip()
    floor = logical_start(head, len(head), soft)
    starts = [floor] + [i + 1 for i in range(floor, len(head)) if head[i] == "\n"]
    for s in reversed(starts):
        line = " ".join(head[s:].split())
        if line.startswith(">") or ctx.rules.people.honorific_re.match(line):
            person = parse_person(line, ctx.rules.people)
            if person is not None and person.person.role:
                return person, s, len(head)
    return None


def _orphans(t: str, taken: list[Span], ctx: Context) -> list[tuple[int, int]]:
    """Lines that close a quote never opened: the second piece of a split quote."""
    out = []
    for m in ctx.rules.text.closing_line_re.finditer(t):
        x = m.group("x")
        if any(s.start <= m.start("x") < s.end for s in taken) or any(x.startswith(c) for c in ctx.rules.text.open_quotes):
            continue
        out.append((m.start("x"), m.end("x")))
    return out


def extract_quotes(ctx: Context, start: int, end: int) -> Extracted:
    """Quotes in ``ctx.text[start:end]``; offsets in the document."""
    t = ctx.text[start:end]
    soft = Shifted(ctx.soft, start)
    quotes, claimed, findings, unclosed = [], [], [], []
    # where a quote may open (any opening quote mark: ``open_quote_re``), and what ends one
    starts = _marks(t, ctx.rules.text.open_quotes)
    marks = _marks(t, "\n" + ctx.rules.text.open_quotes + ctx.rules.text.close_quotes)
    i = 0
    while i < len(t):
        k = bisect_left(starts, i)
        if k == len(starts):
            break
        i = starts[k]
        strength = _opens(t, i, ctx.rules.text.open_quotes, soft)
        if not strength:
            i += 1
            continue
        j = _close(t, i, ctx, soft, marks)
        if j is None:
            qe = logical_end(t, i, soft)
            sp = _speaker_after(t, qe, ctx, soft)
            if sp is not None:
                unclosed.append((i, qe, sp))
                claimed += [Span(start + i, start + qe), Span(start + sp[1], start + sp[2])]
                i = sp[2]
            else:
                i += 1
            continue
        sp = _speaker_after(t, j + 1, ctx, soft) or (_speaker_before(t, i, ctx, soft) if strength == 2 else None)
        if sp is None:
            i = j + 1
            continue
        person, ss, se = sp
        quotes.append((i, j + 1, person, [Span(start + i + 1, start + j)], Span(start + ss, start + se)))
        claimed += [Span(start + i, start + j + 1), Span(start + ss, start + se)]
        i = max(j + 1, se)
    for qi, qe, sp in unclosed:
        pieces = [Span(start + qi + 1, start + qe)]
        for os_, oe in _orphans(t, claimed, ctx):
            pieces.append(Span(start + os_, start + oe - 1))
            claimed.append(Span(start + os_, start + oe))
            findings.append(ctx.finding("quote_rejoined", "quotes", f"quote@{qi + start}",
                                        "A quote split across the page was joined from two pieces.",
                                        ctx.text[start + os_:start + oe], start + os_, start + oe))
            break
        quotes.append((qi, qe, sp[0], pieces, Span(start + sp[1], start + sp[2])))
    records = []
    for pos, (_qi, _qe, person, pieces, said) in enumerate(sorted(quotes, key=lambda q: q[0]), 1):
        text = " ".join(" ".join(ctx.text[s.start:s.end].split()) for s in pieces)
        if person.name_rejoined:
            findings.append(ctx.finding("name_rejoined", "quotes", f"speaker:{pos}",
                                        f"The name was printed with spaced hyphens and read as {person.person.name!r}.",
                                        person.person.name))
        records.append(Quote(position=pos, text=text, speaker_honorific=person.person.honorific,
                             speaker=person.person.name, speaker_role=person.person.role,
                             char_start=pieces[0].start, char_end=pieces[0].end, spans=tuple(pieces),
                             rule="quote.speaker", speaker_char_start=said.start, speaker_char_end=said.end))
    return Extracted(tuple(records), tuple(claimed), tuple(findings))
