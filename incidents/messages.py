"""Domain events (past tense). Each carries an id, an aware UTC timestamp and the incident id."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class IncidentEvent:
    id: str
    at: datetime
    incident_id: str

    @property
    def kind(self) -> str:
        return type(self).__name__

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.isoformat()
        return {"kind": self.kind, **data}


@dataclass(frozen=True, slots=True)
class IncidentOpened(IncidentEvent):
    rule_id: str
    entity_kind: str  # e.g. "source.ip": never the value, which may be personal data
    asset: str | None
    detection_key: str


@dataclass(frozen=True, slots=True)
class DetectionCorrelated(IncidentEvent):
    rule_id: str
    detection_key: str


def event_id(incident_id: str, detection_key: str, kind: str) -> str:
    """Stable event id, so that a re-processed detection yields the same event."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}:{incident_id}:{detection_key}"))
