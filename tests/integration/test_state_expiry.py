"""On the real broker, rule state whose windows have passed leaves the table: its changelog ends in a
tombstone, so a restarted worker does not restore it; the state of a group still in its window stays."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from kafka import KafkaConsumer, TopicPartition

from streams.schema import encode_envelope
from tests.conftest import wait_until
from tests.integration.test_detection_stream import login, stored_incidents
from tests.integration.test_pipeline import produce, wait_consumed

pytestmark = pytest.mark.kafka
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
OLD = [f"198.51.100.{n}" for n in range(2, 22)]  # one-off sources: two failures each, a near miss
ATTACK = "203.0.113.66"


def failure(n: int, at: datetime, ip: str) -> dict:
    return {"@timestamp": at.isoformat().replace("+00:00", "Z"), "event.id": f"exp-{n:04d}",
            "datalek.schema": 1, **login("failure", ip, f"klant{n}")}


def changelog(bootstrap: str, topic: str) -> dict[str, object]:
    """The last value per key of a changelog (None: a tombstone), read to its end."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        end, found = consumer.end_offsets(parts), {}
        while any(consumer.position(tp) < end[tp] for tp in parts):
            for records in consumer.poll(timeout_ms=1000).values():
                found.update((json.loads(m.key), None if m.value is None else json.loads(m.value)) for m in records)
        return found
    finally:
        consumer.close()


def test_expired_group_states_are_tombstoned_and_a_live_one_stays(worker_factory, database_url, kafka_bootstrap):
    worker = worker_factory(database_url)
    worker.start()
    old = [failure(2 * i + k, T0 + timedelta(seconds=30 * i + k), ip) for i, ip in enumerate(OLD) for k in (0, 1)]
    later = T0 + timedelta(hours=30)  # past every shipped rule's horizon (a baseline keeps 25 hours)
    attack = [failure(1000 + n, later + timedelta(seconds=6 * n), ATTACK) for n in range(12)]
    produce(kafka_bootstrap, worker.topic("events"), [encode_envelope(old)])
    wait_consumed(worker, ["events", "by-key"])
    topic = f"{worker.prefix}-rule-state-changelog"
    before = changelog(kafka_bootstrap, topic)
    old_keys = {k for k, v in before.items() if any(f"={ip}" in k for ip in OLD) and v is not None}
    assert len(old_keys) >= len(OLD)  # each near miss left state behind

    produce(kafka_bootstrap, worker.topic("events"), [encode_envelope(attack)])
    wait_until(lambda: stored_incidents(database_url), message="the brute-force incident")
    wait_consumed(worker, ["events", "by-key", "detections"])
    after = changelog(kafka_bootstrap, topic)
    assert {k: after[k] for k in old_keys} == dict.fromkeys(old_keys)  # each ends in a tombstone
    live = [k for k, v in after.items() if f"={ATTACK}" in k and v is not None]
    assert any(k.startswith("auth.repeated_failures|") for k in live)
