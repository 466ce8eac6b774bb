"""The floor of ``extract bench``: the least work any pipeline must do on a
corpus, measured in the same process as the pipeline, on the same files.

Input: the corpus's files, the rules and the folder of the tables the
pipeline wrote. Output: a ``Floor`` (``results``), the CPU seconds of

- decoding: every file read and decoded from UTF-8;
- labels and headings: one ``regex`` alternation, case-insensitive, of
  every indicator label, scope and group (their letters, anything but a
  letter or digit between them, as the table reader compares them) and
  every section heading's phrases (``headings.yaml``), run over each text;
- theme phrases: one Aho-Corasick automaton (pyahocorasick) of every theme
  phrase (``themes.yaml``: its phrases, and the token patterns that stand for
  fixed phrases), run over each text lower-cased;
- Parquet: every table the pipeline wrote, written again to Parquet.

Patterns and the automaton are built before the clock starts, as a rule
loader would; ``pipeline ÷ floor`` is then the factor by which the pipeline
does more than reading, matching its vocabulary once and writing."""
from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import regex

from extract.bench.results import Floor
from extract.rules import DEFAULT_DIR, Rules
from extract.rules.base import Source, phrase_re, phrases_of, read_rule_file
from extract.rules.themes import pattern_to_phrases

_BETWEEN = r"[^\p{L}\p{N}]*"


def label_pattern(phrase: str) -> str:
    """A squashed label (``areakm``) → a pattern of its letters with anything
    but a letter or digit between them (``Area (km²)``)."""
    return _BETWEEN.join(regex.escape(ch) for ch in phrase)


def vocabulary_re(rules: Rules, headings: Source | None = None) -> Any:
    """Every indicator label, scope and group of ``rules`` and every heading
    phrase of the headings file (default: the project's) as one compiled
    alternation, case-insensitive."""
    ind = rules.indicators
    source = headings or DEFAULT_DIR / rules.files["headings"]
    data = read_rule_file(source, "headings")
    parts = [label_pattern(lab.phrase) for lab in (*ind.labels, *ind.scopes, *ind.groups)]
    parts += [phrase_re(p) for rule in data["rules"] for p in phrases_of(source.name, str(rule["id"]), rule["phrase"])]
    return regex.compile("|".join(parts), regex.I | regex.V1)


def theme_phrases(source: Source = DEFAULT_DIR / "themes.yaml") -> list[str]:
    """Every phrase of a themes file, lower-cased, each once: its rules' and
    exclusions' phrases and the fixed phrases its token patterns stand for."""
    data = read_rule_file(source, "themes")
    phrases: set[str] = set()
    for key in ("rules", "exclusions"):
        for rule in data.get(key) or []:
            phrases.update(rule.get("phrases") or [])
            for pattern in rule.get("patterns") or []:
                phrases.update(pattern_to_phrases(pattern) or [])
    return sorted({p.lower() for p in phrases if p.strip()})


def phrase_automaton(phrases: Iterable[str]) -> Any:
    """An Aho-Corasick automaton (pyahocorasick) of ``phrases``."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for i, phrase in enumerate(phrases):
        automaton.add_word(phrase, i)
    automaton.make_automaton()
    return automaton


def measure_floor(paths: Iterable[str | Path], rules: Rules, tables: str | Path | None = None) -> Floor:
    """The floor of the files ``paths`` (see the module doc), the tables of
    the folder ``tables`` (``*.parquet``) written again; CPU seconds."""
    import pyarrow.parquet as pq

    pattern = vocabulary_re(rules)
    phrases = theme_phrases(DEFAULT_DIR / rules.files["themes"])
    automaton = phrase_automaton(phrases)
    arrow = [(p.name, pq.read_table(p)) for p in sorted(Path(tables).glob("*.parquet"))] if tables else []
    paths = [Path(p) for p in paths]

    clock = time.process_time()
    texts = [p.read_bytes().decode("utf-8") for p in paths]
    decode = time.process_time() - clock

    clock = time.process_time()
    matches = sum(1 for text in texts for _ in pattern.finditer(text))
    match = time.process_time() - clock

    clock = time.process_time()
    hits = sum(1 for text in texts for _ in automaton.iter(text.lower()))
    phrase = time.process_time() - clock

    with tempfile.TemporaryDirectory(prefix="extract-bench-floor-") as tmp:
        clock = time.process_time()
        for name, table in arrow:
            pq.write_table(table, Path(tmp) / name)
        write = time.process_time() - clock
    return Floor(decode, match, phrase, write, sum(map(len, texts)), matches, len(phrases), hits,
                 sum(t.num_rows for _, t in arrow))
