"""Stage 1b, detect: which kind of document a text is, from its content.

Each format of ``rules/formats.yaml`` scores the signals it finds (a member
list, indicator rows, the bullets of a web profile, the parts of a challenge
page); the best score at or above its threshold wins. The file name plays no
part. The evidence — which signals counted, how often — goes with the
record, and a document no format reaches is reported naming what was looked
for."""
from __future__ import annotations

from dataclasses import dataclass

from extract.rules.formats import Format


@dataclass(frozen=True)
class Detection:
    format: str        # "" when no format reached its threshold
    score: float
    evidence: str      # `format.web_profile 6/3: detect.web-title, detect.web-indicator-bullets x6`
    looked_for: str    # every format and its signals, for the error of an unknown document


def _score(fmt: Format, text: str) -> tuple[float, list[str]]:
    score, seen = 0.0, []
    for sg in fmt.signals:
        n = sum(1 for _ in sg.pattern.finditer(text))
        if n >= sg.min_count and (sg.max_count is None or n <= sg.max_count):
            score += sg.weight
            seen.append(sg.id + (f" x{n}" if n > 1 else ""))
    return score, seen


def _short(signal_id: str) -> str:
    """`detect.web-indicator-bullets` → `indicator-bullets`."""
    return signal_id.rsplit(".", 1)[-1].split("-", 1)[-1]


def detect_format(text: str, formats: tuple[Format, ...]) -> Detection:
    """The format of a (folded) document text."""
    best: tuple[float, Format, list[str]] | None = None
    for fmt in formats:
        score, seen = _score(fmt, text)
        if score >= fmt.threshold and (best is None or score > best[0]):
            best = (score, fmt, seen)
    looked_for = "; ".join(f"{f.format}: {', '.join(_short(s.id) for s in f.signals)}" for f in formats)
    if best is None:
        return Detection("", 0.0, "", looked_for)
    score, fmt, seen = best
    return Detection(fmt.format, score, f"{fmt.id} {score:g}/{fmt.threshold:g}: {', '.join(seen)}", looked_for)
