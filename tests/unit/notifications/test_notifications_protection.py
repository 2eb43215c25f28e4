"""AP 8.1 and the assessment follow the FG's answer whether the protection worked against THIS breach.

An account taken over: the portal's data were encrypted at rest with a safe key, yet the attacker read them
through a valid session, so the encryption protected nothing (EDPB 01/2021: only data obtained unintelligible)."""

import json
from dataclasses import replace

from datalek.cli_draft import draft_command
from incidents.assessment import BreachFacts, RiskLevel, assess
from notifications.answers import Provenance
from notifications.report import build_ap_draft, draft_inputs
from tests.unit.notifications.conftest import NOW, assessed_incident, complete_organisation, complete_supplement


def takeover_facts(effective):
    protection = {"method": "encrypted", "state_of_the_art": True, "key_safe": True}
    if effective is not None:
        protection["effective"] = effective
    return BreachFacts.from_dict({
        "nature": ["confidentiality"], "incident_type": "hacking_malware_phishing",
        "data_categories": ["name", "date_of_birth", "address", "email"], "subject_groups": ["customers"],
        "data_subjects": 3, "malicious": True, "recipients": "unknown", "protection": protection,
    })


def takeover(effective):
    return replace(assessed_incident(), facts=takeover_facts(effective))


def answer(incident, number):
    inputs = draft_inputs(incident, organisation=complete_organisation(), now=NOW, supplement=complete_supplement())
    return next(a for a in build_ap_draft(inputs).answers if a.number == number)


def edpb(incident):
    return json.loads(draft_command(incident, kind="ap", fmt="json", organisation=complete_organisation(), now=NOW,
                                    supplement=complete_supplement()))["fields"]


def test_a_takeover_answers_8_1_as_not_effective_once_the_fg_says_so():
    a = answer(takeover(False), "8.1")
    assert a.provenance is Provenance.RECORDED and a.lines[0] == "Nee"
    assert "niet effectief tegen deze inbreuk" in a.lines[1]


def test_the_assessment_follows_the_effectiveness_answer():
    effective, not_effective = assess(takeover_facts(True)), assess(takeover_facts(False))
    assert effective.severity.unintelligible.applies and effective.proposal.risk is RiskLevel.UNLIKELY
    assert not not_effective.severity.unintelligible.applies
    assert "not effective against this breach" in not_effective.severity.unintelligible.reason
    assert not_effective.proposal.risk is RiskLevel.HIGH and not_effective.proposal.notify_subjects
    # ENISA keeps unintelligibility outside SE = DPC x EI + CB; the AP 9.3 answer and the duties follow it
    assert effective.severity.score == not_effective.severity.score
    assert (effective.ap_answer.text_nl, not_effective.ap_answer.text_nl) == ("Beperkt", "Aanzienlijk")
    assert answer(takeover(False), "9.3").lines == ("Aanzienlijk",)
    assert edpb(takeover(True))["field_57"]["value"] == "a" and edpb(takeover(False))["field_57"]["value"] == "b"


def test_an_unanswered_effectiveness_is_missing_and_never_lowers_the_risk():
    a = answer(takeover(None), "8.1")
    assert a.provenance is Provenance.MISSING and a.lines == ("Suggestie, nog geen antwoord: Versleuteld (encryptie)",)
    assert "werkte dat tegen deze inbreuk" in a.note
    assert assess(takeover_facts(None)).proposal.risk is RiskLevel.HIGH


def test_protection_that_held_is_answered_with_its_technique():
    a = answer(takeover(True), "8.1")
    assert a.lines[0] == "Versleuteld (encryptie)" and "effectief tegen deze inbreuk" in a.lines[1]
    assert answer(assessed_incident(), "8.1").lines == ("Nee",)
