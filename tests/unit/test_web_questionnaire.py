"""The questionnaire asks whether the protection worked against this breach; the inventory only suggests.
The supplement keeps which derived answers the FG confirmed."""

import pytest
from multidict import MultiDict

from datalek.web.actions import BadInput
from datalek.web.details import read_supplement
from datalek.web.questionnaire import parse, starting_values, view
from incidents.assessment import BreachFacts
from tests.unit.notifications.conftest import scenario_incident

BASE = {"nature": "confidentiality", "incident_type": "hacking_malware_phishing", "g0.data_categories": "name",
        "recipients": "unknown"}


def posted(**fields):
    return MultiDict({k: v for k, v in {**BASE, **fields}.items() if v is not None})  # None: not posted


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


def test_groups_are_posted_block_by_block_and_an_empty_block_is_skipped():
    form = MultiDict([*posted().items(), ("g0.subject_groups", "customers"), ("g0.data_subjects_min", "13"),
                      ("g0.data_categories", "email"), ("g1.subject_groups", "customers"),
                      ("g1.data_subjects_min", "2"), ("g1.data_categories", "name"),
                      ("g1.special_categories", "health"), ("g2.data_subjects_min", ""),
                      ("g2.data_subjects_max", "")])
    answers, errors = parse(form)
    assert errors == {}
    facts = BreachFacts.from_dict(answers)
    counts = [(g.data_subjects.minimum, sorted(g.special_categories)) for g in facts.groups]
    assert counts == [(13, []), (2, ["health"])]
    assert facts.data_subjects.minimum == 15


def test_every_problem_of_every_group_is_shown_with_its_group_number():
    form = MultiDict([*posted().items(), ("g1.subject_groups", "customers"), ("g1.data_subjects_min", "9"),
                      ("g1.data_subjects_max", "3")])
    _, errors = parse(form, lang="nl")
    assert "groep 2, Gegevens: kies ten minste één categorie" in errors["groups"]
    assert "groep 2, Aantal betrokkenen: het minimum mag niet negatief zijn en niet groter" in errors["groups"]
    assert "group 2, Data: give at least one category" in parse(form)[1]["groups"]


def test_recipient_facts_and_the_effect_on_services_are_asked():
    answers, errors = parse(posted(recipients="known", recipients_trusted="1", recipients_deletion_confirmed="1"))
    assert errors == {} and BreachFacts.from_dict(answers).recipients.contained
    answers, errors = parse(posted(nature="availability_temporary", recipients="none", service_effect="temporary",
                                   service_essential="1", service_hours="30"))
    assert errors == {} and answers["service_effect"] == {"outage": "temporary", "essential": True, "hours": 30.0}
    answers, errors = parse(posted(service_effect=""))
    assert errors == {} and answers["service_effect"] is None  # not answered
    _, errors = parse(posted(recipients="unknown", recipients_trusted="1"))
    assert errors == {"recipients": "recipients.received: trusted/deletion_confirmed need received 'known'"}


def test_the_form_shows_the_recorded_groups_and_one_empty_block():
    values, marked = starting_values(scenario_incident())
    assert "groups" in marked  # the inventory's categories and count: shown for confirmation
    [groups] = [q for q in view(values, lang="nl") if q["key"] == "groups"]
    assert [b["number"] for b in groups["groups"]] == [1, 2]
    first = {f["key"]: f["selected"] for f in groups["groups"][0]["fields"]}
    assert "access_credentials" in first["data_categories"] and "customers" in first["subject_groups"]
    assert all(not f["selected"] for f in groups["groups"][1]["fields"])


# Forms that reach each check of the core the questionnaire can reach (field -> what the FG did wrong).
WRONG = [
    {"nature": None}, {"records": "-1"}, {"restore_hours": "-2"},
    {"g1.subject_groups": "customers"},  # a group without a category
    {"nature": "integrity", "service_effect": "temporary"}, {"altered_data_misused": "1"},
    {"credentials_access": "email"},
    {"g0.data_categories": "access_credentials", "credentials_access": "access_credentials"},
    {"countries": "Belgie", "cross_border": "1"}, {"countries": "BE"},
    {"protection": "none", "protection_sota": "1"}, {"recipients_trusted": "1", "recipients": "unknown"},
    {"nature": "availability_permanent", "recipients": "none", "service_effect": "permanent", "service_hours": "3"},
    {"service_effect": "none", "service_essential": "1"},
    {"g0.data_subjects_min": "5", "g0.data_subjects_max": "2"}, {"records": "veel"},
]


@pytest.mark.parametrize("wrong", WRONG, ids=[",".join(w) for w in WRONG])
def test_every_problem_the_questionnaire_can_show_is_dutch_in_dutch(wrong):
    from tests.unit.notifications.test_notifications_dutch import english_words

    _, english = parse(posted(**wrong))
    _, dutch = parse(posted(**wrong), lang="nl")
    assert english and dutch.keys() == english.keys()
    for field, text in dutch.items():
        assert text != english[field] and english_words(text.replace("'", " ")) == set(), (field, text)
