"""Labelled cases per stage, from tests/cases/*.yaml: one test id per case."""
from __future__ import annotations

import pytest

from conftest import cases, context
from extract.portrait.contacts import extract_contacts
from extract.portrait.items import extract_items
from extract.portrait.names import parse_person
from extract.portrait.quantities import number
from extract.portrait.quotes import extract_quotes
from extract.portrait.rows import line_to_row
from extract.portrait.sections import extract_sections


@pytest.mark.parametrize("case", cases("rows.yaml"), ids=lambda c: c["line"][:30])
def test_row(case, rules):
    row = line_to_row(case["line"], rules.indicators)
    assert row is not None
    assert (row.label.key if row.label else None) == case["indicator"]
    scope = row.scope.key if row.scope else row.label.default_scope
    assert scope == case["scope"]
    value_raw = row.value_raw.lstrip("/| ")
    assert value_raw == case["raw"]
    value = None if value_raw in rules.indicators.missing else number(value_raw)[0]
    assert value == case["value"]
    year = int(row.year_raw) if row.year_raw.isdigit() else None
    assert year == case["year"]
    assert bool(row.errors) == bool(case.get("repaired"))


@pytest.mark.parametrize("line", cases("not_rows.yaml"))
def test_not_row(line, rules):
    row = line_to_row(line, rules.indicators)
    assert row is None or not row.value_raw or row.label is None and row.scope is None


@pytest.mark.parametrize("raw,value,repair", cases("numbers.yaml"), ids=lambda x: str(x))
def test_number(raw, value, repair):
    assert number(raw) == (value, repair)


@pytest.mark.parametrize("case", cases("people.yaml"), ids=lambda c: c["text"][:30])
def test_person(case, rules):
    parsed = parse_person(case["text"], rules.people)
    assert (parsed.person.honorific, parsed.person.name, parsed.person.role) == (
        case["honorific"], case["name"], case["role"])


@pytest.mark.parametrize("case", cases("contacts.yaml"), ids=lambda c: c["block"].strip()[:30])
def test_contact(case, rules):
    ctx = context(case["block"], rules)
    got = extract_contacts(ctx, 0, len(case["block"])).records
    assert got, "no contact read"
    for key, want in case["expect"].items():
        assert getattr(got[0], key) == want, key


@pytest.mark.parametrize("case", cases("quotes.yaml"), ids=lambda c: c["body"][:30])
def test_quotes(case, rules):
    ctx = context(case["body"], rules)
    got = extract_quotes(ctx, 0, len(case["body"])).records
    assert [(q.text, q.speaker, q.speaker_role) for q in got] == [
        (e["text"], e["speaker"], e["speaker_role"]) for e in case["expect"]]
    for q in got:  # every piece of a quote is its source text
        assert " ".join(ctx.doc.text[s.start:s.end] for s in q.spans).split() == q.text.split()


@pytest.mark.parametrize("case", cases("items.yaml"), ids=lambda c: c["body"][:30])
def test_items(case, rules):
    body = "Plan and implementation\n" + case["body"]
    ctx = context(body, rules)
    sections, blocks, _ = extract_sections(ctx, 0, len(body), ())
    got = extract_items(ctx, blocks).records
    assert [[i.marker, i.level, i.text] for i in got] == case["expect"]
    for i in got:  # the span is the marker, then the text (or, rejoined, two entries)
        src = ctx.doc.text[i.char_start:i.char_end]
        assert src.startswith(i.marker_raw)
        assert src[len(i.marker_raw):].split() == i.text.split() or "\n-" in src


def test_plain_emails_are_those_email_validator_accepts():
    """``contacts`` finds plain addresses valid without ``email_validator``:
    every address of that shape it accepts, the library accepts too, and its
    special-use names are the library's."""
    import email_validator
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from extract.portrait.contacts import SPECIAL_USE, _plainly_valid

    assert SPECIAL_USE == set(email_validator.SPECIAL_USE_DOMAIN_NAMES) and not any("." in d for d in SPECIAL_USE)

    def accepted(email: str) -> bool:
        try:
            email_validator.validate_email(email, check_deliverability=False, allow_smtputf8=True)
            return True
        except email_validator.EmailNotValidError:
            return False

    for email in ("info@city.gov.kr", "a.b_c+d-e@x-y.z1.org", "A@B.CO", "x@local", "x@a.local", "x@test.test",
                  "x@ab--c.org", "x@xn--d1acufc.xn--p1ai", "x@a.1", "x@-a.org", "x@a-.org", ".x@a.org", "x..y@a.org",
                  "x@" + "a" * 63 + ".org", "x@" + "a" * 64 + ".org", "x@" + "a." * 126 + "org", "ü@a.org", "x@ü.org"):
        assert not _plainly_valid(email) or accepted(email), email
    local = st.text("aZ09_+-.", min_size=1, max_size=8)
    labels = st.lists(st.text("aZ09-xn", min_size=1, max_size=6) | st.sampled_from(sorted(SPECIAL_USE)), min_size=1, max_size=4)

    @settings(max_examples=2000, derandomize=True, database=None, deadline=None)
    @given(local, labels)
    def agrees(local, labels):
        email = local + "@" + ".".join(labels)
        assert not _plainly_valid(email) or accepted(email), email
    agrees()
