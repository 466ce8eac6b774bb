"""Contact blocks set in another layout (``Mr Name, Role``, the heading
``Contact:``, the label ``Email address:``: ``extract.bench.renderings``'
``contacts-*`` renderings, made by code from the brochure) give the
brochure's contacts, and the people of its quotes, field for field; pull
quotes in other marks (``quotes-*``) give its quotes."""
from __future__ import annotations

import pytest

from conftest import BROCHURE, fields, rows_of_text
from extract.bench.renderings.text import CONTACT_STYLES, QUOTE_STYLES, contacts_styled, quotes_styled
from extract.portrait.names import parse_person

SOURCE = BROCHURE.read_text(encoding="utf-8")
KEYS = {"contacts": ("city_id", "position", "honorific", "name", "role", "email", "email_status"),
        "quotes": ("city_id", "speaker", "speaker_role")}


@pytest.mark.parametrize("style", list(CONTACT_STYLES))
def test_a_contact_block_in_another_layout_gives_the_same_contacts(tmp_path, rules, brochure_rows, style):
    text = contacts_styled(SOURCE, style)
    assert text != SOURCE
    rows = rows_of_text(text, tmp_path, rules)
    contacts = brochure_rows["contacts"]
    assert len(contacts) >= 37 and any(r["email_status"] == "repaired" for r in contacts)
    assert fields(rows, KEYS) == fields(brochure_rows, KEYS)
    assert not {f["code"] for f in rows["findings"]} & {"contact_unparsed", "section_missing", "email_missing"}


@pytest.mark.parametrize("line,person", [
    ("Mr Jan Kowal, Mayor of X", ("Mr", "Jan Kowal", "Mayor of X")),
    ("Ms Ana de la Cruz, Head of Education, City Council", ("Ms", "Ana de la Cruz", "Head of Education, City Council")),
    ("Mr Jan Kowal - Mayor of X, Poland", ("Mr", "Jan Kowal", "Mayor of X, Poland")),  # a dash first: as before
    ("The city council, in 2015", None),  # no name before the comma
])
def test_a_name_ends_at_a_dash_or_else_at_the_first_comma(rules, line, person):
    parsed = parse_person(line, rules.people)
    assert (parsed and (parsed.person.honorific, parsed.person.name, parsed.person.role)) == person


@pytest.mark.parametrize("style", list(QUOTE_STYLES))
def test_quotes_in_other_marks_give_the_same_quotes(tmp_path, rules, brochure_rows, style):
    text = quotes_styled(SOURCE, style)
    assert text.count(QUOTE_STYLES[style][0]) >= 10
    rows = rows_of_text(text, tmp_path, rules)
    keys = {"quotes": ("city_id", "text", "speaker", "speaker_role"), "sections": ("city_id", "section", "text")}
    assert fields(rows, keys) == fields(brochure_rows, keys)
