"""Stage 1b, detect: which kind of document a text is, from its content.

Each format of ``rules/formats.yaml`` scores the signals it finds (a member
list, indicator rows, the bullets of a web profile, the parts of a challenge
page); the best score at or above its threshold wins. The file name plays no
part. The evidence — which signals counted, how often — goes with the
record, and a document no format reaches is reported naming what was looked
for."""
from __future__ import annotations

from dataclasses import dataclass

from extract.rules.derived import derived
from extract.rules.formats import Format


@dataclass(frozen=True)
class Detection:
    format: str        # "" when no format reached its threshold
    score: float
    evidence: str      # `format.web_profile 6/3: detect.web-title, detect.web-indicator-bullets x6`
    looked_for: str    # every format and its signals, for the error of an unknown document


def _score(fmt: Format, text: str, counts: dict, best: float | None) -> tuple[float, list[str]] | None:
    """The score of ``fmt`` and the signals seen; None as soon as the
    signals left could not lift it to its threshold and over ``best`` (the
    best score so far): it cannot win, and its other patterns are not run.
    ``counts``: the matches of each pattern already counted."""
    score, seen = 0.0, []
    for k, sg in enumerate(fmt.signals):
        reach = score  # the score with every signal left that adds to it, summed in the same order
        for rest in fmt.signals[k:]:
            if rest.weight > 0:
                reach += rest.weight
        if reach < fmt.threshold or (best is not None and reach <= best):
            return None
        key = (sg.pattern.pattern, sg.pattern.flags)
        n = counts.get(key)
        if n is None:
            n = counts[key] = sum(1 for _ in sg.pattern.finditer(text))
        if n >= sg.min_count and (sg.max_count is None or n <= sg.max_count):
            score += sg.weight
            seen.append(sg.id + (f" x{n}" if n > 1 else ""))
    return score, seen


def _short(signal_id: str) -> str:
    """`detect.web-indicator-bullets` → `indicator-bullets`."""
    return signal_id.rsplit(".", 1)[-1].split("-", 1)[-1]


def _looked_for(formats: tuple[Format, ...]) -> str:
    """Every format and its signals, for the error of an unknown document."""
    return "; ".join(f"{f.format}: {', '.join(_short(s.id) for s in f.signals)}" for f in formats)


def detect_format(text: str, formats: tuple[Format, ...]) -> Detection:
    """The format of a (folded) document text."""
    best: tuple[float, Format, list[str]] | None = None
    counts: dict[tuple[str, int], int] = {}
    for fmt in formats:
        scored = _score(fmt, text, counts, best[0] if best else None)
        if scored is None:
            continue
        score, seen = scored
        if score >= fmt.threshold and (best is None or score > best[0]):
            best = (score, fmt, seen)
    looked_for = derived(_looked_for, formats)
    if best is None:
        return Detection("", 0.0, "", looked_for)
    score, fmt, seen = best
    return Detection(fmt.format, score, f"{fmt.id} {score:g}/{fmt.threshold:g}: {', '.join(seen)}", looked_for)
