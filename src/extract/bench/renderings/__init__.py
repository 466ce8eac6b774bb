"""A matrix of renderings of the 2016 brochure, made by code, scored against the gold.

Each rendering is a function that writes the brochure (``raw/gnlc-portraits-2016.txt``)
as that rendering into a folder and returns the file's path: the text with its
front matter removed or its member list moved, Markdown, PDFs set by reportlab
and by PyMuPDF (``fitz.Story``) like a printed brochure, ``pdftotext`` of those
PDFs (default and ``-layout``), mojibake, letters lost to a lossy conversion
(``?``, U+FFFD), hard wraps at 30…160 columns, the
portraits shuffled. All are deterministic; the heavy ones (PDFs, pdftotext) are
cached under ``.cache/renderings/`` keyed by a hash of the source text, the
rendering's name and ``VERSION``.

``score_rendering(name)`` runs the pipeline on one rendering in a temporary
folder and scores its tables the way ``score.py`` of the shared tools does
(cities matched by name; each gold field a hit or a miss); ``matrix_report``
gives the Markdown table of many. ``python -m extract.bench.renderings
[--only NAME ...]`` prints it.

Needs the ``test`` extra (reportlab, pymupdf) and Debian's poppler-utils and
fonts-dejavu-core (``scripts/install-system-deps.sh``) for the PDF renderings."""
from extract.bench.renderings.parts import BAR, CACHE, CITIES, GAP, GOLD, SOURCE, VERSION, parse
from extract.bench.renderings.registry import NAMES, REGISTRY, cache_key, missing, render
from extract.bench.renderings.score import (
                                            brochure_cities,
                                            matrix,
                                            matrix_report,
                                            passes,
                                            readme_table,
                                            score_rendering,
                                            write_readme,
)
from extract.bench.renderings.text import (
                                            front_matter_removed,
                                            lossy_ascii,
                                            markdown,
                                            member_list_at_end,
                                            member_list_last,
                                            mojibake,
                                            mojibake_latin1,
                                            replacement_char,
                                            shuffled,
)
from extract.bench.variants import wrap

__all__ = ["BAR", "CACHE", "CITIES", "GAP", "GOLD", "NAMES", "REGISTRY", "SOURCE", "VERSION", "brochure_cities",
           "cache_key", "front_matter_removed", "lossy_ascii", "markdown", "matrix", "matrix_report", "member_list_at_end",
           "member_list_last", "missing", "mojibake", "mojibake_latin1", "parse", "passes", "render",
           "readme_table", "replacement_char", "score_rendering", "shuffled", "wrap", "write_readme"]
