"""Reading the append-only audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from incidents.persistence.rows import AuditRow


def trail(session: Session, incident_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(AuditRow).where(AuditRow.incident_id == incident_id).order_by(AuditRow.id))
    return [{"at": r.at.isoformat(), "actor": r.actor, "action": r.action, "from_status": r.from_status,
             "to_status": r.to_status, "reason": r.reason} for r in rows]
