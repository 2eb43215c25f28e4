"""Typed declarative rows. Evidence is kept as references (event ids), never as payload copies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class IncidentRow(Base):
    __tablename__ = "incidents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(32), index=True)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_activity_at: Mapped[datetime] = mapped_column(UtcDateTime())
    entity: Mapped[str] = mapped_column(String(300), index=True)
    asset: Mapped[str | None] = mapped_column(String(120), index=True)
    rule_ids: Mapped[list[str]] = mapped_column(JSON)
    breach_types: Mapped[list[str]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=0)
    became_aware_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    facts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    meldnummer: Mapped[str | None] = mapped_column(String(64))
    delay_reason: Mapped[str | None] = mapped_column(Text)
    subjects_informed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    inventory: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    related_to: Mapped[str | None] = mapped_column(String(36))
    severity_hints: Mapped[list[str] | None] = mapped_column(JSON)
    asset_known: Mapped[bool | None] = mapped_column()  # NULL (before 0008): known
    affected: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # personal data: who and what it touches

    __mapper_args__ = {"version_id_col": version}


class DetectionRow(Base):
    __tablename__ = "detections"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(120))
    entity: Mapped[str] = mapped_column(String(300))
    window_start: Mapped[datetime] = mapped_column(UtcDateTime())
    window_end: Mapped[datetime] = mapped_column(UtcDateTime())
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime())
    count: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(300))


class EvidenceRow(Base):
    """A contributing security event, by reference."""

    __tablename__ = "incident_evidence"
    __table_args__ = (UniqueConstraint("incident_id", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(128))
    detection_key: Mapped[str] = mapped_column(ForeignKey("detections.key"))


class AuditRow(Base):
    """Append-only: who did what, when, why (the Art. 33(5) record)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))  # the chain: see incidents.persistence.audit
    row_hash: Mapped[str] = mapped_column(String(64))


class UserRow(Base):
    """Who may act on incidents, with which role. The CLI identifies people by their OS account."""

    __tablename__ = "users"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    role: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    added_by: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # SHA-256 of the API token
    # what the token may do, space-separated (users.Scope): read, workflow, ingest
    token_scopes: Mapped[str] = mapped_column(String(64), default="read workflow", server_default="read workflow")


class AlertRow(Base):
    """An alert decided for an incident, once per stable key ("incident_opened", "deadline:24h", ...)."""

    __tablename__ = "alerts"

    incident_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), index=True)  # pending | done | superseded
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DeliveryRow(Base):
    """One delivery attempt of an alert to one target: sent, failed or no_target (Apprise found none)."""

    __tablename__ = "alert_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[str] = mapped_column(String(36), index=True)
    alert_key: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(300))  # masked: no secrets
    status: Mapped[str] = mapped_column(String(16))
    attempt: Mapped[int] = mapped_column(Integer)
    final: Mapped[bool] = mapped_column()
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    detail: Mapped[str] = mapped_column(String(300), default="")


class OutboxRow(Base):
    """Domain events saved with the state change, published later by the relay."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    incident_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)


class DocumentRow(Base):
    """Details people keep in the console: a draft's supplementary answers (per incident) and the organisation's
    details for drafts (one). JSON of strings; every change is audited."""

    __tablename__ = "console_documents"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_by: Mapped[str] = mapped_column(String(120))
