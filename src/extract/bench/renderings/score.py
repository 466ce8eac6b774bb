"""A rendering's tables scored against the gold as ``score.py`` of the shared
tools does; the matrix of many, its Markdown table and the command."""
from __future__ import annotations

import csv
import math
import re
import shutil
import tempfile
import time
import unicodedata
from pathlib import Path

from extract.bench.renderings.parts import BAR, CACHE, CITIES, GOLD, SOURCE, parse
from extract.bench.renderings.registry import NAMES, REGISTRY, missing, render

# ---------------------------------------------------------------- scoring (as score.py does)

_HONORIFICS = re.compile(r"^(?:(?:Mr|Ms|Mrs|Dr|Prof|Cllr|H\.?E\.?)\.?\s+)+", re.I)
_TEXT_FIELDS = {"city", "country", "country_code", "tagline", "joined_gnlc"}


def _norm(s) -> str:
    s = unicodedata.normalize("NFC", s or "")
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    s = re.sub(r"\s+", " ", s).strip().rstrip(".").strip()
    return s.casefold()


def _person(s) -> str:
    return _norm(_HONORIFICS.sub("", (s or "").strip()))


def _num_eq(a, b) -> bool:
    if (a or "").strip() == "" or (b or "").strip() == "":
        return (a or "").strip() == (b or "").strip()
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)


def _rows(path: Path) -> list[dict] | None:
    if not path.exists():
        return None
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def brochure_cities(source: str | Path = SOURCE) -> list[str]:
    """The 37 city names of the brochure's member list (awardee marks dropped)."""
    b = parse(Path(source).read_text(encoding="utf-8"))
    return [re.sub(r"\s*(\[\*\]|\*)\s*$", "", ln.split("\t")[-1]).strip()
            for ln in b.member_list.split("\n") if "\t" in ln]


def score_output(out: str | Path, gold: str | Path = GOLD, document: str = "portraits-2016",
                 expected: list[str] | None = None, removed: tuple[str, ...] = ()) -> dict:
    """Score the tables in ``out`` against the gold tables in ``gold`` exactly as
    ``score.py`` does: hits and totals per field, the misses, and the sums. The
    gold covers 25 of the 37 portraits; ``cities`` counts how many of ``expected``
    (default: the brochure's member list) have an output row of that name.
    Fields in ``removed`` (their source is not in the rendering) are not scored."""
    expected = brochure_cities() if expected is None else expected
    out, gold = Path(out), Path(gold)
    hits: dict[str, int] = {}
    total: dict[str, int] = {}
    misses: list[str] = []

    def tally(key, ok, detail):
        total[key] = total.get(key, 0) + 1
        hits[key] = hits.get(key, 0) + (1 if ok else 0)
        if not ok:
            misses.append(detail)

    def mine(rows):
        return [r for r in rows if "document_id" not in r or document in (r.get("document_id") or "")]

    cities = _rows(out / "cities.csv")
    if cities is None:
        return {"hits": 0, "fields": 1, "percent": 0.0, "cities": 0, "cities_total": len(expected),
                "rows": 0, "per_field": {}, "misses": [f"no {out / 'cities.csv'}"]}
    cities = mine(cities)
    by_name: dict[str, dict] = {}
    for r in cities:
        by_name.setdefault(_norm(r.get("city")), r)
    id_to_name = {r.get("city_id"): _norm(r.get("city")) for r in cities}
    contacts = mine(_rows(out / "contacts.csv") or [])
    quotes = mine(_rows(out / "quotes.csv") or [])
    first_contact: dict = {}
    for r in sorted(contacts, key=lambda r: int(r.get("position") or 1)):
        first_contact.setdefault(id_to_name.get(r.get("city_id")), r)
    quotes_by: dict = {}
    for r in quotes:
        quotes_by.setdefault(id_to_name.get(r.get("city_id")), []).append(r)

    for g in _rows(gold / "cities.csv") or []:
        o = by_name.get(_norm(g["city"]))
        tally("city found", o is not None, f"{g['city']}: no output row")
        if o is None:
            continue
        for k, v in g.items():
            if k == "city" or k in removed:
                continue
            got = o.get(k)
            ok = (_norm(got) == _norm(v)) if k in _TEXT_FIELDS else _num_eq(got, v)
            tally(k, ok, f"{g['city']}.{k}: want {v!r} got {got!r}")
    for g in _rows(gold / "contacts.csv") or []:
        o = first_contact.get(_norm(g["city"]))
        tally("contact found", o is not None, f"{g['city']}: no contact row")
        if o is None:
            continue
        tally("contact name", _person(o.get("name")) == _person(g["name"]),
              f"{g['city']}.contact name: want {g['name']!r} got {o.get('name')!r}")
        tally("contact role", _norm(o.get("role")) == _norm(g["role"]),
              f"{g['city']}.contact role: want {g['role']!r} got {o.get('role')!r}")
        tally("contact email", _norm(o.get("email")) == _norm(g["email"]),
              f"{g['city']}.contact email: want {g['email']!r} got {o.get('email')!r}")
        if g["email"] != g["email_raw"]:
            tally("contact email_status", _norm(o.get("email_status")) == "repaired",
                  f"{g['city']}.email_status: want 'repaired' got {o.get('email_status')!r}")
    for g in _rows(gold / "quotes.csv") or []:
        qs = quotes_by.get(_norm(g["city"]), [])
        match = [q for q in qs if _person(q.get("speaker")) == _person(g["speaker"])]
        tally("quote speaker", bool(match),
              f"{g['city']}.quote speaker: want {g['speaker']!r} got {[q.get('speaker') for q in qs]!r}")
        if match:
            tally("quote speaker_role", any(_norm(q.get("speaker_role")) == _norm(g["speaker_role"]) for q in match),
                  f"{g['city']}.quote role: want {g['speaker_role']!r} got {[q.get('speaker_role') for q in match]!r}")
    h, t = sum(hits.values()), sum(total.values())
    found = sum(1 for n in expected if _norm(n) in by_name)
    return {"hits": h, "fields": t, "percent": round(100.0 * h / max(t, 1), 1),
            "cities": found, "cities_total": len(expected), "rows": len(cities),
            "per_field": {k: (hits[k], total[k]) for k in total}, "misses": misses}


