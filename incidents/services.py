"""Use cases. Each runs in one unit of work: state, audit entry and outbox events commit together."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from incidents import model
from incidents.detection import Detection
from incidents.messages import DetectionCorrelated, IncidentEvent, IncidentOpened, event_id
from incidents.model import Incident

SYSTEM_ACTOR = "system:detection"


class IncidentRepository(Protocol):
    def get(self, incident_id: str) -> Incident | None: ...
    def has_detection(self, key: str) -> bool: ...
    def open_for_entity(self, entity: str, asset: str | None, *, since: datetime) -> Incident | None: ...
    def add(self, incident: Incident, detection: Detection) -> None: ...
    def attach(self, incident: Incident, detection: Detection) -> None: ...


class UnitOfWork(Protocol):
    incidents: IncidentRepository

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, *exc: object) -> None: ...
    def audit(self, incident_id: str, *, at: datetime, actor: str, action: str,
              reason: str = "", from_status: str | None = None, to_status: str | None = None) -> None: ...
    def publish(self, events: list[IncidentEvent]) -> None: ...
    def commit(self) -> None: ...


def record_detection(uow: UnitOfWork, detection: Detection, *, now: datetime,
                     correlation_window: timedelta) -> list[IncidentEvent]:
    """Open an incident for a detection, or join it to an open one on the same entity. Idempotent."""
    with uow:
        if uow.incidents.has_detection(detection.key):
            return []
        since = detection.window_start - correlation_window
        current = uow.incidents.open_for_entity(detection.entity, detection.asset, since=since)
        if current is None:
            incident, events = _open(detection, now=now)
            uow.incidents.add(incident, detection)
            uow.audit(incident.id, at=now, actor=SYSTEM_ACTOR, action="incident.opened",
                      reason=detection.summary, to_status=incident.status.value)
        else:
            incident, events = _join(current, detection, now=now)
            uow.incidents.attach(incident, detection)
            uow.audit(incident.id, at=now, actor=SYSTEM_ACTOR, action="detection.correlated",
                      reason=detection.summary)
        uow.publish(events)
        uow.commit()
        return events


def _open(detection: Detection, *, now: datetime) -> tuple[Incident, list[IncidentEvent]]:
    incident = model.open_from(detection)
    opened = IncidentOpened(
        id=event_id(incident.id, detection.key, "opened"), at=now, incident_id=incident.id,
        rule_id=detection.rule_id, entity_kind=detection.entity.split("=", 1)[0],
        asset=detection.asset, detection_key=detection.key,
    )
    return incident, [opened]


def _join(current: Incident, detection: Detection, *, now: datetime) -> tuple[Incident, list[IncidentEvent]]:
    incident = model.correlate(current, detection)
    joined = DetectionCorrelated(
        id=event_id(incident.id, detection.key, "correlated"), at=now, incident_id=incident.id,
        rule_id=detection.rule_id, detection_key=detection.key,
    )
    return incident, [joined]
