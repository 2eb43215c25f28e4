"""The incident aggregate: opened by a detection, joined by correlated detections."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from incidents.assessment import BreachFacts, Decision
from incidents.detection import Affected, Detection
from incidents.inventory import Prefill

_NAMESPACE = uuid.UUID("6f1c1f4e-4a43-4a8e-9d7f-5d2f8f0e7a10")
UNKNOWN_ASSET_NOTE = "asset not in the inventory: assume personal data until the FG says otherwise"


class Status(StrEnum):
    """Workflow states. The values are stored and sent: never change them."""

    DETECTED = "detected"
    TRIAGE = "triage"
    DISMISSED = "dismissed"
    CONFIRMED = "confirmed"
    ASSESSING = "assessing"
    DECIDED = "decided"
    REPORTED = "reported"
    SUBJECTS_INFORMED = "subjects_informed"
    CLOSED = "closed"


OPEN_STATUSES = frozenset(Status) - {Status.DISMISSED, Status.CLOSED}


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    title: str
    status: Status
    opened_at: datetime
    entity: str
    asset: str | None
    rule_ids: tuple[str, ...]
    breach_types: frozenset[str]
    detection_keys: tuple[str, ...]
    event_ids: tuple[str, ...]
    last_activity_at: datetime
    version: int = 0
    # GDPR assessment (issue 3): set by the workflow, None until then
    became_aware_at: datetime | None = None  # starts the 72-hour clock of Art. 33(1)
    facts: BreachFacts | None = None
    decision: Decision | None = None
    decided_at: datetime | None = None
    reported_at: datetime | None = None
    meldnummer: str | None = None  # the AP's reference for the notification
    delay_reason: str | None = None  # required when reported after 72 hours
    subjects_informed_at: datetime | None = None
    closed_at: datetime | None = None
    inventory: Prefill | None = None  # what the data inventory says the asset holds, at opening
    related_to: str | None = None  # a closed or dismissed incident on the same asset this one follows
    severity_hints: frozenset[str] = frozenset()  # the rules' severity hints, unioned over detections
    asset_known: bool = True  # False: the data inventory lacks the asset (fail safe: it may hold personal data)
    affected: Affected = Affected()  # accounts, users, files, record counts: personal data, never in alerts

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def incident_id_for(detection: Detection) -> str:
    """Deterministic id: the same first detection always names the same incident."""
    return str(uuid.uuid5(_NAMESPACE, detection.key))


def open_from(detection: Detection) -> Incident:
    """A new incident whose first evidence is ``detection``."""
    return Incident(
        id=incident_id_for(detection),
        title=detection.summary,
        status=Status.DETECTED,
        opened_at=detection.detected_at,
        entity=detection.entity,
        asset=detection.asset,
        rule_ids=(detection.rule_id,),
        breach_types=frozenset({detection.breach_type}),
        detection_keys=(detection.key,),
        event_ids=detection.event_ids,
        last_activity_at=detection.detected_at,
        severity_hints=frozenset({detection.severity}),
        asset_known=detection.asset_known,
        affected=detection.affected,
    )


def correlate(incident: Incident, detection: Detection) -> Incident:
    """Join a further detection on the same entity to an open incident."""
    return replace(
        incident,
        rule_ids=tuple(dict.fromkeys((*incident.rule_ids, detection.rule_id))),
        breach_types=incident.breach_types | {detection.breach_type},
        detection_keys=(*incident.detection_keys, detection.key),
        event_ids=tuple(dict.fromkeys((*incident.event_ids, *detection.event_ids))),
        last_activity_at=max(incident.last_activity_at, detection.detected_at),
        severity_hints=incident.severity_hints | {detection.severity},
        asset_known=incident.asset_known and detection.asset_known,
        affected=incident.affected.merge(detection.affected),
    )


def extend(incident: Incident, update: Detection) -> Incident:
    """Add a later event's affected entities (and the event as evidence) to the incident its group opened."""
    return replace(
        incident,
        event_ids=tuple(dict.fromkeys((*incident.event_ids, *update.event_ids))),
        last_activity_at=max(incident.last_activity_at, update.detected_at),
        affected=incident.affected.merge(update.affected),
    )
