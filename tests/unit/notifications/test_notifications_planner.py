"""The state-based alert planner: each alert once per incident, reminders at the marks, restart-safe."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from incidents.assessment import BreachFacts
from incidents.model import Incident, Status
from notifications.planner import plan

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
HIGH = BreachFacts.from_dict({"nature": ["confidentiality"], "data_categories": ["name", "bank_account"],
                              "special_categories": ["health"], "identifiability": "maximum",
                              "malicious": True, "recipients": "unknown", "data_subjects": 5000})


def incident(**changes) -> Incident:
    base = Incident(id="i1", title="t", status=Status.DETECTED, opened_at=T0, entity="source.ip=x", asset="crm",
                    rule_ids=("r",), breach_types=frozenset({"confidentiality"}), detection_keys=("d",),
                    event_ids=("e",), last_activity_at=T0)
    return replace(base, **changes)


def keys(planned) -> list[str]:
    return [p.alert.key for p in planned if p.send]


def test_a_new_incident_is_alerted_once():
    assert keys(plan(incident(), handled=frozenset(), now=T0)) == ["incident_opened"]
    assert plan(incident(), handled=frozenset({"incident_opened"}), now=T0) == []


def test_facts_with_high_severity_raise_severity_and_ask_for_a_decision():
    assessing = incident(status=Status.ASSESSING, became_aware_at=T0, facts=HIGH)
    found = keys(plan(assessing, handled=frozenset({"incident_opened"}), now=T0))
    assert any(k.startswith("severity_raised:") for k in found) and "decision_needed" in found


def test_only_the_most_urgent_passed_reminder_is_sent_and_the_others_are_recorded():
    aware = incident(status=Status.CONFIRMED, became_aware_at=T0)
    planned = plan(aware, handled=frozenset({"incident_opened"}), now=T0 + timedelta(hours=67))
    assert keys(planned) == ["deadline:6h"]
    assert {p.alert.key for p in planned if not p.send} == {"deadline:48h", "deadline:24h"}


def test_after_a_restart_decided_reminders_are_not_planned_again():
    aware = incident(status=Status.CONFIRMED, became_aware_at=T0)
    handled = frozenset({"incident_opened", "deadline:48h"})
    assert keys(plan(aware, handled=handled, now=T0 + timedelta(hours=30))) == []
    assert keys(plan(aware, handled=handled, now=T0 + timedelta(hours=73))) == ["overdue"]
