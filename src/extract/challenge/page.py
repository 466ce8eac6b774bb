"""Challenge pages: a ``Document`` → one ``ChallengePage``.

A challenge page (a web page of the learning-city network where a city posts
a challenge) prints an optional breadcrumb, the title, a line of Sustainable
Development Goals, a description, then labelled parts (challenge, expected
impact, target groups, deadline), each running to the next label. Vocabulary
is in ``rules/challenges.yaml``.

- Before the first label, paragraphs (lines, if there is no blank line, a
  line in lower case going on the one before): the title (else the
  breadcrumb's), the goals (the first paragraph naming a goal with at most a
  few words between goals, reported as unknown goals), the description.
- The city is the ``known`` city (of other documents of the batch) named most,
  a title mention counting ten; else the run of capitalised title words, not
  generic words nor a country, that the text repeats most, in the country the
  text names most.
- Target groups are cut at separators (``,`` ``;``) and bulleted lines, never
  at a bare ``and``: it joins two groups (``parents and pupils``) as often as
  two words of one (``Formal and informal education institutions and NGOs``).
  A connector right after a separator (``A, B, and C``) is dropped.
- The deadline is the earliest match of a date rule that is a real date.

Values are read from ``match_text``, white space squashed, paragraphs joined
by a new line; spans are the trimmed source in ``doc.text``."""
from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

import regex

from extract.findings import make_finding
from extract.portrait.places import city_id, country_code
from extract.read.textutil import fold_key, lines_of, squash
from extract.rules import DocumentRules, PlaceRules, Rules, Severity, TextRules
from extract.rules.base import phrase_re
from extract.rules.challenges import ChallengeRules, sdg_key
from extract.types import ChallengePage, Document, Item, Sdg, Span

_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'-]*")
_NAME = regex.compile(r"[\p{L}\p{M}' -]+")
_BLANK_LINE = regex.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class ChallengePageRules:
    """What reading a challenge page needs: its own rules, list markers,
    city and country names, month names and the finding catalogue."""

    challenges: ChallengeRules
    text: TextRules
    places: PlaceRules
    document: DocumentRules
    findings: dict[str, Severity]

    @classmethod
    def of(cls, rules: Rules) -> ChallengePageRules:
        return cls(rules.challenges, rules.text, rules.places, rules.document, rules.findings)


_PARTS = ("title", "sdgs", "description", "challenge", "expected_impact", "target_groups", "deadline")


