"""Who is told what, and when: the routing table and the deadline reminders. Pure, ``now`` is passed in.

Routing is data: ``ROUTES[kind][level]`` gives the audiences, which are Apprise tags; which URL carries
which tag is configuration. Alerts and reminders have stable keys, so the caller can persist what was sent
per incident and a restart neither repeats nor skips one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from incidents.assessment import DEFAULT_THRESHOLD, SeverityLevel, Threshold, assess
from incidents.assessment.deadlines import as_utc, regulator_deadline
from incidents.model import Incident, Status


class AlertKind(StrEnum):
    """What an alert is about. Values are stored with delivery results: never change them."""

    INCIDENT_OPENED = "incident_opened"
    SEVERITY_RAISED = "severity_raised"
    DECISION_NEEDED = "decision_needed"
    DEADLINE_WARNING = "deadline_warning"
    OVERDUE = "overdue"
    REPORTED = "reported"


class Audience(StrEnum):
    """Apprise tags; configuration decides which targets carry them."""

    SECURITY = "security"
    FG = "fg"
    LEGAL = "legal"


Level = SeverityLevel | None  # None: not assessed yet (no facts)

_S, _F, _L = Audience.SECURITY, Audience.FG, Audience.LEGAL
_LOW, _MED, _HIGH, _VHIGH = (SeverityLevel.LOW, SeverityLevel.MEDIUM, SeverityLevel.HIGH,
                             SeverityLevel.VERY_HIGH)


def _row(unassessed: set[Audience], low: set[Audience], medium: set[Audience], high: set[Audience],
         very_high: set[Audience]) -> Mapping[Level, frozenset[Audience]]:
    cells = (unassessed, low, medium, high, very_high)
    return dict(zip((None, _LOW, _MED, _HIGH, _VHIGH), map(frozenset, cells), strict=True))


# kind -> severity level -> audiences. Legal joins from high severity and whenever the deadline is missed.
ROUTES: Mapping[AlertKind, Mapping[Level, frozenset[Audience]]] = {
    AlertKind.INCIDENT_OPENED: _row({_S}, {_S}, {_S, _F}, {_S, _F}, {_S, _F, _L}),
    AlertKind.SEVERITY_RAISED: _row({_S}, {_S}, {_S, _F}, {_S, _F, _L}, {_S, _F, _L}),
    AlertKind.DECISION_NEEDED: _row({_F}, {_F}, {_F}, {_F, _L}, {_F, _L}),
    AlertKind.DEADLINE_WARNING: _row({_S, _F}, {_F}, {_F}, {_F, _L}, {_F, _L}),
    AlertKind.OVERDUE: _row({_S, _F, _L}, {_S, _F, _L}, {_S, _F, _L}, {_S, _F, _L}, {_S, _F, _L}),
    AlertKind.REPORTED: _row({_F}, {_F}, {_S, _F}, {_S, _F, _L}, {_S, _F, _L}),
}


def route(kind: AlertKind, level: Level) -> frozenset[str]:
    """The Apprise tags an alert of ``kind`` at severity ``level`` goes to."""
    return frozenset(a.value for a in ROUTES[kind][level])


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert to deliver. ``key`` is stable per incident: persist (incident_id, key) once handled."""

    kind: AlertKind
    incident_id: str
    level: Level
    tags: frozenset[str]
    key: str
    hours_left: int | None = None  # the reminder mark, for deadline warnings


def severity_level(incident: Incident, *, threshold: Threshold = DEFAULT_THRESHOLD) -> Level:
    """The ENISA level of the incident's facts; None while no facts are recorded."""
    return assess(incident.facts, threshold=threshold).severity.level if incident.facts else None


def alert_for(kind: AlertKind, incident: Incident, *, level: Level, key: str | None = None,
              hours_left: int | None = None) -> Alert:
    """An alert of ``kind`` routed by ``level``; the key defaults to the kind."""
    return Alert(kind, incident.id, level, route(kind, level), key or kind.value, hours_left)


def _rank(level: Level) -> int:
    return 0 if level is None else level.rank


