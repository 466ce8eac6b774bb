"""extract: learning-city brochures and web profiles → validated tables.

The stages, in the order a document goes through them. Each is a package
whose modules have one public function each; data flows one way, as the
frozen records of ``extract.types``, down to the tables. Each stage takes
only the rules it reads (``extract.rules``: one loader per rule file).

=========  =================================  ==================================  ===============================
stage      where                              in                                  out
=========  =================================  ==================================  ===============================
read       ``read.ingest``, ``read.pdf``,     a file (text in any encoding, PDF)  ``Document``: text (in reading
           ``read.columns``                                                       order), ``match_text`` (same
                                                                                  length, folded), pages
layout     ``read.layout``                    ``Document``                        its soft line breaks
detect     ``read.detect``                    ``match_text``, format rules        ``Detection``: format + evidence
segment    ``portrait.segment``,              ``Document``, ``SegmentRules``      ``Segmentation``: portraits
           ``portrait.profile``                                                   (header, table, body, contact),
                                                                                  member list, text outside
identify   ``portrait.identify``              ``Segmentation``, people and place  one ``CityMatch`` per portrait
           (damaged names:                    rules, mention index                (or None), with its evidence
           ``portrait.lossy``)
extract    ``portrait.extract`` (table:       ``Context`` (document,              ``PortraitResult``: indicators,
           ``indicators``, ``rows``;          ``PortraitRules``, portrait, city)  sections, items, quotes,
           ``quotes``, ``sections``,                                              contacts, findings
           ``blocks``, ``items``,
           ``contacts``, ``names``)
challenge  ``challenge.page``                 ``Document``, ``ChallengePageRules``  ``ChallengePage``
enrich     ``enrich.themes``,                 sections and items rows, theme and  themes, events and partners
           ``enrich.events``,                 event rules                         rows
           ``enrich.partners``
tables     ``tables.records``,                results and findings                rows → Arrow record batches,
           ``tables.validate``,                                                   spilled as documents finish →
           ``tables.schemas``,                                                    sorted and checked tables →
           ``tables.arrow``,                                                      CSV, Parquet, SQLite
           ``tables.stream``,                                                     (``extract.db``), data package,
           ``tables.database``,                                                   ``run.json`` (one atomic swap)
           ``tables.write``
=========  =================================  ==================================  ===============================

``pipeline`` runs them over a batch (``pipeline.run``); ``qa`` (diff,
review, eval, docs) and ``bench`` (benchmark, synthetic corpus, test
renderings) are tools around the pipeline, not stages. ``cli`` is the
command.

For analysts: ``extract.load(output_dir)`` returns the typed tables of an
output folder (pandas frames, or pyarrow Tables with ``arrow=True``)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed package's metadata when first
    asked for (``installed.version``; ``extract --help`` does without it)."""
    if name != "__version__":
        raise AttributeError(f"module 'extract' has no attribute {name!r}")
    from extract.installed import version
    found = version("extract") or "0+unknown"  # unknown: a source tree that was never installed
    globals()["__version__"] = found
    return found


def load(output_dir: str = "output", tables: Iterable[str] | None = None, *, arrow: bool = False) -> dict[str, Any]:
    """The tables of ``output_dir``, typed as the data dictionary says: table name →
    pandas frame (``string``, ``Int64``, ``float64``, dates as ``date32[pyarrow]``)
    or, with ``arrow``, pyarrow Table. Read from Parquet, or from the CSV with the
    dictionary's types where a folder has only CSVs. Imports pandas and pyarrow
    only when called."""
    from extract.tables.load import load_tables
    return load_tables(output_dir, tables, arrow=arrow)
