"""In-memory fakes of the ports (not mocks): they behave like the real adapters."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from incidents.detection import Detection
from incidents.messages import IncidentEvent
from incidents.model import Incident


class FakeRepository:
    def __init__(self) -> None:
        self.items: dict[str, Incident] = {}

    def get(self, incident_id: str) -> Incident | None:
        return self.items.get(incident_id)

    def has_detection(self, key: str) -> bool:
        return any(key in i.detection_keys for i in self.items.values())

    def open_for_entity(self, entity: str, asset: str | None, *, since: datetime) -> Incident | None:
        for i in sorted(self.items.values(), key=lambda i: i.opened_at):
            same = i.asset == asset if asset else i.entity == entity
            if same and i.is_open and i.last_activity_at >= since:
                return i
        return None

    def add(self, incident: Incident, detection: Detection) -> None:
        self.items[incident.id] = replace(incident, version=1)

    def attach(self, incident: Incident, detection: Detection) -> None:
        self.items[incident.id] = replace(incident, version=incident.version + 1)


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.incidents = FakeRepository()
        self.audit_log: list[dict[str, object]] = []
        self.outbox: list[IncidentEvent] = []
        self.committed = 0
        self._staged: tuple[list, list] = ([], [])

    def __enter__(self) -> FakeUnitOfWork:
        self._staged = ([], [])
        return self

    def __exit__(self, *exc: object) -> None:
        self._staged = ([], [])

    def audit(self, incident_id: str, **entry: object) -> None:
        self._staged[0].append({"incident_id": incident_id, **entry})

    def publish(self, events: list[IncidentEvent]) -> None:
        self._staged[1].extend(events)

    def commit(self) -> None:
        self.audit_log.extend(self._staged[0])
        self.outbox.extend(self._staged[1])
        self.committed += 1
