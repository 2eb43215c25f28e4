"""The outbox relay's storage side: unpublished events, marked once sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from incidents.persistence.rows import OutboxRow


def pending(factory: sessionmaker[Session], *, limit: int = 200) -> list[tuple[int, str, dict[str, Any]]]:
    with factory() as session:
        rows = session.scalars(
            select(OutboxRow).where(OutboxRow.published_at.is_(None)).order_by(OutboxRow.id).limit(limit))
        return [(r.id, r.incident_id, r.payload) for r in rows]


def mark_published(factory: sessionmaker[Session], ids: list[int], *, at: datetime) -> None:
    with factory.begin() as session:
        session.execute(update(OutboxRow).where(OutboxRow.id.in_(ids)).values(published_at=at))
