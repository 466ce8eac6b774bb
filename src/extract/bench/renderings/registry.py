"""The named renderings, what each needs, and ``render`` with its cache."""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from extract.bench.renderings import parts as parts_module
from extract.bench.renderings.parts import CACHE, FONTS, SEED, SOURCE, STEM
from extract.bench.renderings.pdfs import MissingTool, fpdf_pdf, mupdf_pdf, pdftotext, reportlab_pdf
from extract.bench.renderings.text import (
    CONTACT_STYLES,
    HEADING_STYLES,
    MEMBER_STYLES,
    QUOTE_STYLES,
    RESTYLED,
    TABLE_STYLES,
    _text,
    contacts_styled,
    front_matter_removed,
    headings_styled,
    lossy_ascii,
    markdown,
    member_list_at_end,
    member_list_last,
    members_styled,
    mojibake,
    mojibake_latin1,
    quotes_styled,
    replacement_char,
    restyled,
    shuffled,
    table_styled,
    tables_removed,
)
from extract.bench.variants import wrap

# ---------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Rendering:
    name: str
    make: Callable[[str, Path], Path]    # (source text, folder) → the written file
    heavy: bool = False                   # cached under .cache/renderings/
    needs: tuple[str, ...] = ()           # programs (on PATH) and Python modules it needs
    note: str = ""
    # Gold fields whose source the rendering removes, not scored for it: the
    # member list alone prints the award mark and the country as the list names it.
    removed: tuple[str, ...] = ()


REGISTRY: dict[str, Rendering] = {}


def _register(name: str, make, heavy=False, needs=(), note="", removed=()):
    REGISTRY[name] = Rendering(name, make, heavy, tuple(needs), note, tuple(removed))


def _textual(name: str, fn: Callable[[str], str], suffix: str = "txt", note: str = "", removed=()):
    _register(name, lambda src, folder: _text(name, folder, fn(src), suffix), note=note, removed=removed)


_textual("text", lambda s: s, note="the source as it is")
_textual("front-matter-removed", front_matter_removed, note="title, member list, imprint and foreword removed",
         removed=("learning_city_award", "country"))
_textual("tables-removed", tables_removed, note="the portraits' indicator tables removed",
         removed=("population", "population_year", "area_km2", "area_km2_year", "gdp_per_capita_city_usd",
                  "gdp_per_capita_city_usd_year", "gdp_per_capita_country_usd", "gdp_per_capita_country_usd_year",
                  "mean_years_schooling", "mean_years_schooling_year", "mean_years_schooling_men",
                  "mean_years_schooling_women"))
_textual("member-list-at-end", member_list_at_end, note="member list after the last portrait, before the back matter")
_textual("member-list-last", member_list_last, note="member list as the very last lines")
_textual("markdown", markdown, "md", note="Markdown")
_textual("mojibake", mojibake, note="UTF-8 read as Windows-1252 once, saved as UTF-8")
_textual("mojibake-latin1", mojibake_latin1, note="UTF-8 read as Latin-1 once, saved as UTF-8")
_textual("lossy-ascii", lossy_ascii, note="every non-ASCII letter replaced by `?` (a lossy conversion to ASCII)")
_textual("replacement-char", replacement_char, note="every non-ASCII letter replaced by U+FFFD")
_textual("shuffled", shuffled, note=f"portraits in an order shuffled with seed {SEED}")
_STYLED = {  # a part of the brochure in another layout: rendering → what it is
    "headings-caps": "section headings and the contact label in capitals (`VISION AND MOTIVATION`)",
    "headings-title": "each word of a section heading capitalised (`Vision And Motivation`)",
    "headings-amp": "`&` for `and` in the section headings (`Vision & motivation`)",
    "headings-numbered": "section headings numbered in their portrait (`2. Challenges and goals`)",
    "headings-roman": "section headings numbered in Roman numerals, in capitals (`II) CHALLENGES AND GOALS`)",
    "headings-bold": "section headings as lines in Markdown bold and the contact label in bold, no other Markdown",
    "table-colon": "indicator rows as `Label: value (year)`, one line each",
    "table-comma-scope": "indicator rows as `Label, City: value (year)`",
    "table-year-in-label": "indicator rows as `Label (year): value`",
    "table-year-cell": "indicator rows with the year in a cell of its own, no brackets",
    "table-year-comma": "indicator rows as `Label⇥value, year`",
    "table-year-first": "indicator rows as `Label⇥(year) value`",
    "table-space-thousands": "indicator figures with thousands set apart by a narrow no-break space (`80 006`)",
    "table-dot-leaders": "indicator rows as `Label ........ value (year)`",
    "members-dash": "member list entries as `Country – City`",
    "members-colon": "member list entries as `Country: City`",
    "members-city-first": "member list entries as `City, Country`",
    "members-bracketed": "member list entries as `city (country)`",
    "members-heading": "member list under the heading `MEMBER CITIES:`",
    "contacts-comma-role": "contacts as `Mr Name, Role` (a comma, not ` - `, after the name)",
    "contacts-label": "contact blocks under the heading `Contact:`",
    "contacts-email-address": "email addresses after the label `Email address:`",
    "quotes-guillemets": "pull quotes in guillemets (`«…»`)",
    "quotes-double": "pull quotes in straight double quotes",
    "quotes-curly": "pull quotes in typographic double quotes (`“…”`)",
}
for _part, _styles, _make in (("headings", HEADING_STYLES, headings_styled), ("table", TABLE_STYLES, table_styled),
                              ("members", MEMBER_STYLES, members_styled), ("contacts", CONTACT_STYLES, contacts_styled),
                              ("quotes", QUOTE_STYLES, quotes_styled)):
    for _style in _styles:
        _textual(f"{_part}-{_style}", lambda s, m=_make, st=_style: m(s, st), note=_STYLED[f"{_part}-{_style}"])
