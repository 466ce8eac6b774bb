"""``people`` rules (``people.yaml``): honorifics, the words that open a role,
name particles, the label of an email, the shape of an email address, and
the title naming the city a person governs."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from extract.rules.base import RuleFile, compile_pattern, need


@dataclass(frozen=True)
class PeopleRules:
    honorifics: dict[str, str]
    honorific_re: Any
    role_words: frozenset[str]
    particles: frozenset[str]
    email_label_re: Any
    line_lead_re: Any      # what may stand before a name on its line (a quote mark, a bullet)
    contact_bullet_re: Any  # the list marker of a line of the contact block
    email_re: Any  # groups ``local`` (may hold one space: a broken address) and ``domain``
    email_domain_re: Any  # ``@`` and the domain (group ``domain``): cheap to search for
    email_id: str
    mayor_re: Any


def _phrases(rf: RuleFile, key: str) -> frozenset[str]:
    return frozenset(str(r["phrase"]).lower() for r in rf.list(key) if need(rf.name, r, ("phrase",), ()))


def load_people(rf: RuleFile) -> PeopleRules:
    rf.keys(("honorifics", "role_words", "particles", "line_lead", "contact_bullet", "email_labels",
             "email_address", "mayor_title"))
    f = rf.name
    honorifics, alts = {}, []
    for r in rf.list("honorifics"):
        need(f, r, ("phrase", "canonical"), ())
        honorifics[str(r["phrase"]).rstrip(".").lower()] = str(r["canonical"])
        alts.append(regex.escape(str(r["phrase"]).rstrip(".")))
    alt = "|".join(sorted(alts, key=len, reverse=True))
    honorific_re = compile_pattern(f, "honorifics", rf"(?:(?:{alt})\.?(?:\s+|$))+", regex.I)
    labels = "|".join(f"(?:{r['pattern']})" for r in rf.list("email_labels") if need(f, r, ("pattern",), ()))
    email = rf.section("email_address", ("local", "domain"), ())
    email_re = compile_pattern(f, email["id"], f"(?P<local>{email['local']})@(?P<domain>{email['domain']})")
    mayor = rf.section("mayor_title", ("pattern",), ())
    lead = rf.section("line_lead", ("pattern",), ())
    bullet = rf.section("contact_bullet", ("pattern",), ())
    return PeopleRules(
        honorifics=honorifics, honorific_re=honorific_re, role_words=_phrases(rf, "role_words"),
        particles=_phrases(rf, "particles"), email_label_re=compile_pattern(f, "email_labels", labels, regex.I),
        line_lead_re=compile_pattern(f, lead["id"], "^(?:" + lead["pattern"] + ")"),
        contact_bullet_re=compile_pattern(f, bullet["id"], "^(?:" + bullet["pattern"] + ")"),
        email_re=email_re, email_domain_re=compile_pattern(f, email["id"], f"@(?P<domain>{email['domain']})"),
        email_id=email["id"], mayor_re=compile_pattern(f, mayor["id"], mayor["pattern"], regex.I))
