"""The questionnaire asks whether the protection worked against this breach; the inventory only suggests.
The supplement keeps which derived answers the FG confirmed."""

import pytest
from multidict import MultiDict

from datalek.web.actions import BadInput
from datalek.web.details import read_supplement
from datalek.web.questionnaire import parse, starting_values
from incidents.assessment import BreachFacts
from tests.unit.notifications.conftest import scenario_incident

BASE = {"nature": "confidentiality", "incident_type": "hacking_malware_phishing", "data_categories": "name",
        "recipients": "unknown"}


def posted(**fields):
    return MultiDict({**BASE, **fields})


def test_the_fg_answers_that_encryption_did_not_protect_against_this_breach():
    answers, errors = parse(posted(protection="encrypted", protection_sota="1", protection_key_safe="1",
                                   protection_effective="no"))
    assert errors == {}
    facts = BreachFacts.from_dict(answers)
    assert facts.protection.effective is False and not facts.protection.renders_unintelligible


def test_effectiveness_left_open_or_without_a_method_is_no_answer():
    answers, errors = parse(posted(protection="encrypted", protection_effective=""))
    assert errors == {} and "effective" not in answers["protection"]
    answers, errors = parse(posted(protection="none", protection_effective="yes"))
    assert errors == {} and answers["protection"] == {"method": "none", "state_of_the_art": False, "key_safe": False}


def test_the_inventory_suggests_encryption_but_never_answers_effectiveness():
    values, marked = starting_values(scenario_incident())
    assert values["protection"]["method"] == "encrypted" and "effective" not in values["protection"]
    assert "protection" in marked  # shown as "uit de inventaris: bevestig"


def test_the_supplement_keeps_the_confirmed_question_numbers():
    assert read_supplement({"confirmed": "4.1.1, 5.3\n3.1.1b"}).confirmed == frozenset({"4.1.1", "5.3", "3.1.1b"})
    assert read_supplement({}).confirmed == frozenset()
    with pytest.raises(BadInput, match="alles is geen vraagnummer"):
        read_supplement({"confirmed": "5.3, alles"})
