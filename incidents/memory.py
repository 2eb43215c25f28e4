"""An in-memory unit of work: the ports of ``incidents.services`` without a database.

Offline replay runs the real use cases over it, and the unit tests use it as their fake (not a mock): it
behaves like the SQL adapter (idempotent detections, correlation lookup, audit and outbox per commit).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from incidents.detection import Detection
from incidents.errors import ConcurrentUpdate, IncidentNotFound
from incidents.messages import IncidentEvent
from incidents.model import Incident
from incidents.workflow import Actor, NotPermitted, Role


class MemoryRepository:
    def __init__(self) -> None:
        self.items: dict[str, Incident] = {}
        self.detections: dict[str, Detection] = {}
        self.owners: dict[str, str] = {}  # detection key -> incident id

    def get(self, incident_id: str) -> Incident | None:
        return self.items.get(incident_id)

    def has_detection(self, key: str) -> bool:
        return key in self.detections

    def open_for_entity(self, entity: str, asset: str | None, *, start: datetime, end: datetime
                        ) -> Incident | None:
        """The first-opened open incident on the same asset (or entity) whose activity, from its earliest
        detection's window start to its last activity, touches ``[start, end]``."""
        for i in sorted(self.items.values(), key=lambda i: (i.opened_at, i.id)):
            same = i.asset == asset if asset else i.entity == entity
            if same and i.is_open and i.last_activity_at >= start and self._first_window(i) <= end:
                return i
        return None

    def _first_window(self, incident: Incident) -> datetime:
        return min(self.detections[k].window_start for k in incident.detection_keys)

    def previous_for(self, entity: str, asset: str | None) -> str | None:
        """The latest closed or dismissed incident on the same asset (or entity)."""
        done = [i for i in self.items.values() if not i.is_open and (i.asset == asset if asset else i.entity == entity)]
        return max(done, key=lambda i: (i.opened_at, i.id)).id if done else None

    def add(self, incident: Incident, detection: Detection) -> None:
        self.items[incident.id] = replace(incident, version=1)
        self.detections[detection.key] = detection
        self.owners[detection.key] = incident.id

    def attach(self, incident: Incident, detection: Detection) -> None:
        if self.items[incident.id].version != incident.version:
            raise ConcurrentUpdate(f"incident {incident.id} changed meanwhile")
        self.items[incident.id] = replace(incident, version=incident.version + 1)
        self.detections[detection.key] = detection
        self.owners[detection.key] = incident.id

    def holding(self, detection_key: str) -> Incident | None:
        """The incident a detection opened or joined."""
        owner = self.owners.get(detection_key)
        return None if owner is None else self.items[owner]

    def extend(self, incident: Incident, update: Detection) -> None:
        """Store the merged affected entities and evidence (the update itself is no detection)."""
        self.items[incident.id] = replace(incident, version=incident.version + 1)

    def list(self, *, limit: int | None = 100) -> list[Incident]:
        """Newest first, like the SQL repository."""
        return sorted(self.items.values(), key=lambda i: (i.opened_at, i.id), reverse=True)[:limit]

    def find(self, prefix: str) -> Incident:
        found = [i for i in self.items.values() if i.id.startswith(prefix)]
        if len(prefix) < 4 or len(found) != 1:
            raise IncidentNotFound(f"{'no' if not found else 'not exactly one'} incident matches {prefix!r}")
        return found[0]

    def save(self, incident: Incident) -> None:
        current = self.items[incident.id]
        if current.version != incident.version:
            raise ConcurrentUpdate(f"incident {incident.id} changed meanwhile (version {current.version})")
        self.items[incident.id] = replace(incident, version=incident.version + 1)


class MemoryUnitOfWork:
    def __init__(self, *, users: dict[str, Role] | None = None) -> None:
        self.incidents = MemoryRepository()
        self.users = dict(users or {})
        self.audit_log: list[dict[str, Any]] = []
        self.outbox: list[IncidentEvent] = []
        self.committed = 0
        self._staged: tuple[list[dict[str, Any]], list[IncidentEvent]] = ([], [])

    def __enter__(self) -> MemoryUnitOfWork:
        self._staged = ([], [])
        return self

    def __exit__(self, *exc: object) -> None:
        self._staged = ([], [])

    def audit(self, incident_id: str, **entry: Any) -> None:
        self._staged[0].append({"incident_id": incident_id, **entry})

    def publish(self, events: list[IncidentEvent]) -> None:
        self._staged[1].extend(events)

    def actor(self, name: str) -> Actor:
        if name not in self.users:
            raise NotPermitted(f"{name!r} is not a user of this unit of work")
        return Actor(name, self.users[name])

    def commit(self) -> None:
        self.audit_log.extend(self._staged[0])
        self.outbox.extend(self._staged[1])
        self.committed += 1
