"""The ``extract`` command: a thin layer over ``pipeline.run``.

Subcommands: ``run`` (extract), ``diff``, ``review``, ``eval``, ``bench``,
``serve`` (Datasette on ``extract.db``), ``dictionary`` (print the data
dictionary), ``docs`` (rewrite the README's generated sections).

Exit codes: 0 done (findings may exist); 1 with ``--strict`` when any
``error`` finding exists; 2 usage error (an option value out of its range,
a path that does not exist, an output folder that is not one) or an error
of the file system writing the output (the previous output left as it
was); 3 a rule file is broken; 4 a fault in the program itself (one line,
no traceback unless ``EXTRACT_DEBUG`` is set); 130 interrupted. Bad data
never gives 2–4: it gives findings."""
from __future__ import annotations

import argparse
import difflib
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path

from extract.errors import ExtractError, OutputError, UsageError
from extract.read.limits import Limits

# Only what parsing the arguments needs is imported here, so that ``--version``
# and ``--help`` start in a blink: each command imports its own modules (the
# pipeline brings pandas, pandera and pyarrow; the rules bring spaCy).
DIFF_FORMATS = ("text", "markdown", "html")  # qa.diff_render.FORMATS (tests/test_cli.py checks they agree)


class _Version(argparse.Action):
    """``--version``: the version looked up only when asked for."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from extract import __version__
        print(f"extract {__version__}")
        parser.exit()


def _inputs() -> argparse.ArgumentParser:
    """The arguments of a run: what to read, with which rules, within which limits."""
    r = argparse.ArgumentParser(add_help=False)
    r.add_argument("paths", nargs="*", default=["raw"], help="files or folders (default: raw/)")
    r.add_argument("--rules", help="rules folder (default: the project's rules/)")
    d = Limits()
    r.add_argument("--max-file-mb", type=_MEGABYTES, default=d.max_file_bytes / 1e6,
                   help=f"refuse larger files (default: {d.max_file_bytes / 1e6:g})")
    r.add_argument("--max-pages", type=_ranged(int, 1, 10**7, "a whole number from 1 to 10,000,000"),
                   default=d.max_pages, help=f"refuse longer PDFs (default: {d.max_pages})")
    r.add_argument("--max-line-chars", type=_ranged(int, 1, 10**9, "a whole number from 1 to 1,000,000,000"),
                   default=d.max_line_chars,
                   help=f"leave longer lines out of extraction, with a finding (default: {d.max_line_chars})")
    r.add_argument("--max-inflated-mb", type=_MEGABYTES, default=d.max_inflated_bytes / 1e6,
                   help=f"refuse PDFs whose streams inflate to more (default: {d.max_inflated_bytes / 1e6:g})")
    r.add_argument("--max-page-points", type=_ranged(float, 0, 1e7, "a number of points above 0, at most 10,000,000",
                                                      above=True),
                   default=d.max_page_points, help=f"refuse PDFs with a wider or taller page (default: {d.max_page_points:g})")
    r.add_argument("--max-page-objects", type=_ranged(int, 1, 10**8, "a whole number from 1 to 100,000,000"),
                   default=d.max_page_objects,
                   help=f"refuse PDFs with a page of more characters, lines and images (default: {d.max_page_objects})")
    r.add_argument("--time-budget", type=_ranged(float, 0, 1e6, "a number of seconds above 0, at most 1,000,000", above=True),
                   default=d.document_seconds,
                   help=f"seconds one document may take, more than 0 (default: {d.document_seconds:g})")
    return r


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="extract", description="Learning-city portraits → validated tables.")
    ap.add_argument("--version", action=_Version, help="show the version and exit")
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", parents=[_inputs()], help="extract documents (files or folders) into tables")
    r.add_argument("--out", default="output", help="output folder (default: output/)")
    r.add_argument("--strict", action="store_true", help="exit 1 when any error finding exists")
    r.add_argument("--workers", type=_WORKERS, default=1,
                   help="documents extracted at a time, in processes, at least 1 (default: 1)")
    loud = r.add_mutually_exclusive_group()
    loud.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary: only the problems")
    loud.add_argument("--verbose", "-v", action="store_true", help="a line per document and the seconds per stage")
    f = sub.add_parser("diff", parents=[_inputs()],
                       help="extract into a fresh folder and compare with the committed output, cell by cell")
    f.add_argument("--baseline", help="folder of tables to compare with (default: --output as committed at --rev)")
    f.add_argument("--rev", default="HEAD", help="git revision of the baseline (default: HEAD)")
    f.add_argument("--output", default="output", help="the output folder in the repository (default: output/)")
    f.add_argument("--format", choices=DIFF_FORMATS, default="text", help="report format (default: text)")
    f.add_argument("--report", help="write the report to this file instead of stdout")
    f.add_argument("--fail-on-change", action="store_true", help="exit 1 when anything changed")
    f.add_argument("--rel-tol", type=_TOLERANCE, default=1e-9, help="relative tolerance for numbers (default: 1e-9)")
    f.add_argument("--abs-tol", type=_TOLERANCE, default=1e-9, help="absolute tolerance for numbers (default: 1e-9)")
    v = sub.add_parser("review", help="write the static HTML review of output/ (every value highlighted in its source)")
    v.add_argument("--out", default="output", help="folder of the tables (default: output/)")
    v.add_argument("--dest", default="reports/review", help="where the pages go (default: reports/review/)")
    v.add_argument("--raw", default="raw", help="where to find a document run.json does not locate (default: raw/)")
    v.add_argument("--screenshot", metavar="PNG", help="also draw one city's page with headless Chromium into PNG")
    v.add_argument("--city", help="the city_id of that page (default: the first city)")
    e = sub.add_parser("eval", help="score output/ against the gold in tests/gold/ (precision, recall, F1 per field)")
    e.add_argument("--out", default="output", help="folder of the tables (default: output/)")
    e.add_argument("--gold", default="tests/gold", help="gold folders, one per document (default: tests/gold/)")
    e.add_argument("--report", default="reports/eval.md", help="where the Markdown report goes (default: reports/eval.md)")
    b = sub.add_parser("bench", help="time the pipeline on a synthetic corpus made from the brochure")
    b.add_argument("--sizes", type=_ranged(int, 1, 10**7, "a whole number from 1 to 10,000,000"), nargs="+",
                   default=[10_000, 20_000], help="portraits per run (default: 10000 20000)")
    b.add_argument("--workers", type=_WORKERS, default=2, help="workers of the parallel run (default: 2)")
    b.add_argument("--seed", type=_ranged(int, 0, 2**32 - 1, "a whole number from 0 to 4,294,967,295"), default=0,
                   help="seed of the corpus (default: 0)")
    b.add_argument("--repeats", type=_at_least_one, default=2,
                   help="rounds of runs; each target takes each size's best round (default: 2)")
    b.add_argument("--no-pdf", action="store_true", help="skip the PDF figure")
    s = sub.add_parser("serve", help="browse, search and query output/extract.db in Datasette (the serve extra)")
    s.add_argument("--out", default="output", help="folder of the tables (default: output/)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    s.add_argument("--port", type=_at_least_one, default=8001, help="port (default: 8001)")
    s.add_argument("--screenshot", metavar="PNG", help="instead, draw one page with headless Chromium into PNG and stop")
    s.add_argument("--page", default="extract/what_happened_when",
                   help="the page to draw, a path below the server (default: extract/what_happened_when)")
    sub.add_parser("dictionary", help="print the data dictionary (Markdown) of the output tables")
    d = sub.add_parser("docs", help="rewrite the generated sections of README.md (data dictionary, finding codes)")
    d.add_argument("readme", nargs="?", default="README.md")
    return ap


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, not {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def _ranged(kind: type, low: float, high: float, what: str, above: bool = False) -> Callable[[str], float]:
    """An argparse type: a finite number of ``kind`` from ``low`` (or
    ``above`` it) to ``high``; anything else (``inf``, ``nan``, a negative
    number, a word) is a usage error naming what is expected (exit 2)."""
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or not low <= value <= high or (above and value == low):
            raise argparse.ArgumentTypeError(f"must be {what}, not {text!r}")
        return value
    return parse


_MEGABYTES = _ranged(float, 0, 1e6, "a number of megabytes above 0, at most 1,000,000", above=True)
_WORKERS = _ranged(int, 1, 256, "a whole number of processes from 1 to 256")
_TOLERANCE = _ranged(float, 0, 1e300, "a number of 0 or more")


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {text}")
    return value


def _subparsers(ap: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return {name: p for a in ap._actions if isinstance(a, argparse._SubParsersAction) for name, p in a.choices.items()}


def _parse(argv: list[str] | None) -> argparse.Namespace:
    """The arguments; an option the subcommand does not know is an error in the
    subcommand's own usage, with the closest option it has suggested."""
    ap = _parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    commands = _subparsers(ap)
    named = next((a for a in argv if not a.startswith("-")), None)  # the top level has no option with a value
    if named is not None and named not in commands:
        close = difflib.get_close_matches(named, commands, n=1, cutoff=0.6)
        ap.error(f"unknown command {named!r}" + (f" (did you mean {close[0]}?)" if close else "")
                 + f"; the commands: {', '.join(commands)}")
    args, unknown = ap.parse_known_args(argv)
    if unknown:
        sub = commands[args.command]
        options = [o for a in sub._actions for o in a.option_strings if o.startswith("--")]
        hints = []
        for arg in unknown:
            close = difflib.get_close_matches(arg.split("=", 1)[0], options, n=1, cutoff=0.75) if arg.startswith("-") else []
            hints.append(f"{arg} (did you mean {close[0]}?)" if close else arg)
        sub.error(f"unrecognized argument{'s' if len(unknown) > 1 else ''}: {' '.join(hints)}")
    return args


