"""Use cases. Each runs in one unit of work: state, audit entry and outbox events commit together."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol

from incidents import model
from incidents.detection import Affected, Detection, bounded
from incidents.inventory import Prefill
from incidents.messages import DetectionCorrelated, IncidentEvent, IncidentOpened, event_id
from incidents.model import Incident
from incidents.workflow import Actor, AwarenessChanged, FollowUpRecorded, StatusChanged

SYSTEM_ACTOR = "system:detection"


class IncidentRepository(Protocol):
    def get(self, incident_id: str) -> Incident | None: ...
    def has_detection(self, key: str) -> bool: ...
    def open_for_entity(self, entity: str, asset: str | None, *, start: datetime, end: datetime
                        ) -> Incident | None: ...
    def previous_for(self, entity: str, asset: str | None) -> str | None: ...
    def add(self, incident: Incident, detection: Detection) -> None: ...
    def attach(self, incident: Incident, detection: Detection) -> None: ...
    def holding(self, detection_key: str) -> Incident | None: ...
    def extend(self, incident: Incident, update: Detection) -> None: ...
    def find(self, prefix: str) -> Incident: ...
    def save(self, incident: Incident) -> None: ...


class UnitOfWork(Protocol):
    incidents: IncidentRepository

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, *exc: object) -> None: ...
    def audit(self, incident_id: str, *, at: datetime, actor: str, action: str,
              reason: str = "", from_status: str | None = None, to_status: str | None = None) -> None: ...
    def publish(self, events: list[IncidentEvent]) -> None: ...
    def actor(self, name: str) -> Actor: ...
    def commit(self) -> None: ...


Prefiller = Callable[[Iterable[str | None]], Prefill]


def record_detection(uow: UnitOfWork, detection: Detection, *, now: datetime, correlation_window: timedelta,
                     prefill: Prefiller | None = None) -> list[IncidentEvent]:
    """Open an incident for a detection, or join it to an open one on the same entity. Idempotent.

    ``prefill`` (the data inventory) attaches the categories and counts the asset holds to a new incident.
    An update (``detection.extends``) adds its affected entities to the incident holding that detection."""
    detection = bounded(detection)
    if detection.extends is not None:
        return _extend(uow, detection, now=now)
    with uow:
        if uow.incidents.has_detection(detection.key):
            return []
        start, end = correlation_span(detection, window=correlation_window)
        current = uow.incidents.open_for_entity(detection.entity, detection.asset, start=start, end=end)
        if current is None:
            incident, events = _open(detection, now=now)
            related = uow.incidents.previous_for(detection.entity, detection.asset)
            inventory = prefill([detection.asset]) if prefill is not None else None
            incident = replace(incident, inventory=inventory, related_to=related)
            uow.incidents.add(incident, detection)
            reason = detection.summary + (f" (follows closed incident {related})" if related else "")
            uow.audit(incident.id, at=now, actor=SYSTEM_ACTOR, action="incident.opened", reason=reason,
                      to_status=incident.status.value)
        else:
            incident, events = _join(current, detection, now=now)
            uow.incidents.attach(incident, detection)
            uow.audit(incident.id, at=now, actor=SYSTEM_ACTOR, action="detection.correlated",
                      reason=detection.summary)
        uow.publish(events)
        uow.commit()
        return events


def _extend(uow: UnitOfWork, update: Detection, *, now: datetime) -> list[IncidentEvent]:
    """Merge an update into its incident; one that adds nothing (a redelivery) changes nothing."""
    with uow:
        incident = uow.incidents.holding(update.extends or "")
        if incident is None:
            return []
        extended = model.extend(incident, update)
        if (extended.affected, extended.event_ids) == (incident.affected, incident.event_ids):
            return []
        uow.incidents.extend(extended, update)
        uow.audit(incident.id, at=now, actor=SYSTEM_ACTOR, action="affected.added",
                  reason=f"{update.rule_id}: {_counted(update.affected)}")
        uow.commit()
        return []


def _counted(affected: Affected) -> str:
    """How many of each kind, never the values (the audit log is no place for them)."""
    sizes = {"accounts": len(affected.accounts), "users": len(affected.users), "files": len(affected.files)}
    return ", ".join(f"{n} {kind}" for kind, n in sizes.items() if n) or "records"


def correlation_span(detection: Detection, *, window: timedelta) -> tuple[datetime, datetime]:
    """The event-time span an incident's activity must touch for ``detection`` to join it.

    An incident's activity runs from its earliest detection's ``window_start`` to its ``last_activity_at``;
    the detection's from its ``window_start`` to its ``detected_at``. They correlate when the gap between
    the two is at most ``window``, whichever arrives first: a late detection of an earlier window does not
    join a later incident."""
    return detection.window_start - window, detection.detected_at + window


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


Step = Callable[[Incident, Actor], tuple[Incident, IncidentEvent | None]]


def act(uow: UnitOfWork, incident_ref: str, *, actor_name: str, now: datetime, step: Step,
        audit_as: str | None = None) -> Incident:
    """Apply one workflow step for an authenticated person: state, audit entry and event commit together.

    ``audit_as`` names the audit entry of a step that emits no event (facts amended while assessing)."""
    with uow:
        incident = uow.incidents.find(incident_ref)
        actor = uow.actor(actor_name)
        updated, event = step(incident, actor)
        uow.incidents.save(updated)
        if event is not None:
            action, reason, from_status, to_status = _audit_entry(event)
            uow.audit(incident.id, at=now, actor=actor.name, action=action, reason=reason,
                      from_status=from_status, to_status=to_status)
            uow.publish([event])
        elif audit_as:
            uow.audit(incident.id, at=now, actor=actor.name, action=audit_as)
        uow.commit()
        return updated


def _audit_entry(event: IncidentEvent) -> tuple[str, str, str | None, str | None]:
    """(action, reason, from_status, to_status) of the audit entry for a workflow event."""
    if isinstance(event, StatusChanged):
        return "status.changed", event.reason, event.from_status, event.to_status
    if isinstance(event, AwarenessChanged):
        return "awareness.changed", f"{event.previous} -> {event.became_aware_at}: {event.reason}", None, None
    if isinstance(event, FollowUpRecorded):
        return f"follow_up.{event.follow_up}", event.text, None, None
    return event.kind, "", None, None
