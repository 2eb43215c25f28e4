"""Everything the AP reads is Dutch: no English word or internal code word outside proper names and identifiers."""

import json
import re
from dataclasses import replace
from datetime import timedelta
from html import unescape

import pytest
import yaml

from datalek.cli_draft import draft_command
from incidents.assessment import BreachFacts, FactorCode, accept, assess
from incidents.model import Status
from notifications import dutch
from tests.unit.notifications.conftest import (
    AWARE,
    NOW,
    ROOT,
    assessed_incident,
    complete_organisation,
    complete_supplement,
)

# common English words and datalek's own code words (rule titles, factor codes, levels); words that are Dutch
# as well ("of", "was", "in", "is", "die", the plural "accounts") are left out
ENGLISH = frozenset("""
the and from to with for by on not at or this that which were has have be will would there their
failed failure failures login logins logon attempts attempt brute force source repeated one many user users
account high_risk severity threshold detected detection export records record rule rules
reaches reached below above risk unlikely medium low high very_high identifiable data intentionally unknown
aims someone acting hands case regulator notification notify subjects subject decision decided confidentiality
integrity availability breach encrypted hashed none true false yes no customers customer portal
""".split())
TOKEN = re.compile(r"[A-Za-z_][\w.\-@/:']*")


def english_words(text: str) -> set[str]:
    """English words in the text; identifiers (with digits, dots, @, slashes, colons) and names are skipped."""
    text = text.replace("\\", "").replace("24 Online", "").replace("Privacy officer", "")
    words = set()
    for token in TOKEN.findall(text):
        token = token.strip("-.':/")
        if not token or re.search(r"[\d.@/:]", token):
            continue
        words.add(token.lower())
    return words & ENGLISH


def visible_html(document: str) -> str:
    """The text a reader sees: no head (title, style), no tags."""
    body = document.split("<body>", 1)[1]
    return unescape(re.sub(r"<[^>]+>", " ", body))


def ap_facing_json(document: str) -> str:
    """The AP answers, our status text and warnings, and the free text we put in the EDPB fields.

    The EDPB field titles and option labels are the EDPB template's own (English) wording, not ours."""
    data = json.loads(document)
    parts = [data["status"], *data["time_warnings"]]
    for a in data["ap_form"]:
        parts += [a["question"], a["note"], *a["answer"]]
    for field in data["fields"].values():
        value = field["value"]
        if isinstance(value, str) and " " in value:  # free text, not an option code
            parts.append(value)
    return "\n".join(parts)


def decided():
    incident = assessed_incident()
    decision = accept(assess(incident.facts).proposal, actor="root")
    return replace(incident, status=Status.DECIDED, decision=decision, decided_at=AWARE + timedelta(hours=2))


INCIDENTS = {"assessed": assessed_incident, "decided": decided}
VISIBLE = {"md": lambda text: text, "html": visible_html, "json": ap_facing_json}


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
@pytest.mark.parametrize("which", ["assessed", "decided"])
def test_the_ap_draft_for_the_scenario_incident_has_no_english_words(which, fmt):
    document = draft_command(INCIDENTS[which](), kind="ap", fmt=fmt, organisation=complete_organisation(), now=NOW,
                             supplement=complete_supplement())
    assert english_words(VISIBLE[fmt](document)) == set()


def test_the_word_check_finds_what_the_old_draft_showed():
    old = ("| Interne omschrijving | Brute force - repeated failed logins from one source on klantportaal |\n"
           "voorgestelde risico-inschatting: risk; (medium); besluit van root\n"
           "- ENISA severity 2 (medium) reaches the regulator-notification threshold (medium).")
    assert {"brute", "force", "repeated", "failed", "logins", "from", "one", "source", "on", "risk", "medium",
            "severity", "reaches", "the", "threshold"} <= english_words(old)
    assert english_words("regel auth.repeated_failures op 203.0.113.77, privacy@24-online.nl") == set()


def test_no_english_rule_title_reaches_the_drafts():
    titles = [yaml.safe_load(p.read_text())["title"] for p in (ROOT / "datalek" / "rules").glob("*.yml")]
    document = draft_command(decided(), kind="ap", fmt="md", organisation=complete_organisation(), now=NOW,
                             supplement=complete_supplement())
    assert titles and not [t for t in titles if t.split(" - ")[0] in document]
    assert "auth.repeated" not in document  # 4.3 and 5.3 describe what was seen, not the rule's id


