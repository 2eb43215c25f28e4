"""The append-only audit log (the Art. 33(5) record): appending with a hash chain, reading, verifying.

Each row carries the SHA-256 of the previous row's hash and its own content, so a deleted, inserted or altered
row breaks the chain that ``verify`` walks. Appends are serialised (PostgreSQL: a transaction-scoped advisory
lock; SQLite: one writer at a time) so the chain never forks. Triggers set up by migration 0008 refuse UPDATE and
DELETE on the table; the chain is what shows tampering by someone who can drop them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from incidents.persistence.rows import AuditRow

GENESIS = "0" * 64
_TIP = "datalek.audit_tip"
_LOCK = 0x6461746C656B  # "datalek": the advisory-lock key of the audit chain


def row_hash(prev: str, *, incident_id: str, at: datetime, actor: str, action: str, reason: str,
             from_status: str | None, to_status: str | None) -> str:
    content = [incident_id, at.astimezone(UTC).isoformat(timespec="microseconds"), actor, action, reason,
               from_status, to_status]
    return hashlib.sha256(f"{prev}\n{json.dumps(content, ensure_ascii=False)}".encode()).hexdigest()


def append(session: Session, *, incident_id: str, at: datetime, actor: str, action: str, reason: str = "",
           from_status: str | None = None, to_status: str | None = None) -> None:
    """Add one audit row, chained to the newest one (committed with the caller's transaction)."""
    prev = session.info.get(_TIP) or _tip(session)
    digest = row_hash(prev, incident_id=incident_id, at=at, actor=actor, action=action, reason=reason,
                      from_status=from_status, to_status=to_status)
    session.add(AuditRow(incident_id=incident_id, at=at, actor=actor, action=action, reason=reason,
                         from_status=from_status, to_status=to_status, prev_hash=prev, row_hash=digest))
    session.info[_TIP] = digest


def _tip(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
    newest = session.scalar(select(AuditRow.row_hash).order_by(AuditRow.id.desc()).limit(1))
    return newest or GENESIS


@event.listens_for(Session, "after_transaction_end")
def _forget_tip(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction ended: the next append reads the tip again
        session.info.pop(_TIP, None)


@dataclass(frozen=True, slots=True)
class Verification:
    rows: int
    broken_at: int | None  # id of the first row whose link or content does not match
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(session: Session) -> Verification:
    """Walk the chain in insertion order; name the first row that was altered, or whose predecessor is gone."""
    prev, count = GENESIS, 0
    for row in session.scalars(select(AuditRow).order_by(AuditRow.id)).yield_per(1000):
        count += 1
        if row.prev_hash != prev:
            return Verification(count, row.id, "the row before it was deleted, altered or inserted")
        expected = row_hash(prev, incident_id=row.incident_id, at=row.at, actor=row.actor, action=row.action,
                            reason=row.reason, from_status=row.from_status, to_status=row.to_status)
        if row.row_hash != expected:
            return Verification(count, row.id, "its content was altered")
        prev = row.row_hash
    return Verification(count, None)


def trail(session: Session, incident_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(AuditRow).where(AuditRow.incident_id == incident_id).order_by(AuditRow.id))
    return [{"at": r.at.isoformat(), "actor": r.actor, "action": r.action, "from_status": r.from_status,
             "to_status": r.to_status, "reason": r.reason} for r in rows]