for _name, _styles in RESTYLED.items():
    _textual(f"restyled-{_name}", lambda s, n=_name: restyled(s, n),
             note="every part in another layout at once: table {}, member list {}, contacts {}, headings {}".format(
                 *(f"`{x}`" for x in _styles)))
for _w in range(30, 161, 5):
    _textual(f"wrap-{_w}", lambda s, w=_w: wrap(s, w), note=f"hard-wrapped at {_w} columns")

_PDFS = {
    "reportlab": (lambda src, path: reportlab_pdf(src, path), ("reportlab",)),
    "mupdf": (lambda src, path: mupdf_pdf(src, path), ("pymupdf",)),
    "fpdf": (lambda src, path: fpdf_pdf(src, path), ("fpdf",)),
    "fpdf-2col": (lambda src, path: fpdf_pdf(src, path, 2), ("fpdf",)),
}
for _engine, (_make, _mods) in _PDFS.items():
    _register(f"{_engine}-pdf", lambda src, folder, e=_engine, m=_make: m(src, Path(folder) / f"{STEM}-{e}.pdf"),
              heavy=True, needs=_mods, note=f"PDF by {_engine}, read by the pipeline (pdfplumber)")
    for _layout in (False, True):
        _suffix = "-layout" if _layout else ""
        _register(f"{_engine}-pdftotext{_suffix}",
                  lambda src, folder, e=_engine, lay=_layout, s=_suffix: pdftotext(
                      render(f"{e}-pdf", folder), Path(folder) / f"{STEM}-{e}-pdftotext{s}.txt", lay),
                  heavy=True, needs=(*_mods, "pdftotext"),
                  note=f"pdftotext{' -layout' if _layout else ''} of the {_engine} PDF")

NAMES = list(REGISTRY)


def missing(name: str) -> list[str]:
    """What rendering ``name`` needs that is not installed."""
    import importlib.util
    out = []
    for need in REGISTRY[name].needs:
        if need in ("pdftotext", "chromium"):
            if shutil.which(need) is None:
                out.append(need)
        elif importlib.util.find_spec(need) is None:
            out.append(f"python module {need}")
    if REGISTRY[name].heavy and name.split("-")[0] in ("reportlab", "mupdf") and not (FONTS / "DejaVuSans.ttf").exists():
        out.append("fonts-dejavu-core")
    return out


def _engines() -> str:
    """The versions of the libraries that set the PDFs: a new one makes new PDFs."""
    from importlib import metadata
    found = []
    for dist in ("reportlab", "pymupdf", "fpdf2"):
        try:
            found.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            found.append(f"{dist}=-")
    return ",".join(found)


def cache_key(name: str, source_text: str) -> str:
    """The cache key of a rendering: the source, the name, ``VERSION`` and the PDF engines' versions."""
    h = hashlib.sha256()
    for part in (source_text, name, parts_module.VERSION, _engines()):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:20]


def render(name: str, folder: str | Path, source: str | Path = SOURCE, cache: str | Path | None = CACHE) -> Path:
    """Write the brochure as rendering ``name`` into ``folder``; the file's path.
    A heavy rendering is made once into the cache and copied from there."""
    if name not in REGISTRY:
        raise KeyError(f"no rendering {name!r}; known: {', '.join(NAMES)}")
    gone = missing(name)
    if gone:
        raise MissingTool(f"rendering {name} needs {', '.join(gone)} (scripts/install-system-deps.sh)")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    src = Path(source).read_text(encoding="utf-8")
    r = REGISTRY[name]
    if not r.heavy or cache is None:
        return r.make(src, folder)
    slot = Path(cache) / f"{name}-{cache_key(name, src)}"
    if not slot.is_dir() or not any(slot.iterdir()):
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=Path(cache).mkdir(parents=True, exist_ok=True) or cache))
        try:
            made = r.make(src, tmp)
            for extra in tmp.iterdir():
                if extra != made:
                    extra.unlink()
            try:
                os.rename(tmp, slot)
            except OSError:  # another process made it first
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    cached = next(slot.iterdir())
    dest = folder / cached.name
    if dest != cached:
        shutil.copyfile(cached, dest)
    return dest


