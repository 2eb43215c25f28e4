"""Which alerts an incident calls for now, given the keys already decided. Pure and state-based: it
compares the incident with what was alerted before, so it needs no history of transitions."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from incidents.assessment import DEFAULT_THRESHOLD, Threshold
from incidents.model import Incident
from notifications.policy import DEFAULT_MARKS, Alert, alerts_for_change, due_reminders, reminder_alert, severity_level


@dataclass(frozen=True, slots=True)
class Planned:
    alert: Alert
    send: bool  # False: a reminder superseded by a more urgent one; recorded, not sent


def plan(incident: Incident, *, handled: frozenset[str], now: datetime, marks: tuple[int, ...] = DEFAULT_MARKS,
         threshold: Threshold = DEFAULT_THRESHOLD) -> list[Planned]:
    """Alerts not yet decided for ``incident``: opened, severity raised, decision needed, reported, reminders."""
    blank = replace(incident, facts=None, decision=None, reported_at=None)
    changes = alerts_for_change(None, incident, threshold=threshold)
    changes += alerts_for_change(blank, incident, threshold=threshold)
    planned = [Planned(a, True) for a in changes if a.key not in handled]
    level = severity_level(incident, threshold=threshold)
    for reminder in due_reminders(incident, now=now, already_sent=handled, marks=marks):
        planned.append(Planned(reminder_alert(reminder, incident, level=level), reminder.send))
    return list({p.alert.key: p for p in planned}.values())
