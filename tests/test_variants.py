"""Every rendering of the brochure gives the same records as the text file:
values, years, section and item texts, people and quotes (offsets differ)."""
from __future__ import annotations

import pytest

from conftest import RENDERINGS

# table → (key columns, compared columns)
COMPARED = {
    "cities": (["city_id"], ["tagline", "joined_gnlc", "population", "area_km2", "gdp_per_capita_city_usd",
                             "gdp_per_capita_country_usd", "mean_years_schooling", "intro", "vision",
                             "challenges", "plan", "contact_name", "contact_email"]),
    "indicators": (["city_id", "indicator", "scope", "group"], ["value", "value_min", "value_max", "year"]),
    "sections": (["city_id", "section"], ["text"]),
    "items": (["city_id", "section", "position"], ["marker", "text"]),
    "contacts": (["city_id", "position"], ["honorific", "name", "role", "email", "email_status"]),
    "quotes": (["city_id", "position"], ["text", "speaker", "speaker_role"]),
    "findings": (["city_id", "code"], ["severity"]),
}
_FOLD = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")


def _records(frame, key, cols) -> list[tuple]:
    def norm(v: str) -> str:
        return " ".join(v.translate(_FOLD).split())
    return sorted(tuple(norm(r[c]) for c in key + cols) for _, r in frame.iterrows())


# In two narrow columns an inline enumeration (`… colleges: (1) the United
# World Colleges …`) can wrap so that `(1)` starts a line, and it is then read
# as a list entry: the items of that rendering are checked by the gold only.
SAME_RECORDS = [(r, t) for r in RENDERINGS if r != "text" for t in COMPARED if (r, t) != ("pdf-2col", "items")]


def slow_if_pdf(*values):
    """Parameters whose first is a rendering, marked slow when it is a PDF (slow to make and to read)."""
    if values[0].startswith("pdf"):
        return pytest.param(*values, marks=pytest.mark.slow)
    return values if len(values) > 1 else values[0]


@pytest.mark.parametrize("rendering,table", [slow_if_pdf(r, t) for r, t in SAME_RECORDS])
def test_rendering_gives_the_same_records(rendered, rendering, table):
    key, cols = COMPARED[table]
    want, got = rendered("text")[table], rendered(rendering)[table]
    if table == "findings":  # repairs (info) depend on the rendering; problems do not
        want, got = want[want["severity"] != "info"], got[got["severity"] != "info"]
    want, got = _records(want, key, cols), _records(got, key, cols)
    assert got == want


@pytest.mark.parametrize("rendering", [slow_if_pdf(r) for r in RENDERINGS if r != "text"])
def test_offsets_point_into_the_rendering(rendered, rendering, tmp_path):
    """Offsets are positions in the rendering's own text."""
    from conftest import render
    from extract.read.ingest import ingest
    text = ingest(render(rendering, tmp_path)).text
    for _, r in rendered(rendering)["indicators"].iterrows():
        if r["raw"]:
            assert text[int(r["char_start"]):int(r["char_end"])] == r["raw"]
