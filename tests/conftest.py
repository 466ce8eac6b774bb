from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
import yaml

from extract.bench.textpdf import text_to_pdf
from extract.bench.variants import VARIANTS
from extract.pipeline import run
from extract.portrait.context import Context, PortraitRules
from extract.read.ingest import fold
from extract.read.textutil import lines_of
from extract.rules import load_rules
from extract.types import Document, Portrait, Span

# No rules cache on disk (extract.rules.cache) unless a test asks for one in a folder of its own.
os.environ.setdefault("EXTRACT_RULES_CACHE", "0")

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
BROCHURE = ROOT / "raw" / "gnlc-portraits-2016.txt"
GOLD = ROOT / "tests" / "gold" / "brochure-2016"


def rule_ids(node) -> list[str]:
    """Every rule id in a YAML tree, in order, repeats kept (rules may nest: a format's signals)."""
    if isinstance(node, list):
        return [i for n in node for i in rule_ids(n)]
    if isinstance(node, dict):
        return ([node["id"]] if "id" in node else []) + [i for v in node.values() for i in rule_ids(v)]
    return []


def cases(name: str) -> list:
    return yaml.safe_load((CASES / name).read_text(encoding="utf-8"))


def gold(name: str) -> list[dict]:
    with open(GOLD / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def rules():
    return load_rules()


def context(text: str, rules) -> Context:
    """A context whose portrait is the whole of ``text``."""
    doc = Document("case.txt", "case.txt", text, fold(text), "utf-8")
    lines = lines_of(doc.match_text)
    portrait = Portrait("case.txt", 0, Span(0, len(text)), lines, (), None)
    return Context(doc, PortraitRules.of(rules), portrait, "case")


@pytest.fixture(scope="session")
def brochure_out(tmp_path_factory, rules):
    """The brochure extracted once into a temporary folder."""
    out = tmp_path_factory.mktemp("out")
    run([BROCHURE], out, rules, say=lambda line: None)
    return out


@pytest.fixture(scope="session")
def raw_out(tmp_path_factory, rules):
    """Every document of raw/ (brochure, web profile, challenge page) extracted once."""
    out = tmp_path_factory.mktemp("raw-out")
    run([ROOT / "raw"], out, rules, say=lambda line: None)
    return out


def read_tables(out: Path) -> dict:
    import pandas as pd
    return {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in out.glob("*.csv")}


@pytest.fixture(scope="session")
def tables(brochure_out):
    return read_tables(brochure_out)


# Other renderings of the brochure, made by code from the text file: a PDF in
# one column and one in two (fpdf2), and the text variants of ``extract.variants``.
RENDERINGS = ["text", "pdf", "pdf-2col", *VARIANTS]


def render(name: str, folder: Path) -> Path:
    """The brochure as rendering ``name``, written into ``folder``."""
    if name == "text":
        return BROCHURE
    if name in ("pdf", "pdf-2col"):
        return text_to_pdf(BROCHURE.read_text(encoding="utf-8"), folder / f"{BROCHURE.stem}-{name}.pdf",
                           columns=2 if name == "pdf-2col" else 1)
    path = folder / f"{BROCHURE.stem}-{name}.txt"
    path.write_bytes(VARIANTS[name](BROCHURE.read_text(encoding="utf-8")).encode("utf-8"))
    return path


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, rules, tables):
    """name → the tables extracted from that rendering of the brochure (cached)."""
    cache = {"text": tables}

    def get(name: str) -> dict:
        if name not in cache:
            folder = tmp_path_factory.mktemp(name)
            run([render(name, folder)], folder / "out", rules, say=lambda line: None)
            cache[name] = read_tables(folder / "out")
        return cache[name]
    return get


@pytest.fixture(scope="session")
def committed_rows() -> dict[str, list[dict]]:
    """The committed output/ tables as lists of plain row dicts (None for a null)."""
    import pandas as pd
    out = {}
    for path in sorted((ROOT / "output").glob("*.parquet")):
        frame = pd.read_parquet(path)
        out[path.stem] = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return out


@pytest.fixture(scope="session")
def raw_text():
    """document_id → the decoded text of raw/<document_id> (what the offsets index)."""
    from functools import cache

    from extract.read.ingest import ingest

    @cache
    def text(document_id: str) -> str:
        return ingest(ROOT / "raw" / document_id).text
    return text



def rows_of_text(text: str, folder: Path, rules) -> dict[str, list[dict]]:
    """The rows, per table, of one document holding ``text`` (written into
    ``folder`` under the brochure's file name)."""
    from extract.pipeline import document_rows

    path = Path(folder) / BROCHURE.name
    path.write_text(text, encoding="utf-8")
    return document_rows(path, rules)


@pytest.fixture(scope="session")
def brochure_rows(tmp_path_factory, rules) -> dict[str, list[dict]]:
    """The rows of the brochure as printed, read by ``document_rows``: what a
    rendering of it made by code is compared with."""
    return rows_of_text(BROCHURE.read_text(encoding="utf-8"), tmp_path_factory.mktemp("printed"), rules)


def fields(rows: dict[str, list[dict]], keys: dict[str, tuple[str, ...]]) -> dict[str, list[tuple]]:
    """Per table of ``keys``, its rows' fields (``None`` where a row has
    none), sorted; the contact section (the block as printed) left out."""
    return {t: sorted((tuple(r.get(k) for k in ks) for r in rows[t] if r.get("section") != "contact"), key=repr)
            for t, ks in keys.items()}