_RULES = None


def run_pipeline(path: Path, out: Path) -> None:
    """The pipeline on one file, in this process (rules loaded once)."""
    global _RULES
    from extract.pipeline import run
    from extract.rules import load_rules
    if _RULES is None:
        _RULES = load_rules()
    run([path], out, _RULES, say=lambda line: None)


def score_rendering(name: str, gold: str | Path = GOLD, source: str | Path = SOURCE,
                    cache: str | Path | None = CACHE, keep: str | Path | None = None) -> dict:
    """Render, extract (in process) and score one rendering: cities found of 37,
    gold fields hit of all, percent, whether it passes the bar (every city and
    ≥99% of the fields), the misses, seconds to render and to extract. With
    ``keep``, the rendering and its tables are left in that folder."""
    with tempfile.TemporaryDirectory(prefix=f"render-{name}-") as tmp:
        work = Path(keep) if keep else Path(tmp)
        t0 = time.perf_counter()
        path = render(name, work / "in", source=source, cache=cache)
        t1 = time.perf_counter()
        out = work / "out"
        if out.exists():
            shutil.rmtree(out)
        error = None
        try:
            run_pipeline(path, out)
        except Exception as exc:  # a rendering the pipeline rejects scores nothing
            error = f"{type(exc).__name__}: {exc}"
        t2 = time.perf_counter()
        result = score_output(out, gold, expected=brochure_cities(source), removed=REGISTRY[name].removed)
    result.update(rendering=name, render_seconds=round(t1 - t0, 2), extract_seconds=round(t2 - t1, 2),
                  error=error)
    result["passes"] = passes(result)
    return result


def passes(result: dict) -> bool:
    return result["cities"] == result["cities_total"] == CITIES and result["hits"] >= BAR * result["fields"]


def _score_or_skip(name: str) -> dict:
    gone = missing(name)
    if gone:
        return {"rendering": name, "skipped": f"needs {', '.join(gone)}"}
    return score_rendering(name)


def matrix(names: list[str] | None = None, workers: int = 2) -> list[dict]:
    """``score_rendering`` of each of ``names`` (default: all), ``workers`` at a time."""
    names = list(names or NAMES)
    if workers <= 1 or len(names) == 1:
        return [_score_or_skip(n) for n in names]
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_score_or_skip, names))


def table(results: list[dict]) -> str:
    lines = ["| rendering | cities | gold fields | % | passes bar |", "|---|---|---|---|---|"]
    # cities: the member list's cities with an output row of that name (of 37); gold fields: score.py's
    for r in results:
        if "skipped" in r:
            lines.append(f"| {r['rendering']} | – | – | – | skipped: {r['skipped']} |")
            continue
        mark = "yes" if r["passes"] else "no" + (f" ({r['error']})" if r.get("error") else "")
        lines.append(f"| {r['rendering']} | {r['cities']}/{r['cities_total']} | {r['hits']}/{r['fields']} | "
                     f"{r['percent']:.1f} | {mark} |")
    return "\n".join(lines)


