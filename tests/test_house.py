"""The shape of the package: no module imports another that imports it back
(directly or round a longer circle, lazy imports included), the package
states its stages, the README names every module, and the wheel carries the
rules."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

SRC = ROOT / "src"
MODULES = {".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__"): p
           for p in sorted((SRC / "extract").rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """The package modules ``name`` imports, anywhere in its code."""
    out = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                out.add(target if target in MODULES else base)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
    return {m for m in out if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _circles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in GRAPH:
        if v not in index:
            visit(v)
    return out


def test_no_import_circles():
    assert _circles() == []


def test_the_cycle_check_sees_a_circle(monkeypatch):
    """The check above would fail on a circle (it is not vacuous)."""
    monkeypatch.setitem(GRAPH, "extract.read.textutil", GRAPH["extract.read.textutil"] | {"extract.read.ingest"})
    assert any({"extract.read.ingest", "extract.read.textutil"} <= set(c) for c in _circles())


def test_stages_do_not_import_tools():
    """The pipeline and its stages never import the tools around them (qa, bench, cli)."""
    tools = ("extract.qa", "extract.bench", "extract.cli")
    for name, deps in GRAPH.items():
        if not name.startswith(tools) and name != "extract.__main__":
            assert not {d for d in deps if d.startswith(tools)}, name


def test_package_states_its_stages():
    doc = ast.get_docstring(ast.parse((SRC / "extract" / "__init__.py").read_text(encoding="utf-8")))
    for stage in ("read", "layout", "detect", "segment", "identify", "extract", "challenge", "enrich", "tables"):
        assert f"\n{stage} " in doc, stage


@pytest.mark.parametrize("name", sorted(MODULES))
def test_readme_names_every_module(name):
    """"How it works" names each module by its path below ``src/extract/``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How it works", 1)[1].split("\n## ", 1)[0]
    path = MODULES[name].relative_to(SRC / "extract").as_posix()
    assert f"`{path}`" in section, f"README's How it works does not name {path}"
