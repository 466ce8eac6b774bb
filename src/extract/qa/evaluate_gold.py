"""Gold folders → gold documents: what an evaluation compares the output with.

Input: a gold root with one folder per document, each holding a
``document.yaml`` that names the ``document_id`` it is gold for (and per
table, optionally, the cities it ``covers`` and how it is keyed: ``tables:
{<table>: {covers: [...], key: [...], optional: [...], ordinal: ...}}``) and
one CSV per output table holding the gold rows. Output: ``GoldDocument``s
(frozen dataclasses: per table its columns, rows, covered cities and
``GoldKey``), and a note for each folder skipped because its ``document.yaml``
is missing or names no document. A gold root that is not a folder raises
``UsageError``. Tables without a key in ``document.yaml`` are keyed by
``GOLD_KEYS`` (see ``evaluate`` for what each key means).
"""
from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import yaml

from extract.errors import UsageError

DOCUMENT_FILE = "document.yaml"
Row = Mapping[str, str]


@dataclass(frozen=True)
class GoldKey:
    """How a table's gold rows are keyed after the city: ``optional`` columns key a row only
    where it gives them; an empty ``ordinal`` column is the row's rank within its city."""
    table: str
    key: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    ordinal: str = ""
    distinct: bool = False  # the gold lists a set: output rows with one key count once
    unscored: tuple[str, ...] = ()  # gold columns kept for the reader (the words that show a value)


GOLD_KEYS: Mapping[str, GoldKey] = MappingProxyType({k.table: k for k in (
    GoldKey("cities"),
    GoldKey("indicators", ("indicator", "scope", "group")),
    GoldKey("sections", ("section",)),
    GoldKey("items", ("section", "position")),
    GoldKey("contacts", ("position",), ordinal="position"),
    GoldKey("quotes", ("position",), ordinal="position"),
    GoldKey("findings", ("code",), optional=("table", "field")),
)})


@dataclass(frozen=True)
class GoldTable:
    """The gold rows of one table of one document, the cities it ``covers`` without a row and
    its keying (None when neither ``GOLD_KEYS`` nor ``document.yaml`` gives one)."""
    name: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    covers: tuple[str, ...]
    spec: GoldKey | None


@dataclass(frozen=True)
class GoldDocument:
    folder: Path
    document_id: str
    tables: tuple[GoldTable, ...]


def csv_to_rows(path: Path) -> tuple[tuple[str, ...], tuple[Row, ...]] | None:
    """A CSV file → its header and rows (every cell a string); None when there is no file."""
    if not path.is_file():
        return None
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = tuple({k: v or "" for k, v in r.items() if k is not None} for r in reader)
        return tuple(reader.fieldnames or ()), rows


def folder_to_gold(folder: Path) -> GoldDocument | str:
    """A gold folder → its ``GoldDocument``, or a note saying why it was skipped."""
    meta_path = folder / DOCUMENT_FILE
    if not meta_path.is_file():
        return f"{folder.name}: no {DOCUMENT_FILE}; skipped"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    if not isinstance(meta, dict) or not meta.get("document_id"):
        return f"{folder.name}: {DOCUMENT_FILE} names no document_id; skipped"
    listed = meta.get("tables") or {}
    tables = []
    for name in sorted({p.stem for p in folder.glob("*.csv")} | set(listed)):
        read = csv_to_rows(folder / f"{name}.csv") or ((), ())
        about = listed.get(name) or {}
        covers = tuple(str(c) for c in about.get("covers") or ())
        tables.append(GoldTable(name, read[0], read[1], covers, declared_key(name, about)))
    return GoldDocument(folder, str(meta["document_id"]), tuple(tables))


def declared_key(table: str, about: Mapping) -> GoldKey | None:
    """A table's keying: ``key`` (with ``optional``, ``ordinal``) in ``document.yaml``, else ``GOLD_KEYS``."""
    if "key" not in about:
        return GOLD_KEYS.get(table)
    return GoldKey(table, tuple(about["key"] or ()), tuple(about.get("optional") or ()), about.get("ordinal") or "",
                   bool(about.get("distinct", False)), tuple(about.get("unscored") or ()))


def root_to_gold(gold_root: Path) -> tuple[list[GoldDocument], list[str]]:
    """The gold root → its documents (one per sub-folder) and notes on folders skipped."""
    if not gold_root.is_dir():
        raise UsageError(f"{gold_root}: no such gold folder")
    documents, notes = [], []
    for folder in sorted(p for p in gold_root.iterdir() if p.is_dir()):
        got = folder_to_gold(folder)
        (notes if isinstance(got, str) else documents).append(got)
    return documents, notes
