"""Maps incidents between the domain and rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from incidents.detection import Affected, Detection
from incidents.errors import ConcurrentUpdate, IncidentNotFound
from incidents.inventory import Prefill
from incidents.model import OPEN_STATUSES, Incident, Status
from incidents.persistence import codec
from incidents.persistence.rows import DetectionRow, EvidenceRow, IncidentRow

# Workflow fields copied verbatim between the domain and the row.
_PLAIN = ("status", "became_aware_at", "decided_at", "reported_at", "meldnummer", "delay_reason",
          "subjects_informed_at", "closed_at")


class SqlIncidentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, incident_id: str) -> Incident | None:
        row = self.session.get(IncidentRow, incident_id)
        return None if row is None else self._to_domain(row)

    def list(self, *, limit: int | None = 100) -> list[Incident]:
        rows = self.session.scalars(select(IncidentRow).order_by(IncidentRow.opened_at.desc()).limit(limit))
        return [self._to_domain(r) for r in rows]

    def find(self, prefix: str) -> Incident:
        """The incident whose id is or starts with ``prefix`` (at least 4 characters)."""
        rows = self.session.scalars(select(IncidentRow).where(IncidentRow.id.startswith(prefix)).limit(2)).all()
        if len(prefix) < 4 or len(rows) != 1:
            raise IncidentNotFound(f"{'no' if not rows else 'not exactly one'} incident matches {prefix!r}")
        return self._to_domain(rows[0])

    def save(self, incident: Incident) -> None:
        """Write workflow changes; refuse when someone else changed the incident since it was read."""
        row = self.session.get_one(IncidentRow, incident.id)
        if row.version != incident.version:
            raise ConcurrentUpdate(f"incident {incident.id} changed meanwhile (version {row.version})")
        for name in _PLAIN:
            value = getattr(incident, name)
            setattr(row, name, value.value if isinstance(value, Status) else value)
        row.facts = codec.facts_to_json(incident.facts)
        row.decision = codec.decision_to_json(incident.decision)
        try:
            self.session.flush()
        except StaleDataError as e:
            raise ConcurrentUpdate(f"incident {incident.id} changed meanwhile") from e

    def assets_seen(self) -> Sequence[tuple[str | None, int, datetime]]:
        """(asset or host, incidents, last activity) over all incidents: what detection has seen."""
        rows = self.session.execute(
            select(IncidentRow.asset, func.count(), func.max(IncidentRow.last_activity_at))
            .group_by(IncidentRow.asset).order_by(IncidentRow.asset))
        return [(asset, count, _aware(last)) for asset, count, last in rows]

    def has_detection(self, key: str) -> bool:
        return self.session.get(DetectionRow, key) is not None

    def open_for_entity(self, entity: str, asset: str | None, *, start: datetime, end: datetime
                        ) -> Incident | None:
        """An open incident on the same asset (or entity when the asset is unknown) whose activity, from its
        earliest detection's window start to its last activity, touches ``[start, end]``."""
        same = IncidentRow.asset == asset if asset else IncidentRow.entity == entity
        begun = exists().where(DetectionRow.incident_id == IncidentRow.id, DetectionRow.window_start <= end)
        row = self.session.scalars(
            select(IncidentRow)
            .where(same, IncidentRow.status.in_([s.value for s in OPEN_STATUSES]),
                   IncidentRow.last_activity_at >= start, begun)
            .order_by(IncidentRow.opened_at)
            .limit(1)
        ).first()
        return None if row is None else self._to_domain(row)

    def previous_for(self, entity: str, asset: str | None) -> str | None:
        """The latest closed or dismissed incident on the same asset (or entity): a new one links to it."""
        same = IncidentRow.asset == asset if asset else IncidentRow.entity == entity
        return self.session.scalar(
            select(IncidentRow.id).where(same, IncidentRow.status.not_in([s.value for s in OPEN_STATUSES]))
            .order_by(IncidentRow.opened_at.desc()).limit(1))

    def add(self, incident: Incident, detection: Detection) -> None:
        self.session.add(IncidentRow(
            id=incident.id, title=incident.title, status=incident.status.value,
            opened_at=incident.opened_at, last_activity_at=incident.last_activity_at,
            entity=incident.entity, asset=incident.asset, rule_ids=list(incident.rule_ids),
            breach_types=sorted(incident.breach_types),
            inventory=incident.inventory.to_dict() if incident.inventory else None,
            related_to=incident.related_to, severity_hints=sorted(incident.severity_hints),
            asset_known=incident.asset_known, affected=incident.affected.to_dict() or None,
        ))
        self.session.flush()
        self._add_detection(incident.id, detection)

    def attach(self, incident: Incident, detection: Detection) -> None:
        """Write a joined detection; refuse (ConcurrentUpdate, retried by the worker) when another worker
        changed the incident since it was read, so neither update is lost."""
        row = self.session.get_one(IncidentRow, incident.id)
        if row.version != incident.version:
            raise ConcurrentUpdate(f"incident {incident.id} changed meanwhile (version {row.version})")
        row.rule_ids = list(incident.rule_ids)
        row.breach_types = sorted(incident.breach_types)
        row.last_activity_at = incident.last_activity_at
        row.severity_hints = sorted(incident.severity_hints)
        row.asset_known = incident.asset_known
        row.affected = incident.affected.to_dict() or None
        self._add_detection(incident.id, detection)

    def holding(self, detection_key: str) -> Incident | None:
        """The incident a detection opened or joined."""
        incident_id = self.session.scalar(select(DetectionRow.incident_id).where(DetectionRow.key == detection_key))
        return None if incident_id is None else self.get(incident_id)

    def extend(self, incident: Incident, update: Detection) -> None:
        """Store merged affected entities; the update's events become evidence of the detection it extends."""
        row = self.session.get_one(IncidentRow, incident.id)
        row.affected = incident.affected.to_dict() or None
        row.last_activity_at = incident.last_activity_at
        self._add_evidence(incident.id, update.event_ids, detection_key=update.extends or "")
        self.session.flush()

    def _add_detection(self, incident_id: str, d: Detection) -> None:
        self.session.add(DetectionRow(
            key=d.key, incident_id=incident_id, rule_id=d.rule_id, entity=d.entity,
            window_start=d.window_start, window_end=d.window_end, detected_at=d.detected_at,
            count=d.count, summary=d.summary,
        ))
        self.session.flush()
        self._add_evidence(incident_id, d.event_ids, detection_key=d.key)

    def _add_evidence(self, incident_id: str, event_ids: tuple[str, ...], *, detection_key: str) -> None:
        known = set(self.session.scalars(
            select(EvidenceRow.event_id).where(EvidenceRow.incident_id == incident_id)))
        for event_id in dict.fromkeys(event_ids):
            if event_id not in known:
                self.session.add(EvidenceRow(incident_id=incident_id, event_id=event_id, detection_key=detection_key))

    def _to_domain(self, row: IncidentRow) -> Incident:
        detections = self.session.scalars(
            select(DetectionRow.key).where(DetectionRow.incident_id == row.id).order_by(DetectionRow.detected_at))
        events = self.session.scalars(
            select(EvidenceRow.event_id).where(EvidenceRow.incident_id == row.id).order_by(EvidenceRow.id))
        return Incident(
            id=row.id, title=row.title, status=Status(row.status), opened_at=row.opened_at,
            entity=row.entity, asset=row.asset, rule_ids=tuple(row.rule_ids),
            breach_types=frozenset(row.breach_types), detection_keys=tuple(detections),
            event_ids=tuple(events), last_activity_at=row.last_activity_at, version=row.version,
            became_aware_at=row.became_aware_at, facts=codec.facts_from_json(row.facts),
            decision=codec.decision_from_json(row.decision), decided_at=row.decided_at,
            reported_at=row.reported_at, meldnummer=row.meldnummer, delay_reason=row.delay_reason,
            subjects_informed_at=row.subjects_informed_at, closed_at=row.closed_at,
            inventory=Prefill.from_dict(row.inventory) if row.inventory else None,
            related_to=row.related_to, severity_hints=frozenset(row.severity_hints or ()),
            asset_known=row.asset_known is not False, affected=Affected.from_dict(row.affected),
        )


def _aware(moment: datetime) -> datetime:
    """An aggregate bypasses the column type: SQLite gives back a naive (UTC) datetime, or text."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value if value.tzinfo else value.replace(tzinfo=UTC)
