"""The brochure's output against the hand-checked gold. For the text: one
test id per city and field. For every other rendering of the brochure
(PDFs, wrapped, CRLF, …): one test id per rendering and city, which lists
every field of the city that differs from the gold, so one failure hides
none of the others."""
from __future__ import annotations

import math
import re
import unicodedata

import pytest

from conftest import RENDERINGS, gold

TEXT = {"city", "country", "country_code", "tagline", "joined_gnlc"}
QUOTES_FOLD = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")
HONORIFICS = re.compile(r"^(?:(?:Mr|Ms|Mrs|Dr|Prof|Cllr|H\.?E\.?)\.?\s+)+", re.I)


def norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s or "").translate(QUOTES_FOLD)
    return re.sub(r"\s+", " ", s).strip().rstrip(".").strip().casefold()


def same_number(got: str, want: str) -> bool:
    if not got or not want:
        return got == want
    return math.isclose(float(got), float(want), rel_tol=1e-9)


CITY_FIELDS = [(g["city"], k, v) for g in gold("cities.csv") for k, v in g.items() if k != "city"]
CONTACT_FIELDS = [(g["city"], k, g[k]) for g in gold("contacts.csv") for k in ("honorific", "name", "role", "email", "email_raw")]
QUOTES = [(g["city"], g["speaker"], g["speaker_role"]) for g in gold("quotes.csv")]


# the PDF renderings are slow to make and to read
OTHER_RENDERINGS = [pytest.param(r, marks=pytest.mark.slow) if r.startswith("pdf") else r
                    for r in RENDERINGS if r != "text"]
CITIES = sorted({c for c, _, _ in CITY_FIELDS})


@pytest.fixture
def out(tables):
    """The tables extracted from the text."""
    return tables


def _row(table, city):
    rows = table[table["city"].map(norm) == norm(city)]
    assert len(rows) == 1, f"{city}: {len(rows)} rows"
    return rows.iloc[0]


def _city_field(out, city, field, want):
    got = _row(out["cities"], city)[field]
    if field in TEXT:
        assert norm(got) == norm(want), f"{got!r} != {want!r}"
    else:
        assert same_number(got, want), f"{got!r} != {want!r}"


def _contact_field(out, city, field, want):
    city_id = _row(out["cities"], city)["city_id"]
    contacts = out["contacts"]
    first = contacts[(contacts["city_id"] == city_id) & (contacts["position"] == "1")].iloc[0]
    assert norm(first[field]) == norm(want), f"{first[field]!r} != {want!r}"
    if field == "email":
        assert first["email_status"] == ("repaired" if want != first["email_raw"] else "valid")


def _quote_speaker(out, city, speaker, role):
    city_id = _row(out["cities"], city)["city_id"]
    quotes = out["quotes"]
    mine = quotes[quotes["city_id"] == city_id]
    match = mine[mine["speaker"].map(lambda s: norm(HONORIFICS.sub("", s))) == norm(speaker)]
    assert len(match) >= 1, list(mine["speaker"])
    assert norm(role) in set(match["speaker_role"].map(norm))


@pytest.mark.parametrize("city,field,want", CITY_FIELDS, ids=[f"{c}-{f}" for c, f, _ in CITY_FIELDS])
def test_city_field(out, city, field, want):
    _city_field(out, city, field, want)


@pytest.mark.parametrize("city,field,want", CONTACT_FIELDS, ids=[f"{c}-{f}" for c, f, _ in CONTACT_FIELDS])
def test_contact_field(out, city, field, want):
    _contact_field(out, city, field, want)


@pytest.mark.parametrize("city,speaker,role", QUOTES, ids=[f"{c}-{s}" for c, s, _ in QUOTES])
def test_quote_speaker(out, city, speaker, role):
    _quote_speaker(out, city, speaker, role)


def _misses(check, *args) -> list[str]:
    try:
        check(*args)
    except AssertionError as exc:
        return [f"{args[1:]}: {exc}".splitlines()[0]]
    return []


@pytest.mark.parametrize("city", CITIES)
@pytest.mark.parametrize("rendering", OTHER_RENDERINGS)
def test_rendering_matches_gold(rendered, rendering, city):
    """Every gold field of one city, read from another rendering of the brochure."""
    out = rendered(rendering)
    misses = [m for c, f, w in CITY_FIELDS if c == city for m in _misses(_city_field, out, city, f, w)]
    misses += [m for c, f, w in CONTACT_FIELDS if c == city for m in _misses(_contact_field, out, city, f, w)]
    misses += [m for c, s, r in QUOTES if c == city for m in _misses(_quote_speaker, out, city, s, r)]
    assert misses == []