def trim(text: str, start: int, end: int, chars: str = " \t\n") -> Span | None:
    """``[start, end)`` without ``chars`` at either end; None if nothing is left."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return Span(start, end) if end > start else None


def span_to_text(text: str, span: Span | None) -> str:
    """The text of ``span``, each paragraph squashed onto one line."""
    paragraphs = (squash(p) for p in _BLANK_LINE.split(text[span.start:span.end] if span else ""))
    return "\n".join(p for p in paragraphs if p)


def text_to_paragraphs(text: str, start: int, end: int) -> list[Span]:
    """The paragraphs of ``text[start:end]``. Without blank lines in it, a
    line goes on the one before only if it starts in lower case (wrapped)."""
    lines = [Span(ln.start, ln.end) for ln in lines_of(text, start, end) if not ln.blank]
    blank = any(text.count("\n", a.end, b.start) > 1 for a, b in zip(lines, lines[1:]))
    paras: list[Span] = []
    for ln in lines:
        joined = paras and text.count("\n", paras[-1].end, ln.start) < 2 and (
            blank or text[ln.start:ln.end].lstrip()[:1].islower())
        paras[-1:] = [Span(paras[-1].start, ln.end)] if joined else paras[-1:] + [ln]
    return paras


def gap_to_pieces(text: str, start: int, end: int, ch: ChallengeRules) -> list[Span]:
    """The pieces of ``text[start:end]`` between separators, connectors left out."""
    out, pos = [], start
    for m in [*ch.sdg_separator_re.finditer(text, start, end), None]:
        piece = trim(text, pos, m.start() if m else end)
        if piece and text[piece.start:piece.end].casefold() not in ch.connectors:
            out.append(piece)
        pos = m.end() if m else end
    return out


def span_to_goals(text: str, span: Span, ch: ChallengeRules) -> tuple[list, list[Span]] | None:
    """(number, match) of the goals a paragraph of goals names and the pieces
    naming no goal; None if it is no paragraph of goals."""
    goals, unknown, cursor, named = [], [], span.start, 0
    for m in ch.sdg_re.finditer(text, span.start, span.end):
        unknown += gap_to_pieces(text, cursor, m.start(), ch)
        cursor, named = m.end(), named + 1
        number = int(m["number"]) if m["number"] else ch.sdg_names[sdg_key(m["alone"])]
        if 1 <= number <= 17:
            goals.append((number, m))
        else:
            unknown.append(Span(*m.span()))
    unknown += gap_to_pieces(text, cursor, span.end, ch)
    if not named or any(len(text[s.start:s.end].split()) > ch.max_unknown_words for s in unknown):
        return None
    return goals, unknown


def goals_to_sdgs(doc: Document, goals: list, ch: ChallengeRules) -> tuple[Sdg, ...]:
    """One ``Sdg`` per goal number, the first printed kept."""
    by_number, out = {s.number: s for s in ch.sdgs}, {}
    for number, m in goals:
        rule = ch.sdg_number_id if m["number"] else by_number[number].id
        out.setdefault(number, Sdg(number, by_number[number].name, doc.text[m.start():m.end()],
                                   m.start(), m.end(), rule))
    return tuple(out.values())


def text_to_breadcrumb(text: str, ch: ChallengeRules) -> tuple[Span | None, int]:
    """The breadcrumb's title and where the text after the breadcrumb starts:
    where the title is printed again, if it is, else after the breadcrumb."""
    crumb = ch.breadcrumb_re.match(text, len(text) - len(text.lstrip()))
    if crumb is None:
        return None, 0
    words = text[crumb.start("title"):crumb.end("title")].split("\n")[0].split()
    again = regex.search(rf"^[ \t]*{phrase_re(' '.join(words))}", text, regex.M, pos=crumb.end()) if words else None
    end = again.start() if again else crumb.end()
    return trim(text, crumb.start("title"), end), end


def text_to_labels(text: str, ch: ChallengeRules, start: int) -> list[tuple[str, str, int, int]]:
    """(part, rule id, label start, text start) of each part's first label
    after ``start`` (the longest on a tie), in printed order."""
    found: dict[str, tuple[str, str, int, int]] = {}
    for p in ch.parts:
        m = p.pattern.search(text, start)
        old = found.get(p.part)
        if m and (old is None or (m.start("h"), -m.end()) < (old[2], -old[3])):
            found[p.part] = (p.part, p.id, m.start("h"), m.end())
    return sorted(found.values(), key=lambda f: f[2])


def match_to_date(m, months: tuple[str, ...]) -> str:
    """The ISO date of a date-rule match, or ``""`` if it is no real date."""
    month, word = m["month"], m["month"].casefold().rstrip(".")
    if not month.isdigit():
        month = next((i for i, name in enumerate(months, 1) if len(word) >= 3 and name.startswith(word)), 0)
    try:
        return datetime.date(int(m["year"]), int(month), int(m["day"])).isoformat()
    except ValueError:
        return ""


def body_to_deadline(text: str, span: Span | None, rules: ChallengePageRules) -> tuple[str, Span | None, str]:
    """(ISO date, span of the date as printed, date rule id) of the deadline
    part; no date and the span of its first line if no rule reads it."""
    if span is None:
        return "", None, ""
    found = sorted(((m.start(), -m.end(), rid, m) for rid, pattern in rules.challenges.dates
                    for m in pattern.finditer(text, span.start, span.end)), key=lambda f: f[:3])
    for _, _, rid, m in found:
        if iso := match_to_date(m, rules.document.months):
            return iso, Span(*m.span()), rid
    line = lines_of(text, span.start, span.end)[0]
    return "", Span(*found[0][3].span()) if found else trim(text, line.start, line.end), ""


def body_to_groups(text: str, span: Span | None, rules: ChallengePageRules) -> tuple[Item, ...]:
    """The target groups: a chunk per bulleted line (else one), cut at the separators."""
    ch, chunks, items = rules.challenges, [], []
    for line in lines_of(text, span.start, span.end) if span else ():
        m = rules.text.bullet_re.match(line.text)
        if m or not chunks:
            chunks.append([m["marker"].strip() if m else "", m["marker"] if m else "",
                           line.start + (m.end() if m else 0), line.end])
        chunks[-1][3] = line.end
    for marker, marker_raw, start, end in chunks:
        pos = start
        for m in [*ch.group_separator_re.finditer(text, start, end), None]:
            piece = trim(text, pos, m.start() if m else end, " \t\n.:")
            words = text[piece.start:piece.end].split(None, 1) if piece else []
            if pos > start and len(words) == 2 and words[0].casefold() in ch.connectors:
                piece = trim(text, piece.start + len(words[0]), piece.end)
            if piece:
                first = pos == start
                items.append(Item(section="target_groups", position=len(items) + 1,
                                  marker=marker if first else "", marker_raw=marker_raw if first else "",
                                  level=1, text=squash(text[piece.start:piece.end]), char_start=piece.start,
                                  char_end=piece.end, rule=ch.group_separator_id))
            pos = m.end() if m else end
    return tuple(items)


def plain(s: str) -> str:
    """``s`` without accents, of the same length."""
    return "".join(unicodedata.normalize("NFD", c)[0] for c in s)


def name_to_spans(plained: str, name: str, start: int = 0) -> list[Span]:
    """Where ``plained`` (a ``plain`` text) names ``name`` as whole words."""
    pattern = regex.compile(rf"(?<![\p{{L}}\p{{N}}]){phrase_re(plain(name))}(?![\p{{L}}\p{{N}}])")
    return [Span(*m.span()) for m in pattern.finditer(plained, start)]


def known_to_city(plained: str, title: Span | None, known, rules: ChallengePageRules):
    """((city, country, code), first span, evidence) of the known city named most, or None."""
    best = None
    for city, country, code in known:
        names = {n for n in {city, *(a for _, c, a in rules.places.city_aliases if fold_key(c) == fold_key(city))}
                 if n.strip()}
        spans = sorted((s for n in names for s in name_to_spans(plained, n)), key=lambda s: s.start)
        in_title = sum(1 for s in spans if title and title.start <= s.start < title.end)
        score = 10 * in_title + len(spans) - in_title
        if score and (best is None or score > best[0]):
            first = next((s for s in spans if title is None or s.start >= title.start), spans[0])
            best = (score, (city, country, code), first, f"city of the batch {city!r}: named {in_title} "
                    f"time(s) in the title and {len(spans) - in_title} time(s) elsewhere")
    return best[1:] if best else None


def title_to_candidates(text: str, title: Span, ch: ChallengeRules) -> list[Span]:
    """Every run of one to four capitalised, not generic, words of the title."""
    runs, run = [], []
    for m in _WORD.finditer(text, title.start, title.end):
        ok = m.group()[0].isupper() and m.group().casefold() not in ch.generic_words
        if ok and run and text[run[-1].end():m.start()] in (" ", "-"):
            run.append(m)
            continue
        runs, run = runs + [run], [m] if ok else []
    return [Span(r[i].start(), r[j].end()) for r in runs + [run] for i in range(len(r))
            for j in range(i, min(len(r), i + 4))]


def text_to_city(text: str, plained: str, title: Span, rules: ChallengePageRules) -> tuple[str, Span, int] | None:
    """(city, its span in the title, mentions after the title) of the title's
    proper noun the text repeats most (the longer, then the first, on a tie)."""
    best = None
    for span in title_to_candidates(text, title, rules.challenges):
        name = text[span.start:span.end]
        n = 0 if len(name) > 3 and country_code(name, rules.places) else len(name_to_spans(plained, name, title.end))
        if n and (best is None or (n, len(name), -span.start) > best[0]):
            best = ((n, len(name), -span.start), name, span)
    if best is None:
        return None
    name = next((c for _, c, a in rules.places.city_aliases if fold_key(a) == fold_key(best[1])), best[1])
    return name, best[2], best[0][0]


def text_to_country(text: str, start: int, rules: ChallengePageRules) -> tuple[str, str, Span, int] | None:
    """(name, code, first span, mentions) of the country the text from
    ``start`` names most often (the first on a tie), or None."""
    words, found, skip = list(_WORD.finditer(text, start)), {}, 0
    for i, w in enumerate(words):
        if i < skip or not w.group()[0].isupper():
            continue
        for j in range(min(len(words), i + 4) - 1, i - 1, -1):  # the longest name first
            name = text[w.start():words[j].end()]
            if (words[j].group()[0].isupper() and len(name) > 3 and _NAME.fullmatch(name)
                    and (code := country_code(name, rules.places))):
                found.setdefault(code, []).append((name, Span(w.start(), words[j].end())))
                skip = j + 1
                break
    if not found:
        return None
    code, hits = max(found.items(), key=lambda kv: (len(kv[1]), -kv[1][0][1].start))
    return hits[0][0], code, hits[0][1], len(hits)


def text_to_spans(text: str, ch: ChallengeRules) -> tuple[dict[str, Span | None], tuple | None]:
    """The span of each part of ``_PARTS`` (None if missing) and the goals and
    unknown goals of the paragraph of goals."""
    crumb_title, pos = text_to_breadcrumb(text, ch)
    labels = text_to_labels(text, ch, pos)
    head_end = labels[0][2] if labels else len(text)
    head = [(p, span_to_goals(text, p, ch)) for p in text_to_paragraphs(text, pos, head_end)]
    title = head.pop(0)[0] if head and head[0][1] is None else crumb_title
    while crumb_title and title is not crumb_title and head and head[0][1] is None and squash(
            text[crumb_title.start:crumb_title.end]).startswith(squash(text[title.start:head[0][0].end])):
        title = Span(title.start, head.pop(0)[0].end)  # a wrapped title goes on as far as the breadcrumb's
    k = next((i for i, (_, goals) in enumerate(head) if goals), None)
    while k is not None and k + 1 < len(head) and head[k + 1][1]:  # a wrapped line of goals
        both = Span(head[k][0].start, head[k + 1][0].end)
        head[k:k + 2] = [(both, span_to_goals(text, both, ch))]
    desc = [p for p, _ in (head if k is None else head[k + 1:] or head[:k])]
    spans = dict.fromkeys(_PARTS) | {"title": title, "sdgs": None if k is None else head[k][0],
                                     "description": Span(desc[0].start, desc[-1].end) if desc else None}
    for i, (part, _, _, body) in enumerate(labels):
        spans[part] = trim(text, body, labels[i + 1][2] if i + 1 < len(labels) else len(text))
    return spans, None if k is None else head[k][1]


@dataclass(frozen=True)
class Place:
    """The city a page is about, its country, the evidence, and the problems met."""

    city: str = ""
    country: str = ""
    code: str = ""
    city_span: Span | None = None
    country_span: Span | None = None
    evidence: str = ""
    problems: tuple = ()


def text_to_place(text: str, title: Span | None, known, rules: ChallengePageRules) -> Place:
    plained = plain(text)
    if hit := known_to_city(plained, title, known, rules):
        (city, country, code), city_span, evidence = hit
        country_span = next(iter(name_to_spans(plained, country)), None) if country else None
        return Place(city, country, code, city_span, country_span, evidence)
    if title is None or not (found := text_to_city(text, plained, title, rules)):
        return Place(problems=(("challenge_city_unidentified", "city", "No city of the batch is named "
                                "and no proper noun of the title recurs in the text.", title),))
    city, city_span, n = found
    evidence = f"the title names {text[city_span.start:city_span.end]!r} and the text repeats it {n} time(s)"
    if not (place := text_to_country(text, title.end, rules)):
        return Place(city, city_span=city_span, evidence=evidence, problems=(
            ("challenge_country_unidentified", "country", "The page names no country.", None),))
    country, code, country_span, n = place
    return Place(city, country, code, city_span, country_span,
                 f"{evidence}; the text names the country {country!r} {n} time(s)")


def extract_challenge(doc: Document, rules: ChallengePageRules, known: tuple[tuple[str, str, str], ...] = ()) -> ChallengePage:
    """Read one challenge page. ``known`` are (city, country, country_code) of
    the cities other documents of the batch named."""
    ch, text = rules.challenges, doc.match_text
    spans, read = text_to_spans(text, ch)
    goals, unknown = read or ([], [])
    problems = [("sdg_unknown", "sdgs", f"{doc.text[u.start:u.end]!r} is not a known goal.", u) for u in unknown]
    deadline, deadline_span, deadline_rule = body_to_deadline(text, spans["deadline"], rules)
    if spans["deadline"] is not None and not deadline:
        problems.append(("deadline_unparsed", "deadline", "The deadline could not be read as a date.", deadline_span))
    problems += [("challenge_part_missing", p, f"The page has no {p.replace('_', ' ')}.", None)
                 for p in _PARTS if spans[p] is None]
    place = text_to_place(text, spans["title"], known, rules)
    cid = city_id(place.city, place.code) if place.city else ""
    findings = tuple(make_finding(rules.findings, doc.document_id, cid, c, "challenges", f, msg,
                                  doc.text[s.start:s.end] if s else "", s.start if s else None, s.end if s else None)
                     for c, f, msg, s in [*problems, *place.problems])
    value = {p: span_to_text(text, spans[p]) for p in _PARTS}
    return ChallengePage(
        document_id=doc.document_id, city_id=cid, title=value["title"], title_span=spans["title"],
        city=place.city, city_span=place.city_span, country=place.country, country_code=place.code,
        country_span=place.country_span,
        description=value["description"], description_span=spans["description"],
        challenge=value["challenge"], challenge_span=spans["challenge"],
        expected_impact=value["expected_impact"], expected_impact_span=spans["expected_impact"],
        deadline=deadline, deadline_raw=doc.text[deadline_span.start:deadline_span.end] if deadline_span else "",
        deadline_span=deadline_span, deadline_rule=deadline_rule, sdgs=goals_to_sdgs(doc, goals, ch),
        sdgs_span=spans["sdgs"], target_groups=body_to_groups(text, spans["target_groups"], rules),
        target_groups_span=spans["target_groups"], evidence=place.evidence, findings=findings)
