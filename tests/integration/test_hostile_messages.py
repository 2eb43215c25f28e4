"""One bad message costs one dead letter on the real broker: a deeply nested and a 5 MB message between the
good events of the same batch are dead-lettered (the big one cut to fit, with its size) and the good events
still open their incident."""

import json

import pytest
from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic

from incidents.persistence.rows import DetectionRow
from streams.records import DEAD_LETTER_BYTES
from tests.conftest import wait_until
from tests.integration.test_pipeline import count_incidents, produce, read_topic, scenario_events, wait_consumed

pytestmark = pytest.mark.kafka


def test_nested_and_oversized_messages_cost_one_dead_letter_each(worker_factory, database_url, kafka_bootstrap):
    worker = worker_factory(database_url)
    with KafkaAdminClient(bootstrap_servers=kafka_bootstrap) as admin:  # Apache Kafka refuses 5 MB by default
        admin.create_topics([NewTopic(worker.topic("events"), 1, 1, topic_configs={"max.message.bytes": "8000000"})])
    worker.start()
    good = [json.dumps(e).encode() for e in scenario_events()]
    nested = b'{"events": [' + b"[" * 50_000 + b"]" * 50_000 + b"]}"
    padding = {**scenario_events()[0], "message": "A" * 5_000_000}  # one event with a 5 MB message field
    oversized = json.dumps({"events": [padding]}).encode()
    half = len(good) // 2
    with KafkaProducer(bootstrap_servers=kafka_bootstrap, max_request_size=8_000_000, linger_ms=50) as producer:
        for value in [*good[:half], nested, *good[half:half + 5], oversized, *good[half + 5:]]:
            producer.send(worker.topic("events"), value=value)
        producer.flush()

    dead = sorted(read_topic(kafka_bootstrap, worker.topic("dead-letter"), expect=2), key=lambda d: d["offset"])
    assert [d["offset"] for d in dead] == [half, half + 6]
    assert dead[0]["reason"] == "message is nested too deeply to decode" and dead[0]["payload"] == nested.decode()
    assert dead[1]["reason"] == f"message of {len(oversized)} bytes is over the limit of {DEAD_LETTER_BYTES} bytes"
    assert dead[1]["truncated"] is True and dead[1]["payload_bytes"] == len(oversized)
    assert oversized.decode().startswith(dead[1]["payload"]) and len(dead[1]["payload"]) > 800_000

    wait_until(lambda: count_incidents(database_url) == 1, message="the incident of the good events")
    wait_consumed(worker, ["events", "detections"])
    from sqlalchemy import create_engine, func, select

    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(DetectionRow)) == 1
    engine.dispose()
    assert worker.process is not None and worker.process.poll() is None


def test_a_nested_raw_message_costs_one_dead_letter_and_the_next_raw_message_is_normalised(
        worker_factory, database_url, kafka_bootstrap):
    worker = worker_factory(database_url)
    worker.start()
    nested = b"[" * 50_000 + b"]" * 50_000 + b"\n"
    lines = "".join(json.dumps(e) + "\n" for e in scenario_events()).encode()
    produce(kafka_bootstrap, worker.topic("raw.ecs"), [nested, lines])

    [dead] = read_topic(kafka_bootstrap, worker.topic("dead-letter"), expect=1)
    assert dead["topic"] == worker.topic("raw.ecs") and dead["offset"] == 0
    assert "nested" in dead["reason"] or "RecursionError" in dead["reason"]
    wait_until(lambda: count_incidents(database_url) == 1, message="the incident of the raw lines after it")
    assert worker.process is not None and worker.process.poll() is None
