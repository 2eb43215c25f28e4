"""Topic creation and readiness checks with kafka-python (blocking; call off the event loop)."""

from __future__ import annotations

import socket
import time

from kafka import KafkaAdminClient
from kafka.errors import KafkaError, TopicAlreadyExistsError

TOPICS = ("events", "by-key", "detections", "incident-events", "dead-letter")


class BrokerUnavailable(Exception):
    """No Kafka broker answers at the configured address."""


def port_open(bootstrap: str) -> bool:
    host, _, port = bootstrap.rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=1):
            return True
    except OSError:
        return False


def wait_for_broker(bootstrap: str, *, timeout: float = 30.0) -> None:
    """Wait until the broker answers a real metadata request; raise BrokerUnavailable otherwise."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if port_open(bootstrap):
            try:
                with KafkaAdminClient(bootstrap_servers=bootstrap, bootstrap_timeout_ms=5000) as admin:
                    admin.describe_cluster()
                return
            except KafkaError as e:
                last = e
        time.sleep(0.3)
    raise BrokerUnavailable(f"no Kafka broker answers at {bootstrap} ({last or 'connection refused'})")


def ensure_topics(bootstrap: str, names: list[str], *, partitions: int, replication_factor: int) -> list[str]:
    """Create the topics that do not exist yet; return the names created."""
    created = []
    with KafkaAdminClient(bootstrap_servers=bootstrap, bootstrap_timeout_ms=10000) as admin:
        existing = set(admin.list_topics())
        for name in names:
            if name in existing:
                continue
            spec = {name: {"num_partitions": partitions, "replication_factor": replication_factor}}
            try:
                admin.create_topics(spec, wait_for_metadata=True)
                created.append(name)
            except TopicAlreadyExistsError:
                pass
    return created
