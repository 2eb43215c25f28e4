"""The health report of `datalek status`: lag per partition, reachability, the exit status it implies."""

from datetime import UTC, datetime

from streams.health import Health, PartitionLag


def test_lag_counts_uncommitted_messages_and_never_goes_negative():
    assert PartitionLag("events", 0, committed=40, end=100).lag == 60
    assert PartitionLag("events", 1, committed=None, end=7).lag == 7  # nothing committed yet
    assert PartitionLag("events", 2, committed=310, end=297).lag == 0  # end offset trailing a commit


def test_the_report_is_ok_only_when_broker_and_database_answer():
    parts = (PartitionLag("events", 0, 40, 100), PartitionLag("detections", 0, 2, 2))
    at = datetime(2026, 11, 21, 9, 12, tzinfo=UTC)
    healthy = Health(broker_error=None, database_error=None, last_incident_at=at, partitions=parts)
    assert healthy.ok and healthy.lag == 60
    assert healthy.to_dict() == {
        "ok": True, "broker": "reachable", "database": "reachable", "last_incident_at": "2026-11-21T09:12:00+00:00",
        "lag": 60, "partitions": [
            {"topic": "events", "partition": 0, "committed": 40, "end": 100, "lag": 60},
            {"topic": "detections", "partition": 0, "committed": 2, "end": 2, "lag": 0}]}
    down = Health(broker_error=None, database_error="unreachable (OperationalError)", last_incident_at=None)
    assert not down.ok and down.to_dict()["database"] == "unreachable (OperationalError)"
    assert not Health(broker_error="unreachable (KafkaTimeoutError)", database_error=None, last_incident_at=at).ok