def matrix_report(names: list[str] | None = None, workers: int = 2) -> str:
    """The Markdown table of the renderings ``names`` (default: all): cities found,
    gold fields hit, percent, and whether it passes the bar (37/37 cities, ≥99% of fields)."""
    return table(matrix(names, workers))


def expected_yaml(results: list[dict], causes: dict[str, str] | None = None) -> str:
    """``tests/renderings_expected.yaml`` from ``results``: each rendering → pass or
    fail with its figures (and why it fails, from ``causes``)."""
    lines = ["# Today's result of every rendering of extract.bench.renderings (tests/test_renderings.py).",
             "# pass: 37/37 cities and >=99% of the gold fields; fail: the test is a strict xfail, so a",
             "# rendering that starts passing fails the suite until its entry here says pass.",
             "# Remake: python -m extract.bench.renderings --write-expected tests/renderings_expected.yaml"]
    for r in results:
        if "skipped" in r:
            continue
        entry = {"result": "pass" if r["passes"] else "fail", "cities": f"{r['cities']}/{r['cities_total']}",
                 "fields": f"{r['hits']}/{r['fields']}", "percent": r["percent"]}
        if causes and causes.get(r["rendering"]) and not r["passes"]:  # why it fails; a pass needs none
            entry["cause"] = causes[r["rendering"]]
        body = ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in entry.items())
        lines.append(f"{r['rendering']}: {{{body}}}")
    return "\n".join(lines) + "\n"


README_MARKS = ("<!-- BEGIN renderings -->", "<!-- END renderings -->")


def readme_table(expected: dict[str, dict]) -> str:
    """The README's table of the renderings tried, from ``tests/renderings_expected.yaml``
    (what the last run of the matrix measured): each rendering, what it is, its scores."""
    lines = ["| rendering | what it is | cities | gold fields | % | meets the bar |", "|---|---|---|---|---|---|"]
    for name in NAMES:
        e = expected.get(name)
        if e is None:
            continue
        removed = REGISTRY[name].removed
        note = REGISTRY[name].note + (f" (not scored: {', '.join(removed)}, which it removes)" if removed else "")
        mark = "yes" if e["result"] == "pass" else f"no: {e.get('cause', '')}".rstrip(": ")
        lines.append(f"| `{name}` | {note} | {e['cities']} | {e['fields']} | {float(e['percent']):.1f} | {mark} |")
    return "\n".join(lines)


def write_readme(readme: Path, expected: dict[str, dict]) -> bool:
    """Replace the README's renderings table; whether it changed."""
    text = readme.read_text(encoding="utf-8")
    begin, end = README_MARKS
    head, _, rest = text.partition(begin + "\n")
    _, _, tail = rest.partition(end)
    new = head + begin + "\n" + readme_table(expected) + "\n" + end + tail
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def _yaml_scalar(v) -> str:
    import json
    return json.dumps(v, ensure_ascii=False) if isinstance(v, str) else str(v)


def main(argv: list[str] | None = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(prog="python -m extract.bench.renderings", description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="+", metavar="NAME", help="these renderings (default: all)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--list", action="store_true", help="list the renderings and stop")
    ap.add_argument("--write", metavar="DIR", help="write the renderings into DIR and stop")
    ap.add_argument("--write-expected", metavar="YAML",
                    help="also write today's results there (the causes already in it kept)")
    ap.add_argument("--readme", metavar="README",
                    help="with --write-expected: rewrite the README's table of renderings from it")
    a = ap.parse_args(argv)
    if a.list:
        for n in NAMES:
            print(f"{n:32s} {REGISTRY[n].note}")
        return 0
    if a.write:
        for n in a.only or NAMES:
            print(render(n, a.write))
        return 0
    t0 = time.perf_counter()
    results = matrix(a.only, a.workers)
    print(table(results))
    print(f"\n{time.perf_counter() - t0:.0f} s")
    if a.write_expected:
        import yaml
        path = Path(a.write_expected)
        old = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}
        kept = {n: e for n, e in old.items() if n not in {r["rendering"] for r in results}}
        causes = {n: e.get("cause", "") for n, e in old.items()}
        text = expected_yaml(results, causes)
        for n, e in kept.items():
            text += f"{n}: {{{', '.join(f'{k}: {_yaml_scalar(v)}' for k, v in e.items())}}}\n"
        path.write_text(text, encoding="utf-8")
        if a.readme:
            write_readme(Path(a.readme), yaml.safe_load(text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