def test_every_shipped_rule_and_every_factor_has_a_dutch_text():
    ids = {yaml.safe_load(p.read_text())["id"] for p in (ROOT / "datalek" / "rules").glob("*.yml")}
    assert ids <= set(dutch.RULES)
    for rule in dutch.RULES.values():
        assert english_words(rule.title + " " + rule.seen) == set()
    assessment = assess(assessed_incident().facts)
    for code in FactorCode:
        text = dutch.factor(replace(assessment.proposal.rationale[0], code=code), assessment)
        assert "Beoordelingsfactor" not in text and english_words(text) == set(), code


def test_an_unknown_rule_gets_a_neutral_dutch_phrase_with_its_id():
    text = dutch.rule_text("sigma.ssh_brute_force")
    assert text.title == "Automatische detectie (regel sigma.ssh_brute_force)"
    assert english_words(text.title + " " + text.seen) == set()
    assert dutch.incident_title(("sigma.ssh_brute_force",), "web-01").endswith(" op web-01")


def test_the_decider_is_named_with_a_dutch_role():
    document = draft_command(decided(), kind="ap", fmt="md", organisation=complete_organisation(), now=NOW,
                             supplement=complete_supplement())
    assert "besluit van root, functionaris gegevensbescherming (FG)" in document


def _every_facts_of_the_tests():
    """The facts of the EDPB cases, the new-facts table and the scenario: every ENISA part the core writes."""
    from tests.unit.assessment.test_assessment_edpb_cases import CASES as EDPB
    from tests.unit.assessment.test_assessment_edpb_cases import _load
    from tests.unit.assessment.test_assessment_facts_v2 import CASES as TABLE

    yield "scenario", assessed_incident().facts
    yield "minors, the default step", BreachFacts.from_dict({"nature": ["confidentiality"], "groups": [
        {"subject_groups": ["customers", "minors"], "data_categories": ["name", "email", "access_credentials"]}]})
    for path in EDPB:
        yield path.stem, BreachFacts.from_dict(_load(path)["facts"])
    for name, facts, *_ in TABLE:
        yield name, BreachFacts.from_dict(facts)


def test_the_enisa_components_are_explained_in_dutch_with_the_cores_scores():
    from notifications.enisa_nl import components

    seen = set()
    for name, facts in _every_facts_of_the_tests():
        a = assess(facts)
        texts = components(a)
        shown = " ".join(texts.values()).replace("EI", "").replace("CB", "")
        for adjustment in facts.dpc_adjustments:  # the writer's own notes are shown as written
            shown = shown.replace(adjustment.note, "")
        assert english_words(shown) == set(), name
        for code in ("dpc", "ei", "cb"):
            assert texts[code].endswith(f"-> {code.upper()} {getattr(a.severity, code).score:g}") or \
                "(begrensd van" in texts[code], (name, texts[code])
        seen |= {p.code for c in (a.severity.dpc, a.severity.cb) for p in c.parts if p.score}
    assert {"dpc.base", "dpc.individuals", "dpc.insight", "cb.confidentiality", "cb.integrity", "cb.availability",
            "cb.malicious"} <= seen  # the cases reach every kind of part


def test_the_components_name_the_categories_that_set_the_class_and_the_fgs_note():
    facts = BreachFacts.from_dict({"nature": ["confidentiality"], "recipients": {"received": "known", "trusted": True},
                                   "groups": [{"data_categories": ["name", "insurance"]}],
                                   "dpc_adjustments": [{"factor": "insight", "steps": -2, "note": "alleen dat zij "
                                                        "verzekerd zijn"}]})
    from notifications.enisa_nl import components

    texts = components(assess(facts))
    assert texts["dpc"] == ("financiële gegevens (verzekeringsgegevens (polis, premie, dekking, schadeclaims)): "
                            "basisscore 3; inzicht dat de gegevens geven -2: alleen dat zij verzekerd zijn -> DPC 1")
    assert texts["cb"].startswith("vertrouwelijkheid 0.25 (verstrekt aan een bekend aantal ontvangers; betrouwbaar)")
