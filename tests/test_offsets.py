"""Every extracted value points back at its source: text[char_start:char_end]."""
from __future__ import annotations

from conftest import BROCHURE

TEXT = BROCHURE.read_text(encoding="utf-8")


def _words(s: str) -> list[str]:
    return s.replace("\u2019", "'").split()


def test_indicator_raw_is_source(tables):
    for r in tables["indicators"].itertuples():
        assert TEXT[int(r.char_start):int(r.char_end)] == r.raw


def test_tagline_span(tables):
    for r in tables["cities"].itertuples():
        assert TEXT[int(r.tagline_char_start):int(r.tagline_char_end)].split() == r.tagline.split()


def test_quote_text_starts_at_source(tables):
    for r in tables["quotes"].itertuples():
        src = TEXT[int(r.char_start):int(r.char_end)]
        assert _words(src)[:3] == _words(r.text)[:3], (r.city_id, r.text[:40])


def test_item_span_is_marker_then_text(tables):
    for r in tables["items"].itertuples():
        src = TEXT[int(r.char_start):int(r.char_end)]
        assert src.startswith(r.marker_raw), (r.city_id, src[:20])
        assert _words(src[len(r.marker_raw):])[:3] == _words(r.text)[:3], (r.city_id, r.text[:40])


def test_sections_cover_their_text(tables):
    for r in tables["sections"].itertuples():
        src = " ".join(TEXT[int(r.char_start):int(r.char_end)].split())
        first_words = r.text.split("\n")[0].lstrip("-·0123456789.) ").split()[:3]
        assert " ".join(first_words) in src, (r.city_id, r.section)


def test_contact_span_holds_email(tables):
    for r in tables["contacts"].itertuples():
        assert r.email_raw in " ".join(TEXT[int(r.char_start):int(r.char_end)].split())
