"""Storage of alert decisions and deliveries. Keys are unique per incident, so a restart or a second
worker never decides the same alert twice; pending alerts are re-dispatched after a restart."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from incidents.model import OPEN_STATUSES, Incident
from incidents.persistence.repository import SqlIncidentRepository
from incidents.persistence.rows import AlertRow, DeliveryRow, IncidentRow


def open_incidents(factory: sessionmaker[Session]) -> list[tuple[Incident, frozenset[str]]]:
    """Open incidents with the alert keys already decided for each."""
    with factory() as session:
        repo = SqlIncidentRepository(session)
        rows = session.scalars(select(IncidentRow).where(IncidentRow.status.in_([s.value for s in OPEN_STATUSES])))
        incidents = [repo.get(r.id) for r in rows]
        ids = [i.id for i in incidents if i is not None]
        keys: dict[str, set[str]] = {}
        for incident_id, key in session.execute(
                select(AlertRow.incident_id, AlertRow.key).where(AlertRow.incident_id.in_(ids))):
            keys.setdefault(incident_id, set()).add(key)
        return [(i, frozenset(keys.get(i.id, ()))) for i in incidents if i is not None]


def decide(factory: sessionmaker[Session], decided: Iterable[tuple[str, str, str, bool]], *,
           at: datetime) -> list[tuple[str, str]]:
    """Store (incident_id, key, kind, send) decisions; return the (incident_id, key) pairs newly to send."""
    fresh = []
    for incident_id, key, kind, send in decided:
        try:
            with factory.begin() as session:
                session.add(AlertRow(incident_id=incident_id, key=key, kind=kind, created_at=at, updated_at=at,
                                     state="pending" if send else "superseded"))
        except IntegrityError:
            continue  # decided already (another worker, or before a restart)
        if send:
            fresh.append((incident_id, key))
    return fresh


def pending(factory: sessionmaker[Session]) -> list[tuple[str, str, str]]:
    """(incident_id, key, kind) of alerts decided but not yet delivered (e.g. interrupted by a restart)."""
    with factory() as session:
        rows = session.execute(select(AlertRow.incident_id, AlertRow.key, AlertRow.kind)
                               .where(AlertRow.state == "pending"))
        return [(r[0], r[1], r[2]) for r in rows]


def record_delivery(factory: sessionmaker[Session], *, incident_id: str, alert_key: str, target: str,
                    status: str, attempt: int, final: bool, at: datetime, detail: str) -> None:
    with factory.begin() as session:
        session.add(DeliveryRow(incident_id=incident_id, alert_key=alert_key, target=target[:300], status=status,
                                attempt=attempt, final=final, at=at, detail=detail[:300]))
        if final:
            session.execute(update(AlertRow).where(AlertRow.incident_id == incident_id, AlertRow.key == alert_key)
                            .values(state="done", updated_at=at))


def deliveries(factory: sessionmaker[Session], incident_id: str) -> list[dict[str, object]]:
    with factory() as session:
        rows = session.scalars(select(DeliveryRow).where(DeliveryRow.incident_id == incident_id)
                               .order_by(DeliveryRow.id))
        return [{"alert": r.alert_key, "target": r.target, "status": r.status, "attempt": r.attempt,
                 "final": r.final, "at": r.at.isoformat(), "detail": r.detail} for r in rows]
