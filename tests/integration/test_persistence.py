"""The SQLAlchemy adapters and migrations, on SQLite and (when configured) PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm.exc import StaleDataError

from incidents import services
from incidents.persistence import database, outbox
from incidents.persistence.rows import AuditRow, EvidenceRow, IncidentRow
from incidents.persistence.uow import SqlUnitOfWork
from tests.unit.test_services import HOUR, NOW, detection


def test_migrations_upgrade_downgrade_and_upgrade_again(database_url):
    engine = database.make_engine(database_url)
    database.upgrade(engine)
    database.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    database.upgrade(engine)
    assert {"incidents", "detections", "incident_evidence", "audit_log", "outbox"} <= set(
        inspect(engine).get_table_names())
    engine.dispose()


def test_incident_round_trips_with_evidence_audit_and_outbox(factory):
    services.record_detection(SqlUnitOfWork(factory), detection("d1"), now=NOW, correlation_window=HOUR)
    services.record_detection(SqlUnitOfWork(factory), detection("d1"), now=NOW, correlation_window=HOUR)
    later = detection("d2", entity="user.name=klant2001", at=NOW + timedelta(minutes=10), ids=("e2", "e3"))
    services.record_detection(SqlUnitOfWork(factory), later, now=NOW, correlation_window=HOUR)
    with SqlUnitOfWork(factory) as uow:
        [incident] = uow.incidents.list()
        assert incident.detection_keys == ("d1", "d2")
        assert incident.event_ids == ("e1", "e2", "e3")
        assert incident.opened_at == NOW and incident.opened_at.tzinfo is not None
        assert uow.session.scalar(select(EvidenceRow).limit(1)) is not None
        actions = uow.session.scalars(select(AuditRow.action).order_by(AuditRow.id)).all()
    assert actions == ["incident.opened", "detection.correlated"]
    assert [p["kind"] for _, _, p in outbox.pending(factory)] == ["IncidentOpened", "DetectionCorrelated"]


def test_outbox_rows_are_pending_until_marked_published(factory):
    services.record_detection(SqlUnitOfWork(factory), detection("d1"), now=NOW, correlation_window=HOUR)
    [(row_id, incident_id, payload)] = outbox.pending(factory)
    assert payload["incident_id"] == incident_id
    outbox.mark_published(factory, [row_id], at=datetime.now(UTC))
    assert outbox.pending(factory) == []


def test_concurrent_update_of_an_incident_is_refused(factory):
    services.record_detection(SqlUnitOfWork(factory), detection("d1"), now=NOW, correlation_window=HOUR)
    first, second = factory(), factory()
    a = first.scalars(select(IncidentRow)).one()
    b = second.scalars(select(IncidentRow)).one()
    a.title = "first edit"
    first.commit()
    b.title = "second edit"
    with pytest.raises(StaleDataError):
        second.commit()
    first.close(), second.close()


def test_a_detection_after_closure_opens_a_new_incident_linked_to_the_closed_one(factory):
    services.record_detection(SqlUnitOfWork(factory), detection("d1"), now=NOW, correlation_window=HOUR)
    with factory.begin() as session:
        row = session.scalars(select(IncidentRow)).one()
        row.status, closed_id = "closed", row.id
    later = detection("d2", at=NOW + timedelta(minutes=10))
    services.record_detection(SqlUnitOfWork(factory), later, now=NOW, correlation_window=HOUR)
    with SqlUnitOfWork(factory) as uow:
        newest, closed = uow.incidents.list()
    assert closed.id == closed_id and closed.status.value == "closed"
    assert newest.related_to == closed_id and newest.is_open


def test_over_long_asset_entity_and_event_ids_never_lose_the_detection(database_url):
    from dataclasses import replace as changed

    from incidents import services
    from incidents.persistence.uow import SqlUnitOfWork
    from tests.unit.test_services import HOUR, NOW, detection

    engine = database.make_engine(database_url)
    database.upgrade(engine)
    factory = database.session_factory(engine)
    asset, entity = "srv-" + "x" * 500, "user.name=" + "j" * 1000
    for n in (1, 2):  # the same detection twice (a redelivery, its e2 ignored): the truncated key is stable
        long_one = changed(detection("k" * 600, asset=asset, entity=entity), event_ids=("e" * 300, f"e{n}"))
        services.record_detection(SqlUnitOfWork(factory), long_one, now=NOW, correlation_window=HOUR)
    other = changed(detection("k" * 599 + "z", asset=asset, entity=entity + "2"), event_ids=("e3",))
    services.record_detection(SqlUnitOfWork(factory), other, now=NOW, correlation_window=HOUR)
    with SqlUnitOfWork(factory) as uow:
        incidents = uow.incidents.list()
    engine.dispose()
    [incident] = incidents  # same asset, within the window: both detections join one incident
    assert len(incident.detection_keys) == 2  # distinct long keys stay distinct; a redelivery adds none
    assert len(incident.asset) <= 120 and len(incident.entity) <= 300 and incident.asset.startswith("srv-xxx")
    assert all(len(k) <= 400 for k in incident.detection_keys) and len(incident.event_ids) == 3


@pytest.mark.parametrize("order", ["in event-time order", "late detection last"])
def test_only_overlapping_windows_correlate_in_either_arrival_order(factory, order):
    from tests.unit.test_services import _burst

    bursts = [_burst("early", 0), _burst("near", 50), _burst("late", 140)]  # 46 then 86 minutes apart
    for d in bursts if order == "in event-time order" else [bursts[2], bursts[1], bursts[0]]:
        services.record_detection(SqlUnitOfWork(factory), d, now=NOW, correlation_window=HOUR)
    with SqlUnitOfWork(factory) as uow:
        groups = sorted(sorted(i.detection_keys) for i in uow.incidents.list(limit=None))
    assert groups == [["early", "near"], ["late"]]
