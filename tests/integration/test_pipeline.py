"""End to end on a real broker and database: events in, one incident out, replays change nothing."""

import json
import uuid

import pytest
from kafka import KafkaConsumer, KafkaProducer
from sqlalchemy import create_engine, func, select

from datalek.cli import SCENARIO
from incidents.persistence.rows import DetectionRow, IncidentRow, OutboxRow
from tests.conftest import Worker, wait_until

pytestmark = pytest.mark.kafka


def scenario_events() -> list[dict]:
    return [json.loads(line) for line in SCENARIO.read_text().splitlines()]


def produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    with KafkaProducer(bootstrap_servers=bootstrap) as producer:
        for value in values:
            producer.send(topic, value=value)
        producer.flush()


def count_incidents(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(IncidentRow)) or 0
    finally:
        engine.dispose()


def wait_consumed(worker: Worker, names: list[str], timeout: float = 60) -> None:
    """Wait until the worker has committed the end offset of every partition of the topics ``names``
    (each topic by the consumer group of its stage, tests.conftest.Worker.group)."""
    from kafka import TopicPartition

    for name in names:
        topic, group = worker.topic(name), worker.group(name)
        with KafkaConsumer(bootstrap_servers=worker.env["DATALEK_KAFKA__BOOTSTRAP"], group_id=group,
                           enable_auto_commit=False) as probe:
            parts = [TopicPartition(topic, p) for p in probe.partitions_for_topic(topic) or ()]
            end = probe.end_offsets(parts)
            wait_until(lambda probe=probe, parts=parts, end=end: all((probe.committed(tp) or 0) >= end[tp]
                                                                      for tp in parts),
                       timeout=timeout, message=f"group {group} to consume {topic}")


def read_topic(bootstrap: str, topic: str, *, expect: int, timeout: float = 60) -> list[dict]:
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                             group_id=f"test-{uuid.uuid4().hex[:6]}", session_timeout_ms=6000,
                             consumer_timeout_ms=1000)
    found: list[dict] = []
    try:
        wait_until(lambda: found.extend(json.loads(m.value) for m in consumer) or len(found) >= expect,
                   timeout=timeout, message=f"{expect} records on {topic}")
    finally:
        consumer.close()
    return found


def test_events_produced_to_kafka_open_one_incident_and_a_replay_adds_none(worker_factory, database_url,
                                                                          kafka_bootstrap):
    worker = worker_factory(database_url)
    worker.start()
    events = [json.dumps(e).encode() for e in scenario_events()]  # one event per Kafka message
    produce(kafka_bootstrap, worker.topic("events"), events)
    wait_until(lambda: count_incidents(database_url) >= 1, message="the brute-force incident")

    engine = create_engine(database_url)
    with engine.connect() as conn:
        [row] = conn.execute(select(IncidentRow)).all()
        assert row.asset == "klantportaal" and row.status == "detected"
        assert row.entity == "source.ip=203.0.113.77"

    produce(kafka_bootstrap, worker.topic("events"), events)  # the same events again
    wait_consumed(worker, ["events", "detections"])
    opened = read_topic(kafka_bootstrap, worker.topic("incident-events"), expect=1)
    assert opened[0]["kind"] == "IncidentOpened" and opened[0]["incident_id"] == row.id
    with engine.connect() as conn:
        detections = conn.scalar(select(func.count()).select_from(DetectionRow))
        outbox = conn.scalar(select(func.count()).select_from(OutboxRow))
    assert count_incidents(database_url) == 1
    assert detections >= 1 and outbox == detections
    engine.dispose()


def test_ingest_command_sends_the_scenario_and_the_cli_lists_the_incident(worker_factory, database_url):
    worker = worker_factory(database_url)
    worker.start()
    sent = worker.cli("ingest", str(SCENARIO))
    assert sent.returncode == 0, sent.stderr
    assert "sent 155 events in 1 messages; rejected 0" in sent.stdout
    wait_until(lambda: count_incidents(database_url) == 1, message="the incident")
    listed = worker.cli("incidents", "list", "--json")
    [incident] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert incident["rule_ids"] == ["auth.repeated_failures"] and incident["asset"] == "klantportaal"
    shown = worker.cli("incidents", "show", incident["id"][:8], "--json")
    assert json.loads(shown.stdout)["id"] == incident["id"]


def test_malformed_events_go_to_the_dead_letter_topic_and_good_ones_still_count(
        worker_factory, database_url, kafka_bootstrap):
    worker = worker_factory(database_url)
    worker.start()
    good = scenario_events()
    missing = {k: v for k, v in good[0].items() if k != "@timestamp"}
    # a numeric user.name was a dead letter before the schema became lenient; an item that is no object still is
    not_an_object = json.dumps("just text").encode()
    bad = [b"{this is not json", json.dumps(missing).encode(), not_an_object]
    produce(kafka_bootstrap, worker.topic("events"), bad + [json.dumps(e).encode() for e in good])

    dead = read_topic(kafka_bootstrap, worker.topic("dead-letter"), expect=3)
    reasons = sorted(d["reason"] for d in dead)
    assert reasons[0].startswith("@timestamp: required field is missing")
    assert reasons[1] == "event must be a JSON object, got str"
    assert reasons[2].startswith("message is not valid JSON")
    assert all(d["topic"] == worker.topic("events") and d["offset"] is not None for d in dead)
    assert {d["payload"] if isinstance(d["payload"], str) else "obj" for d in dead} == {
        "{this is not json", "just text", "obj"}
    wait_until(lambda: count_incidents(database_url) == 1, message="the incident after bad input")
