"""A synthetic corpus for the benchmark, made from the brochure in ``raw/``.

The brochure is cut into its front matter (title, member list, imprint,
foreword: everything before the first portrait), its portraits and its back
cover. Each synthetic document is the front matter, a shuffled selection of
the portraits (each city at most once, since a repeat is reported as a
duplicate) and the back cover, with a seeded variation of the kinds the
pipeline is meant to read:

- per portrait: the indicator table's thousands separators dropped
  (``1,042,285`` → ``1042285``);
- per document: tabs turned into spaces (``variants.detab``, tab stops of 4
  or 8), no-break spaces (``variants.nbsp``), typographic quotes
  (``variants.typographic``), hard wrapping at a width of 65–110 columns
  (``variants.wrap``), blank lines removed (``variants.unparagraph``) and
  CRLF line ends (``variants.crlf``).

Each kind was kept only once the brochure, varied that way alone, gave the
same cities and indicators as the plain one (``tests/test_bench.py`` checks
it again). The same seed gives the same files, byte for byte."""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import regex

from extract.bench import variants
from extract.rules import Rules, load_rules

BROCHURE = Path(__file__).resolve().parents[3] / "raw" / "gnlc-portraits-2016.txt"
WRAP_WIDTHS = range(65, 111)  # widths at which the wrapped brochure reads as the plain one
TAB_STOPS = (4, 8)
MIN_PORTRAITS = 30            # per document, when the brochure has that many
_THOUSANDS = regex.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
_GAP = "\n\n\n\n"             # what separates two portraits in the brochure


@dataclass(frozen=True)
class Brochure:
    """The brochure cut into pieces: ``front + portraits… + back`` (joined by
    blank lines) is a brochure again."""

    front: str
    portraits: tuple[str, ...]
    city_ids: tuple[str, ...]
    back: str


@dataclass(frozen=True)
class Variation:
    """How one document's text differs from the brochure's."""

    tab_stops: int = 0        # tabs turned into spaces to these stops; 0: tabs kept
    nbsp: bool = False
    typographic: bool = False
    wrap_width: int = 0       # 0: lines as printed
    unparagraphed: bool = False
    crlf: bool = False


@dataclass(frozen=True)
class DocumentPlan:
    """One synthetic document: the brochure's portraits it prints, in order,
    which of them drop their thousands separators, and its variation."""

    name: str
    portraits: tuple[int, ...]
    plain_numbers: tuple[bool, ...]
    variation: Variation


def brochure_parts(path: str | Path = BROCHURE, rules: Rules | None = None) -> Brochure:
    """A brochure file → its front matter, portraits (with their city ids) and
    back cover, cut where the pipeline finds its portraits."""
    from extract.pipeline import document_rows
    rules = rules or load_rules()
    text = Path(path).read_text(encoding="utf-8")
    cities = sorted((c["char_start"], c["char_end"], c["city_id"]) for c in document_rows(path, rules)["cities"])
    if not cities:
        raise ValueError(f"{path}: no portrait found, nothing to build a corpus from")
    return Brochure(front=text[:cities[0][0]].rstrip("\n") + _GAP,
                    portraits=tuple(text[a:b].strip("\n") for a, b, _ in cities),
                    city_ids=tuple(c for _, _, c in cities),
                    back=_GAP + text[cities[-1][1]:].strip("\n") + "\n")


def corpus_plan(n_portraits: int, n_available: int, seed: int = 0) -> list[DocumentPlan]:
    """The documents that print ``n_portraits`` portraits in all, each a
    shuffled selection of ``MIN_PORTRAITS``–``n_available`` of them (fewer in
    the last), with seeded variations. The same arguments give the same plan."""
    rng = random.Random(seed)
    plans: list[DocumentPlan] = []
    left = n_portraits
    while left > 0:
        k = min(left, rng.randint(min(MIN_PORTRAITS, n_available), n_available))
        chosen = tuple(rng.sample(range(n_available), k))
        plain = tuple(rng.random() < 0.5 for _ in chosen)
        plans.append(DocumentPlan(f"synthetic-{len(plans) + 1:05d}.txt", chosen, plain, _variation(rng)))
        left -= k
    return plans


def _variation(rng: random.Random) -> Variation:
    """A seeded draw of each kind of variation, each present about half the time."""
    return Variation(tab_stops=rng.choice((0, *TAB_STOPS)),
                     nbsp=rng.random() < 0.5,
                     typographic=rng.random() < 0.5,
                     wrap_width=rng.choice(WRAP_WIDTHS) if rng.random() < 0.5 else 0,
                     unparagraphed=rng.random() < 0.3,
                     crlf=rng.random() < 0.3)


def plain_numbers(portrait: str) -> str:
    """A portrait with the thousands separators of its table rows (the lines
    with tabs) dropped: ``1,042,285`` → ``1042285``."""
    return "\n".join(_THOUSANDS.sub("", line) if "\t" in line else line for line in portrait.split("\n"))


def vary(text: str, variation: Variation) -> str:
    """A document's text → the same text with ``variation`` applied (in the
    order of ``variants.VARIANTS``: no-break spaces, wrapping, tabs, quotes,
    blank lines, line ends)."""
    if variation.nbsp:
        text = variants.nbsp(text)
    if variation.wrap_width:
        text = variants.wrap(text, variation.wrap_width)
    if variation.tab_stops:
        text = variants.detab(text, variation.tab_stops)
    if variation.typographic:
        text = variants.typographic(text)
    if variation.unparagraphed:
        text = variants.unparagraph(text)
    if variation.crlf:
        text = variants.crlf(text)
    return text


def plan_to_text(plan: DocumentPlan, brochure: Brochure) -> str:
    """One planned document → its text."""
    portraits = [plain_numbers(brochure.portraits[i]) if plain else brochure.portraits[i]
                 for i, plain in zip(plan.portraits, plan.plain_numbers)]
    return vary(brochure.front + _GAP.join(portraits) + brochure.back, plan.variation)


def build_corpus(n_portraits: int, folder: str | Path, seed: int = 0, brochure: Brochure | None = None,
                 ) -> list[Path]:
    """Write documents printing ``n_portraits`` portraits in all into
    ``folder`` (created if missing) → their paths, in order. Deterministic
    for a seed; ``brochure`` defaults to the parts of ``raw/``'s brochure."""
    brochure = brochure or brochure_parts()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for plan in corpus_plan(n_portraits, len(brochure.portraits), seed):
        path = folder / plan.name
        path.write_bytes(plan_to_text(plan, brochure).encode("utf-8"))
        paths.append(path)
    return paths