def _limits(args: argparse.Namespace) -> Limits:
    return Limits(max_file_bytes=int(args.max_file_mb * 1e6), max_pages=args.max_pages,
                  max_line_chars=args.max_line_chars, document_seconds=args.time_budget,
                  max_inflated_bytes=int(args.max_inflated_mb * 1e6), max_page_points=args.max_page_points,
                  max_page_objects=args.max_page_objects)


# The command does no linear algebra: numpy's OpenBLAS, when it starts its
# threads at import, keeps one spinning for some 0.1 s of CPU, a tenth of a
# small run. One thread starts none (unless the caller's environment says otherwise);
# the processes the command starts inherit it.
QUIET_LIBRARIES = {"OPENBLAS_NUM_THREADS": "1"}


def main(argv: list[str] | None = None) -> int:
    for name, value in QUIET_LIBRARIES.items():
        os.environ.setdefault(name, value)
    args = _parse(argv)
    try:
        return _command(args)
    except ExtractError as exc:
        print(f"extract: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("extract: interrupted; output/ left as it was", file=sys.stderr)
        return 130
    except Exception as exc:  # a fault in the program, not in the data
        if os.environ.get("EXTRACT_DEBUG"):
            raise
        print(f"extract: internal error: {type(exc).__name__}: {exc} (set EXTRACT_DEBUG=1 for the traceback)",
              file=sys.stderr)
        return 4


def _rules(args: argparse.Namespace):
    """The rules of ``--rules``, else the project's own."""
    from extract.rules import DEFAULT_DIR, load_rules
    return load_rules(args.rules or DEFAULT_DIR)


def _command(args: argparse.Namespace) -> int:
    if args.command == "dictionary":
        from extract.tables.dictionary import data_dictionary_markdown
        sys.stdout.write(data_dictionary_markdown())
        return 0
    if args.command == "docs":
        from extract.qa.docs import update_readme
        from extract.rules import load_rules
        changed = update_readme(args.readme, load_rules())
        print(f"extract: {args.readme} {'updated' if changed else 'already up to date'}", file=sys.stderr)
        return 0
    if args.command == "diff":
        return _diff(args)
    if args.command == "review":
        return _review(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "bench":
        from extract.bench.bench import bench_suite
        from extract.bench.bench_render import render_bench
        report = bench_suite(tuple(args.sizes), args.workers, args.seed, pdf=not args.no_pdf,
                             say=lambda line: print(f"extract: {line}", file=sys.stderr), repeats=args.repeats)
        sys.stdout.write(render_bench(report) + "\n")
        return 0
    if args.command == "eval":
        from extract.qa.evaluate import evaluate
        from extract.qa.evaluate_render import render_eval, summary_text
        evaluation = evaluate(args.out, args.gold)
        _write_report(args.report, render_eval(evaluation), make_folder=True)
        sys.stdout.write(summary_text(evaluation))
        print(f"extract: report written to {args.report}", file=sys.stderr)
        return 0
    from extract.pipeline import run
    from extract.pipeline.progress import Reporter
    rules = _rules(args)
    reporter = Reporter(sys.stderr, quiet=args.quiet, verbose=args.verbose)
    try:
        summary = run(args.paths, args.out, rules, say=reporter.say, limits=_limits(args), progress=reporter,
                      workers=args.workers)
    finally:
        reporter.close()
    counts = ", ".join(f"{n} {t}" for t, n in summary.rows.items())
    reporter.summary(f"extract: {_count(summary.documents, 'document')}, {_count(summary.portraits, 'portrait')} "
                     f"→ {args.out}/ ({counts})",
                     summary.seconds)
    return 1 if args.strict and summary.errors else 0


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _review(args: argparse.Namespace) -> int:
    """``extract review``: the review pages of ``--out`` in ``--dest``."""
    import subprocess

    from extract.qa.review_html import render_review, screenshot

    out = Path(args.out)
    if not out.is_dir() or not any(out.glob("*.parquet")):
        raise UsageError(f"{out}: {'no such folder' if not out.is_dir() else 'no tables in this folder'}; "
                         "give the output folder of a run (--out)")
    pages = render_review(args.out, None, args.dest, args.raw, say=lambda line: print(f"extract: {line}", file=sys.stderr))
    index = Path(args.dest) / "index.html"
    pages_only = sum(p != index.resolve() for p in pages)
    print(f"extract: {_count(pages_only, 'page')} and the index → {index}", file=sys.stderr)
    if args.screenshot:
        city = args.city or next(p.stem for p in sorted(pages) if not p.stem.startswith("_") and p.name != "index.html")
        page = next((p for p in sorted(pages) if p.stem == city), None)
        if page is None:
            raise UsageError(f"{city}: no review page for this city_id")
        try:
            screenshot(page, args.screenshot)
        except (OSError, subprocess.SubprocessError) as exc:
            raise UsageError(f"headless Chromium could not draw {page} ({exc}); "
                             "install it with `apt-get install chromium`") from None
        print(f"extract: {page.name} drawn into {args.screenshot}", file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace) -> int:
    """``extract serve``: Datasette on ``--out``'s database, or one page of it drawn into ``--screenshot``."""
    import subprocess

    from extract.qa.serve import screenshot_query, serve
    if not args.screenshot:
        return serve(args.out, args.host, args.port)
    try:
        screenshot_query(args.out, args.screenshot, args.page)
    except (OSError, subprocess.SubprocessError) as exc:
        raise UsageError(f"headless Chromium could not draw {args.page} ({exc}); "
                         "install it with `apt-get install chromium`") from None
    print(f"extract: {args.page} drawn into {args.screenshot}", file=sys.stderr)
    return 0


def _diff(args: argparse.Namespace) -> int:
    """``extract diff``: a fresh run compared with the baseline; 1 with
    ``--fail-on-change`` when anything changed."""
    import tempfile

    from extract.qa.diff import baseline_from_git, diff_run
    from extract.qa.diff_render import render
    rules = _rules(args)
    with tempfile.TemporaryDirectory(prefix="extract-diff-") as work:
        baseline = args.baseline or baseline_from_git(".", Path(work) / "baseline", args.rev, args.output)
        diffs = diff_run(args.paths, rules, baseline, work, say=lambda line: print(line, file=sys.stderr),
                         limits=_limits(args), rel_tol=args.rel_tol, abs_tol=args.abs_tol)
    report = render(diffs, args.format)
    if args.report:
        _write_report(args.report, report)
        print(f"extract: report written to {args.report}", file=sys.stderr)
    else:
        sys.stdout.write(report)
    return 1 if args.fail_on_change and diffs.has_changes else 0


def _write_report(path: str, text: str, make_folder: bool = False) -> None:
    """A report into ``path``; an error of the file system is ``OutputError`` (exit 2)."""
    try:
        if make_folder:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{path}: the report could not be written ({exc.strerror or exc})", exc.errno) from None


if __name__ == "__main__":
    sys.exit(main())
