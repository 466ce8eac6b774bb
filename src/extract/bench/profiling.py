"""Where the time of one run goes: ``profile_pipeline(n)``.

Input: a number of synthetic portraits (``synthetic.build_corpus``). Output:
text, the top functions of one ``pipeline.run`` over them under cProfile, by
cumulative and by own time."""
from __future__ import annotations

import tempfile
from pathlib import Path

from extract.bench.synthetic import build_corpus


def profile_pipeline(n: int = 1_000, seed: int = 0, top: int = 25) -> str:
    """One run over ``n`` synthetic portraits under cProfile → the ``top``
    functions by cumulative and by own time, as text."""
    import cProfile
    import io
    import pstats

    from extract.pipeline import run
    from extract.rules import load_rules
    rules = load_rules()
    with tempfile.TemporaryDirectory(prefix="extract-profile-") as tmp:
        build_corpus(n, Path(tmp) / "corpus", seed)
        profiler = cProfile.Profile()
        profiler.runcall(run, [Path(tmp) / "corpus"], Path(tmp) / "out", rules, say=lambda line: None)
    out = io.StringIO()
    for order in ("cumulative", "tottime"):
        out.write(f"--- top {top} by {order} ---\n")
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
    return out.getvalue()