def alerts_for_change(before: Incident | None, after: Incident, *,
                      threshold: Threshold = DEFAULT_THRESHOLD) -> list[Alert]:
    """Alerts a state change calls for: opened, severity raised, decision needed, reported.

    Call it with the incident before and after a transition (``before=None`` when it was opened).
    Unassessed counts as low, so a first assessment alerts only from medium upwards.
    """
    level = severity_level(after, threshold=threshold)
    if before is None:
        return [alert_for(AlertKind.INCIDENT_OPENED, after, level=level)]
    alerts: list[Alert] = []
    if level is not None and _rank(level) > _rank(severity_level(before, threshold=threshold)):
        alerts.append(alert_for(AlertKind.SEVERITY_RAISED, after, level=level,
                                key=f"{AlertKind.SEVERITY_RAISED.value}:{level.value}"))
    if after.facts is not None and before.facts is None and after.decision is None:
        alerts.append(alert_for(AlertKind.DECISION_NEEDED, after, level=level))
    if after.reported_at is not None and before.reported_at is None:
        alerts.append(alert_for(AlertKind.REPORTED, after, level=level))
    return alerts


# --- deadline reminders -------------------------------------------------------------------------------

DEFAULT_MARKS: tuple[int, ...] = (48, 24, 6)  # hours left before the Art. 33(1) deadline
OVERDUE_KEY = "overdue"


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder whose moment has passed. Send it unless ``superseded_by`` is set; persist its key either way.

    ``due_at`` is when the mark passed (UTC); ``hours_left`` is the mark, None for the overdue reminder.
    """

    key: str
    kind: AlertKind
    due_at: datetime
    hours_left: int | None
    superseded_by: str | None = None

    @property
    def send(self) -> bool:
        """False for a mark skipped because a more urgent one is due or was already sent."""
        return self.superseded_by is None


def reminder_key(hours_left: int) -> str:
    """Stable key of a mark, e.g. ``deadline:24h``."""
    return f"deadline:{hours_left}h"


def clock_running(incident: Incident) -> bool:
    """True while the Art. 33 notification is still owed: aware, open, not reported, not decided against."""
    if incident.became_aware_at is None or incident.reported_at is not None or not incident.is_open:
        return False
    if incident.status in (Status.REPORTED, Status.SUBJECTS_INFORMED):
        return False
    return incident.decision is None or incident.decision.notify_regulator


def due_reminders(incident: Incident, *, now: datetime, already_sent: frozenset[str],
                  marks: tuple[int, ...] = DEFAULT_MARKS) -> list[Reminder]:
    """Reminders that are due at ``now`` and not in ``already_sent`` (keys persisted per incident).

    A mark is due once the time left is at most that many hours; ``overdue`` once the deadline has passed.
    When several marks passed since the last run (worker down, awareness recorded late), only the most
    urgent one is sent; the others come back with ``superseded_by`` set, so the caller persists their keys
    too and never sends a stale "48 hours left" after "6 hours left". If the most urgent one was already
    sent, the stragglers are all superseded. Keys do not contain the deadline: when ``became_aware_at`` is
    corrected afterwards, marks already handled stay handled and later marks follow the new deadline.
    """
    if not clock_running(incident):
        return []
    assert incident.became_aware_at is not None  # clock_running checked it
    passed = _passed(regulator_deadline(incident.became_aware_at), as_utc(now, field="now"), marks)
    pending = [r for r in passed if r.key not in already_sent]
    if not pending:
        return []
    most_urgent = passed[-1]
    stale = [replace(r, superseded_by=most_urgent.key) for r in pending if r is not most_urgent]
    return stale + ([most_urgent] if most_urgent in pending else [])


def _passed(deadline: datetime, now: datetime, marks: tuple[int, ...]) -> list[Reminder]:
    """Reminders whose moment has passed, least urgent first."""
    if any(h <= 0 for h in marks):
        raise ValueError("reminder marks must be positive numbers of hours")
    left = deadline - now
    passed = [Reminder(reminder_key(h), AlertKind.DEADLINE_WARNING, deadline - timedelta(hours=h), h)
              for h in sorted(set(marks), reverse=True) if left <= timedelta(hours=h)]
    if left < timedelta(0):
        passed.append(Reminder(OVERDUE_KEY, AlertKind.OVERDUE, deadline, None))
    return passed


def reminder_alert(reminder: Reminder, incident: Incident, *, level: Level) -> Alert:
    """The alert for a reminder that is to be sent."""
    return alert_for(reminder.kind, incident, level=level, key=reminder.key, hours_left=reminder.hours_left)
