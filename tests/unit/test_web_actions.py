"""Which steps the console offers: the workflow table's roles, narrowed by what the decision calls for."""

from dataclasses import replace

import pytest

from datalek.web.actions import available, moment
from incidents import model
from incidents.assessment import BreachFacts, assess
from incidents.assessment.decision import accept
from incidents.model import Status
from incidents.workflow import Role
from tests.unit.test_services import NOW, detection

A, FG, ADMIN = Role.ANALYST, Role.PRIVACY_OFFICER, Role.ADMIN
FACTS = BreachFacts.from_dict({"nature": ["confidentiality"], "data_categories": ["name"], "recipients": "known"})


def at(status, **changes):
    return replace(model.open_from(detection("d1")), status=status, became_aware_at=NOW, **changes)


def names(incident, role):
    return [a["name"] for a in available(incident, role, now=NOW)]


@pytest.mark.parametrize(("status", "role", "expected"), [
    (Status.DETECTED, A, ["triage", "dismiss"]),
    (Status.DISMISSED, A, ["reopen"]),
    (Status.TRIAGE, ADMIN, ["dismiss", "confirm"]),
    (Status.CONFIRMED, FG, ["facts"]),
    (Status.CLOSED, FG, []),
])
def test_the_steps_follow_the_workflow_table_and_its_roles(status, role, expected):
    assert names(at(status), role) == expected


def test_deciding_is_offered_to_the_fg_only_and_only_once_facts_exist():
    assert names(at(Status.ASSESSING), FG) == ["facts"]
    assert names(at(Status.ASSESSING, facts=FACTS), FG) == ["facts", "decide"]
    assert names(at(Status.ASSESSING, facts=FACTS), A) == names(at(Status.ASSESSING, facts=FACTS), ADMIN) == ["facts"]


SEVERE = BreachFacts.from_dict({"nature": ["confidentiality"], "data_categories": ["name", "bsn", "credit_card"],
                                "recipients": "unknown", "malicious": True, "data_subjects": 5000})


def decided(facts):
    return at(Status.DECIDED, facts=facts, decision=accept(assess(facts).proposal, actor="fien"), decided_at=NOW)


def test_after_a_decision_only_the_steps_it_calls_for_are_offered():
    assert names(decided(FACTS), FG) == ["facts", "close"]  # neither the AP nor the data subjects
    assert names(decided(SEVERE), FG) == ["facts", "report", "inform", "close"]
    assert names(decided(SEVERE), A) == ["facts"]
    reported = replace(decided(SEVERE), meldnummer="M-1", status=Status.REPORTED)
    assert names(reported, FG) == ["inform", "close", "follow_up"]


def test_form_times_without_offset_are_read_in_amsterdam():
    assert moment("2026-11-20T10:30", field="x").utcoffset().total_seconds() == 3600
    assert moment("2026-07-01T10:30", field="x").utcoffset().total_seconds() == 7200
    assert moment(" ", field="x") is None
