"""The richer facts in the drafts: groups of data subjects (AP 6.2, 7.2, 7.3, the notice), the effect on an
essential service and its duration (AP 9.1), insurance data (AP 6.1)."""

from dataclasses import replace
from typing import Any

import pytest

from incidents.assessment import BreachFacts
from notifications.notice import build_subject_notice
from notifications.report import build_ap_draft, draft_inputs
from tests.unit.notifications.conftest import NOW, assessed_incident, complete_organisation, complete_supplement

TWO_GROUPS: dict[str, Any] = {
    "nature": ["confidentiality"], "malicious": True, "recipients": "unknown",
    "groups": [
        {"subject_groups": ["customers"], "data_subjects": 13, "data_categories": ["name", "email"]},
        {"subject_groups": ["customers", "patients"], "data_subjects": 2, "data_categories": ["name", "email"],
         "special_categories": ["health"], "_comment": "the two whose intake forms were in the export"},
    ],
}


def inputs(facts: dict[str, Any]):
    incident = replace(assessed_incident(), facts=BreachFacts.from_dict(facts))
    return draft_inputs(incident, organisation=complete_organisation(), now=NOW, supplement=complete_supplement())


def answer(facts: dict[str, Any], number: str):
    return next(a for a in build_ap_draft(inputs(facts)).answers if a.number == number)


def test_special_data_of_2_of_15_is_stated_as_such_and_each_group_is_described():
    assert answer(TWO_GROUPS, "6.2").lines == ("Gegevens over iemands gezondheid (bij 2 van de 15 betrokkenen)",)
    assert answer(TWO_GROUPS, "7.2").lines == (
        "Groep 1: Klanten (huidig en potentieel) (13 betrokkenen): Naam, E-mailadres",
        "Groep 2: Klanten (huidig en potentieel), Patiënten (2 betrokkenen): Naam, E-mailadres; "
        "bijzondere persoonsgegevens: Gegevens over iemands gezondheid",
    )
    assert answer(TWO_GROUPS, "7.3").lines == ("Exact: 15",)


def test_a_group_of_unknown_size_makes_the_share_and_the_total_open():
    facts = {**TWO_GROUPS, "groups": [TWO_GROUPS["groups"][0], {**TWO_GROUPS["groups"][1], "data_subjects": None}]}
    assert answer(facts, "6.2").lines == ("Gegevens over iemands gezondheid (bij een deel van de betrokkenen)",)
    assert "Groep 2: Klanten (huidig en potentieel), Patiënten (aantal onbekend)" in answer(facts, "7.2").lines[1]
    assert answer(facts, "7.3").provenance.value == "missing"


@pytest.mark.parametrize(("lang", "some"), [("nl", "bij een deel van de betrokkenen"),
                                            ("en", "for some of those affected")])
def test_the_notice_says_which_data_concern_only_some_of_the_people(lang, some):
    notice = build_subject_notice(inputs(TWO_GROUPS), lang=lang)
    health = [d for d in notice.data if "gezondheid" in d or "health" in d]
    assert health and all(d.endswith(f"({some})") for d in health)
    assert not any(some in d for d in notice.data if d not in health)  # name and e-mail: everyone


SERVICE = {"nature": ["availability_temporary"], "backup_available": True, "restore_hours": 30,
           "groups": [{"data_subjects": 200, "data_categories": ["name", "contact_details"]}]}
TEMPORARY = "Een essentiële dienst kan tijdelijk niet meer worden verleend"


def test_9_1_states_an_essential_service_outage_with_its_duration():
    facts = {**SERVICE, "service_effect": {"outage": "temporary", "essential": True, "hours": 30}}
    assert answer(facts, "9.1").lines == (TEMPORARY, "Duur van de onderbreking van de dienst: 30 uur")


def test_9_1_claims_no_essential_service_when_the_fg_said_the_service_was_not_essential():
    facts = {**SERVICE, "service_effect": {"outage": "temporary", "essential": False, "hours": 30}}
    assert TEMPORARY not in answer(facts, "9.1").lines
    assert TEMPORARY in answer(SERVICE, "9.1").lines  # not answered yet: suggested from the nature, as before


def test_insurance_data_are_named_in_6_1():
    facts = {**TWO_GROUPS, "groups": [{"data_categories": ["name", "insurance"], "data_subjects": 3}]}
    assert answer(facts, "6.1").lines == (
        "Naam", "Anders, namelijk: verzekeringsgegevens (polis, premie, dekking, schadeclaims)")
