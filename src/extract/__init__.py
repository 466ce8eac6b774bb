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
                                              rules, mention index                (or None), with its evidence
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
           ``tables.arrow``,                                                      CSV, Parquet, data package,
           ``tables.stream``,                                                     ``run.json`` (one atomic swap)
           ``tables.write``
=========  =================================  ==================================  ===============================

``pipeline`` runs them over a batch (``pipeline.run``); ``qa`` (diff,
review, eval, docs) and ``bench`` (benchmark, synthetic corpus, test
renderings) are tools around the pipeline, not stages. ``cli`` is the
command."""
from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("extract")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
