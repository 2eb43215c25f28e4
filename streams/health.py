"""The worker's health as seen from outside (`datalek status`): is the broker reachable, how far behind is
the worker's consumer group on each partition it reads, is the database reachable, when was the last
incident opened. Blocking (kafka-python); every probe is bounded in time and reports instead of raising."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError


@dataclass(frozen=True, slots=True)
class PartitionLag:
    topic: str
    partition: int
    committed: int | None  # None: the worker has committed nothing on this partition yet
    end: int

    @property
    def lag(self) -> int:
        """Messages not yet committed; never negative (the embedded broker's end offset can trail a commit)."""
        return max(0, self.end - (self.committed or 0))


@dataclass(frozen=True, slots=True)
class Health:
    broker_error: str | None  # None: reachable
    database_error: str | None
    last_incident_at: datetime | None
    partitions: tuple[PartitionLag, ...] = ()

    @property
    def ok(self) -> bool:
        return self.broker_error is None and self.database_error is None

    @property
    def lag(self) -> int:
        return sum(p.lag for p in self.partitions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "broker": self.broker_error or "reachable", "database": self.database_error or "reachable",
            "last_incident_at": self.last_incident_at.isoformat() if self.last_incident_at else None,
            "lag": self.lag, "partitions": [{**asdict(p), "lag": p.lag} for p in self.partitions],
        }


def consumer_lag(bootstrap: str, *, group: str, topics: list[str], timeout: float = 5.0) -> list[PartitionLag]:
    """Committed and end offset of every partition of ``topics`` for consumer group ``group``.
    Raise KafkaError when the broker does not answer within ``timeout`` seconds."""
    ms = int(timeout * 1000)
    with KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
                       session_timeout_ms=6000, heartbeat_interval_ms=2000, request_timeout_ms=max(ms, 6000) + 500,
                       bootstrap_timeout_ms=ms) as probe:
        known = probe.topics()
        parts = [TopicPartition(t, p) for t in topics if t in known for p in sorted(probe.partitions_for_topic(t))]
        end = probe.end_offsets(parts)
        return [PartitionLag(tp.topic, tp.partition, probe.committed(tp), end[tp]) for tp in parts]


def broker_health(bootstrap: str, *, group: str, topics: list[str], timeout: float = 5.0
                  ) -> tuple[str | None, tuple[PartitionLag, ...]]:
    try:
        return None, tuple(consumer_lag(bootstrap, group=group, topics=topics, timeout=timeout))
    except (KafkaError, OSError) as e:
        return f"unreachable ({type(e).__name__})", ()
