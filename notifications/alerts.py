"""What an alert may say, built from the incident. Pure.

An alert names the incident, rules, asset, counts, severity and deadline and links to the incident. It
never carries the entity value or the title: both come from events and can hold personal data of data
subjects (a user name, an IP address). ``AlertView`` simply has no field for them. The asset is named only when
the data inventory knows it (an inventory id); otherwise it came from an event (a host name such as
"iPhone-van-Jan-Jansen", a OneDrive URL) and the alert says "unregistered asset" with a short hash instead.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from incidents.assessment import DEFAULT_THRESHOLD, Threshold, assess
from incidents.assessment.deadlines import as_utc, format_amsterdam, regulator_deadline
from incidents.model import Incident
from notifications.policy import Alert, AlertKind


@dataclass(frozen=True, slots=True)
class Notification:
    """A rendered alert, ready for the dispatcher. ``key`` identifies it in delivery results."""

    key: str  # "<incident id>:<alert key>"
    incident_id: str
    kind: AlertKind
    tags: frozenset[str]
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class SeverityView:
    level: str
    score: float
    ap_answer: str


@dataclass(frozen=True, slots=True)
class DeadlineView:
    utc: str
    amsterdam: str
    left: str
    overdue: bool


@dataclass(frozen=True, slots=True)
class AlertView:
    """Everything an alert template may show; no field can hold personal data of data subjects."""

    kind: str
    incident_id: str
    short_id: str
    status: str
    rules: tuple[str, ...]
    asset: str
    events: int
    detections: int
    severity: SeverityView | None
    deadline: DeadlineView | None
    meldnummer: str | None
    hours_left: int | None
    link: str


def short_id(incident_id: str) -> str:
    """The first eight characters, as `datalek incidents list` shows them."""
    return incident_id[:8]


def format_utc(moment: datetime) -> str:
    """``2026-11-23 09:12 UTC``."""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def format_duration(delta: timedelta) -> str:
    """``47 h 05 min``, always positive (the caller says whether it is left or overdue)."""
    minutes = int(abs(delta).total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


def deadline_view(became_aware_at: datetime | None, *, now: datetime) -> DeadlineView | None:
    """The Art. 33 deadline in UTC and Amsterdam time, with the time left at ``now``."""
    if became_aware_at is None:
        return None
    deadline = regulator_deadline(became_aware_at)
    left = deadline - as_utc(now, field="now")
    return DeadlineView(format_utc(deadline), format_amsterdam(deadline), format_duration(left),
                        left < timedelta(0))


def asset_label(incident: Incident) -> str:
    """The inventory id of the incident's asset, or "unregistered asset #<hash>" for one the inventory lacks."""
    if incident.asset is None:
        return "-"
    if incident.inventory is not None and incident.asset in incident.inventory.assets:
        return incident.asset
    return f"unregistered asset #{hashlib.sha256(incident.asset.encode()).hexdigest()[:8]}"


def alert_view(alert: Alert, incident: Incident, *, base_url: str, now: datetime,
               threshold: Threshold = DEFAULT_THRESHOLD) -> AlertView:
    """The safe view of ``incident`` for ``alert``."""
    severity = None
    if incident.facts is not None:
        a = assess(incident.facts, threshold=threshold)
        severity = SeverityView(a.severity.level.value, a.severity.score, a.ap_answer.text_nl)
    return AlertView(
        kind=alert.kind.value, incident_id=incident.id, short_id=short_id(incident.id),
        status=incident.status.value, rules=incident.rule_ids, asset=asset_label(incident),
        events=len(incident.event_ids), detections=len(incident.detection_keys), severity=severity,
        deadline=deadline_view(incident.became_aware_at, now=now), meldnummer=incident.meldnummer,
        hours_left=alert.hours_left, link=f"{base_url}{incident.id}",
    )
