"""Unit of work: owns the transaction; state, audit and outbox commit together."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from incidents.messages import IncidentEvent
from incidents.persistence import audit, users
from incidents.persistence.repository import SqlIncidentRepository
from incidents.persistence.rows import OutboxRow
from incidents.workflow import Actor


class SqlUnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self.session_factory()
        self.incidents = SqlIncidentRepository(self.session)
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.rollback()
        self.session.close()

    def audit(self, incident_id: str, *, at: datetime, actor: str, action: str, reason: str = "",
              from_status: str | None = None, to_status: str | None = None) -> None:
        audit.append(self.session, incident_id=incident_id, at=at, actor=actor, action=action, reason=reason,
                     from_status=from_status, to_status=to_status)

    def publish(self, events: list[IncidentEvent]) -> None:
        for e in events:
            self.session.add(OutboxRow(event_id=e.id, incident_id=e.incident_id, kind=e.kind,
                                       payload=e.to_dict(), occurred_at=e.at))

    def actor(self, name: str) -> Actor:
        return users.actor(self.session, name)

    def commit(self) -> None:
        self.session.commit()
