"""Start-up: ``extract --version`` and ``--help`` import none of the heavy
libraries, ``extract run`` with the rules in the cache does not import spaCy,
and the rules come from the cache on disk when their files (and the code
that loads them) have not changed, with the same output."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BROCHURE
from extract.cli import DIFF_FORMATS
from extract.errors import RuleError
from extract.pipeline import run
from extract.qa.diff_render import FORMATS
from extract.rules import DEFAULT_DIR, load_rules
from extract.rules.cache import ENV, cache_dir, cache_key

HEAVY = ("spacy", "pandas", "pandera", "pyarrow", "numpy", "pdfplumber", "rich", "yaml", "regex")
_IMPORTED = f"""
import runpy, sys
sys.argv = ["extract", *sys.argv[1:]]
try:
    runpy.run_module("extract", run_name="__main__")
except SystemExit:
    pass
print(" ".join(sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))))
"""


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_import_nothing_heavy(flag):
    """``python -m extract --version`` (the console script runs the same
    ``cli.main``) leaves spaCy, pandas, pandera, pyarrow, … unimported."""
    done = subprocess.run([sys.executable, "-c", _IMPORTED, flag], capture_output=True, text=True, check=True)
    *shown, imported = done.stdout.splitlines() or [""]
    assert imported == ""
    assert shown[0].startswith("extract ") if flag == "--version" else "usage: extract" in done.stdout


def test_a_run_with_the_rules_cached_does_not_import_spacy(cache_home, tmp_path):
    """``python -m extract run raw`` with the rules in the cache (a fresh
    process, as a run is) never imports spaCy: the theme matcher it unpickles
    holds none of spaCy's objects, and tokenizes and matches without it."""
    load_rules()  # stored
    (stored,) = cache_home.glob("rules-*.pickle")
    written = stored.stat().st_mtime_ns
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home.parent), ENV: "1"}
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", _IMPORTED, "run", str(BROCHURE.parent), "--out", str(out)],
                          capture_output=True, text=True, env=env)
    *_, imported = done.stdout.splitlines() or [""]
    assert (out / "themes.csv").stat().st_size > 10_000, done.stderr
    assert "spacy" not in imported.split() and "pyarrow" in imported.split()
    assert [p.stat().st_mtime_ns for p in cache_home.glob("rules-*.pickle")] == [written]  # read, not built


def test_the_command_offers_the_diff_formats_there_are():
    assert DIFF_FORMATS == FORMATS


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv(ENV, "1")
    return tmp_path / "cache" / "extract"


def test_rules_are_cached_on_disk_and_read_back(cache_home, rules):
    first = load_rules()
    files = list(cache_home.glob("rules-*.pickle"))
    assert cache_dir() == cache_home and len(files) == 1
    again = load_rules()
    assert again is not first
    assert (again.digest, again.rule_ids, again.files) == (rules.digest, rules.rule_ids, rules.files)
    assert list(cache_home.glob("rules-*.pickle")) == files


def test_cached_rules_give_the_same_tables(cache_home, brochure_out, tmp_path):
    load_rules()  # stored
    cached = load_rules()  # read back
    run([BROCHURE], tmp_path / "out", cached, say=lambda line: None)
    csvs = sorted(p.name for p in brochure_out.glob("*.csv"))
    assert csvs and sorted(p.name for p in (tmp_path / "out").glob("*.csv")) == csvs
    for name in csvs:
        assert (tmp_path / "out" / name).read_bytes() == (brochure_out / name).read_bytes(), name


def test_the_key_changes_with_the_rule_files():
    assert cache_key("a" * 64) != cache_key("b" * 64)
    assert cache_key("a" * 64) == cache_key("a" * 64)


def test_a_broken_cache_file_is_built_again(cache_home, rules):
    load_rules()
    (path,) = cache_home.glob("rules-*.pickle")
    path.write_bytes(b"not a pickle")
    assert load_rules().rule_ids == rules.rule_ids
    assert path.read_bytes() != b"not a pickle"


def test_no_cache_when_turned_off_or_unwritable(tmp_path, monkeypatch, rules):
    monkeypatch.setenv(ENV, "0")
    assert cache_dir() is None
    monkeypatch.setenv(ENV, "1")
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_rules().rule_ids == rules.rule_ids
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG spec says
    assert cache_dir() == Path(os.path.expanduser("~")) / ".cache" / "extract"


def test_a_broken_rules_folder_is_never_cached(cache_home, tmp_path):
    broken = tmp_path / "rules"
    broken.mkdir()
    for p in DEFAULT_DIR.iterdir():
        if p.name.endswith(".yaml"):
            (broken / p.name).write_bytes(p.read_bytes())
    (broken / "headings.yaml").write_text("kind: headings\nrules: [{id: h}]\n", encoding="utf-8")
    with pytest.raises(RuleError):
        load_rules(broken)
    assert not list(cache_home.glob("rules-*.pickle"))


def test_installed_versions_are_what_importlib_metadata_reads(tmp_path, monkeypatch):
    """``installed.version`` gives what ``importlib.metadata.version`` gives
    for every distribution installed here, under any spelling of its name,
    and None for one that is not installed; a folder on ``sys.path`` with a
    dist-info that has no Version line is read by ``importlib.metadata``."""
    from importlib import metadata

    from extract import installed
    names = {d.metadata["Name"] for d in metadata.distributions()}
    assert len(names) > 20
    for name in names:
        assert installed.version(name) == metadata.version(name), name
        assert installed.version(name.upper().replace("-", "_")) == metadata.version(name), name
    assert installed.version("no-such-distribution-here") is None
    odd = tmp_path / "Odd_Thing-1.0.dist-info"
    odd.mkdir()
    (odd / "METADATA").write_text("Metadata-Version: 2.1\nName: odd-thing\n\nVersion: 9\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert installed.version("odd.thing") is None  # no Version header: importlib.metadata finds none either


def test_the_command_starts_no_blas_threads_unless_told_to(monkeypatch):
    """``extract`` sets ``OPENBLAS_NUM_THREADS=1`` for itself and the
    processes it starts (numpy's thread would spin for some 0.1 s of CPU at
    import), and leaves a value the caller set as it is."""
    from extract import cli
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert os.environ["OPENBLAS_NUM_THREADS"] == "4"
