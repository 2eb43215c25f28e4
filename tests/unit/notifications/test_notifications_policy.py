from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from incidents.assessment import SeverityLevel, accept, assess
from incidents.model import Status
from notifications.policy import (
    ROUTES,
    AlertKind,
    Audience,
    alerts_for_change,
    due_reminders,
    reminder_alert,
    route,
    severity_level,
)
from tests.unit.notifications.conftest import AWARE, assessed_incident, scenario_incident

H = timedelta(hours=1)
DEADLINE = AWARE + 72 * H
LEVELS = [None, *SeverityLevel]


def at_left(hours: float) -> datetime:
    """The moment when ``hours`` are left before the Art. 33 deadline."""
    return DEADLINE - timedelta(hours=hours)


@pytest.mark.parametrize("kind", list(AlertKind))
@pytest.mark.parametrize("level", LEVELS)
def test_every_kind_and_severity_level_routes_to_at_least_one_audience(kind, level):
    assert route(kind, level) and route(kind, level) <= {a.value for a in Audience}


def test_routing_escalates_with_severity_and_legal_hears_of_every_missed_deadline():
    assert route(AlertKind.INCIDENT_OPENED, None) == {"security"}
    assert route(AlertKind.INCIDENT_OPENED, SeverityLevel.VERY_HIGH) == {"security", "fg", "legal"}
    assert all(route(AlertKind.OVERDUE, level) == {"security", "fg", "legal"} for level in LEVELS)
    assert all("fg" in route(AlertKind.DECISION_NEEDED, level) for level in LEVELS)
    assert set(ROUTES) == set(AlertKind)


def test_opening_an_incident_alerts_security_with_a_stable_key():
    [alert] = alerts_for_change(None, scenario_incident())
    assert (alert.kind, alert.key, alert.tags, alert.level) == (AlertKind.INCIDENT_OPENED, "incident_opened",
                                                               frozenset({"security"}), None)


def test_recording_facts_raises_severity_and_asks_the_fg_for_a_decision():
    before = replace(scenario_incident(), status=Status.ASSESSING, became_aware_at=AWARE)
    after = assessed_incident()
    level = severity_level(after)
    alerts = alerts_for_change(before, after)
    assert [a.kind for a in alerts] == [AlertKind.SEVERITY_RAISED, AlertKind.DECISION_NEEDED]
    assert alerts[0].key == f"severity_raised:{level.value}" and "fg" in alerts[1].tags


def test_reporting_to_the_ap_alerts_once():
    before = assessed_incident()
    after = replace(before, reported_at=AWARE + 20 * H, meldnummer="M-2026-0001", status=Status.REPORTED)
    assert [a.kind for a in alerts_for_change(before, after)] == [AlertKind.REPORTED]
    assert alerts_for_change(after, after) == []


def test_no_reminder_before_the_first_mark():
    assert due_reminders(assessed_incident(), now=at_left(48.5), already_sent=frozenset()) == []


def test_the_48_hour_mark_is_due_once_and_not_repeated_after_a_restart():
    incident = assessed_incident()
    [reminder] = due_reminders(incident, now=at_left(47), already_sent=frozenset())
    assert (reminder.key, reminder.send, reminder.hours_left) == ("deadline:48h", True, 48)
    assert reminder.due_at == at_left(48)
    assert due_reminders(incident, now=at_left(46), already_sent=frozenset({"deadline:48h"})) == []


def test_after_downtime_only_the_most_urgent_passed_mark_is_sent_and_the_others_are_superseded():
    reminders = due_reminders(assessed_incident(), now=at_left(5), already_sent=frozenset())
    assert [(r.key, r.send, r.superseded_by) for r in reminders] == [
        ("deadline:48h", False, "deadline:6h"),
        ("deadline:24h", False, "deadline:6h"),
        ("deadline:6h", True, None),
    ]


def test_a_straggler_behind_an_already_sent_mark_is_superseded_not_sent():
    reminders = due_reminders(assessed_incident(), now=at_left(3), already_sent=frozenset({"deadline:6h"}))
    assert [(r.key, r.send) for r in reminders] == [("deadline:48h", False), ("deadline:24h", False)]


def test_overdue_is_sent_once_the_deadline_has_passed():
    incident = assessed_incident()
    assert due_reminders(incident, now=DEADLINE, already_sent=frozenset({"deadline:48h", "deadline:24h",
                                                                         "deadline:6h"})) == []
    sent = frozenset({"deadline:48h", "deadline:24h", "deadline:6h"})
    [overdue] = due_reminders(incident, now=DEADLINE + timedelta(seconds=1), already_sent=sent)
    assert (overdue.key, overdue.kind, overdue.send) == ("overdue", AlertKind.OVERDUE, True)
    assert due_reminders(incident, now=DEADLINE + 5 * H, already_sent=sent | {"overdue"}) == []


@pytest.mark.parametrize("change", [
    {"became_aware_at": None},
    {"reported_at": AWARE + H, "status": Status.REPORTED},
    {"status": Status.DISMISSED},
    {"status": Status.CLOSED},
])
def test_no_reminders_when_the_clock_is_not_running(change):
    incident = replace(assessed_incident(), **change)
    assert due_reminders(incident, now=DEADLINE + H, already_sent=frozenset()) == []


def test_no_reminders_once_the_fg_decided_not_to_notify_the_ap():
    incident = assessed_incident()
    proposal = assess(incident.facts).proposal
    decision = replace(accept(proposal, actor="fg"), notify_regulator=False, notify_subjects=False)
    assert due_reminders(replace(incident, decision=decision), now=at_left(1), already_sent=frozenset()) == []


def test_reminders_are_exact_across_the_end_of_daylight_saving_time():
    aware = datetime(2026, 10, 23, 12, 0, tzinfo=UTC)  # the deadline spans the CEST -> CET change of 25 October
    incident = replace(assessed_incident(), became_aware_at=aware)
    [r] = due_reminders(incident, now=aware + timedelta(hours=48), already_sent=frozenset({"deadline:48h"}))
    assert r.key == "deadline:24h" and r.due_at == aware + timedelta(hours=48)  # elapsed hours, not wall clock


def test_custom_marks_and_invalid_marks():
    [r] = due_reminders(assessed_incident(), now=at_left(11), already_sent=frozenset(), marks=(12,))
    assert r.key == "deadline:12h"
    with pytest.raises(ValueError):
        due_reminders(assessed_incident(), now=at_left(11), already_sent=frozenset(), marks=(0,))


def test_reminder_alert_is_routed_by_severity_and_keyed_by_the_mark():
    incident = assessed_incident()
    [r] = due_reminders(incident, now=at_left(23), already_sent=frozenset({"deadline:48h"}))
    alert = reminder_alert(r, incident, level=SeverityLevel.HIGH)
    assert (alert.kind, alert.key, alert.hours_left) == (AlertKind.DEADLINE_WARNING, "deadline:24h", 24)
    assert alert.tags == {"fg", "legal"}
