"""The ``extract`` command: a thin layer over ``pipeline.run``.

Subcommands: ``run`` (extract), ``dictionary`` (print the data dictionary),
``docs`` (rewrite the README's generated sections).

Exit codes: 0 done (findings may exist); 1 with ``--strict`` when any
``error`` finding exists; 2 usage error; 3 a rule file is broken."""
from __future__ import annotations

import argparse
import sys

from .docs import update_readme
from .errors import ExtractError
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
    sub.add_parser("dictionary", help="print the data dictionary (Markdown) of the output tables")
    d = sub.add_parser("docs", help="rewrite the generated sections of README.md (data dictionary, finding codes)")
    d.add_argument("readme", nargs="?", default="README.md")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "dictionary":
            sys.stdout.write(data_dictionary_markdown())
            return 0
        if args.command == "docs":
            changed = update_readme(args.readme, load_rules())
            print(f"extract: {args.readme} {'updated' if changed else 'already up to date'}", file=sys.stderr)
            return 0
        rules = load_rules(args.rules)
        summary = run(args.paths, args.out, rules)
    except ExtractError as exc:
        print(f"extract: {exc}", file=sys.stderr)
        return exc.exit_code
    counts = ", ".join(f"{n} {t}" for t, n in summary.rows.items())
    print(f"extract: {summary.documents} documents, {summary.portraits} portraits → {args.out}/ ({counts})",
          file=sys.stderr)
    return 1 if args.strict and summary.errors else 0


if __name__ == "__main__":
    sys.exit(main())
