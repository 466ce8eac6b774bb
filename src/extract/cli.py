"""The ``extract`` command: a thin layer over ``pipeline.run``.

Subcommands: ``run`` (extract), ``dictionary`` (print the data dictionary),
``docs`` (rewrite the README's generated sections).

Exit codes: 0 done (findings may exist); 1 with ``--strict`` when any
``error`` finding exists; 2 usage error (a path that does not exist, an
output folder that is not one); 3 a rule file is broken; 4 a fault in the
program itself (one line, no traceback unless ``EXTRACT_DEBUG`` is set).
Bad data never gives 2–4: it gives findings."""
from __future__ import annotations

import argparse
import os
import sys

from .docs import update_readme
from .errors import ExtractError, UsageError
from .limits import Limits
from .pipeline import run
from .rules import DEFAULT_DIR, load_rules
from .schemas import data_dictionary_markdown


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="extract", description="Learning-city portraits → validated tables.")
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="extract documents (files or folders) into tables")
    r.add_argument("paths", nargs="*", default=["raw"], help="files or folders (default: raw/)")
    r.add_argument("--out", default="output", help="output folder (default: output/)")
    r.add_argument("--rules", default=str(DEFAULT_DIR), help="rules folder (default: the project's rules/)")
    r.add_argument("--strict", action="store_true", help="exit 1 when any error finding exists")
    d = Limits()
    r.add_argument("--max-file-mb", type=_positive, default=d.max_file_bytes / 1e6,
                   help=f"refuse larger files (default: {d.max_file_bytes / 1e6:g})")
    r.add_argument("--max-pages", type=int, default=d.max_pages, help=f"refuse longer PDFs (default: {d.max_pages})")
    r.add_argument("--max-line-chars", type=int, default=d.max_line_chars,
                   help=f"leave longer lines out of extraction, with a finding (default: {d.max_line_chars})")
    r.add_argument("--time-budget", type=float, default=d.document_seconds,
                   help=f"seconds one document may take, 0 for no limit (default: {d.document_seconds:g})")
    sub.add_parser("dictionary", help="print the data dictionary (Markdown) of the output tables")
    d = sub.add_parser("docs", help="rewrite the generated sections of README.md (data dictionary, finding codes)")
    d.add_argument("readme", nargs="?", default="README.md")
    return ap


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, not {text}")
    return value


def _limits(args: argparse.Namespace) -> Limits:
    return Limits(max_file_bytes=int(args.max_file_mb * 1e6), max_pages=args.max_pages,
                  max_line_chars=args.max_line_chars, document_seconds=args.time_budget)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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


def _command(args: argparse.Namespace) -> int:
    if args.command == "dictionary":
        sys.stdout.write(data_dictionary_markdown())
        return 0
    if args.command == "docs":
        changed = update_readme(args.readme, load_rules())
        print(f"extract: {args.readme} {'updated' if changed else 'already up to date'}", file=sys.stderr)
        return 0
    rules = load_rules(args.rules)
    summary = run(args.paths, args.out, rules, limits=_limits(args))
    counts = ", ".join(f"{n} {t}" for t, n in summary.rows.items())
    print(f"extract: {summary.documents} documents, {summary.portraits} portraits → {args.out}/ ({counts})",
          file=sys.stderr)
    return 1 if args.strict and summary.errors else 0


if __name__ == "__main__":
    sys.exit(main())
