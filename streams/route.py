"""State where its key lives: events are re-keyed by where the rule state they change lives.

A rule's state key is ``rule|asset|group`` (``incidents.rules.engine``); producers key the events topic by
host, by asset or not at all, so one group's events (brute force over two load-balanced hosts, one user
across systems) can arrive on several partitions and, with several workers, in several processes. The
``route`` stage (a plain consumer group, ``streams.plain_consumer``) sends each event to the ``by-key``
partition of each of its route keys (``asset|group``, the state key without the rule; partition: CRC-32 of
the route key modulo the partition count), one envelope per source message and partition. The detection
agent reads ``by-key``, whose partitions its table shares, and changes only the state keys whose route key
belongs to the copy's partition, so every group's state has exactly one home whatever the partitioning of
the events and the number of workers.

Exactly once across the two stages: a copy carries its source position (events partition and offset), and
the copies of one source partition reach one by-key partition in source order; a route stage that runs a
range again (crash, rebalance) re-sends copies the detection stage already applied, which it skips by the
highest source offset recorded per by-key partition and source partition (``SourceView``).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from incidents.rules import Engine
from incidents.security_event import SecurityEvent

HEADER = "datalek-source"  # Kafka header of a copy: b"<partition>:<offset>" of its events message
SOURCE = "@source|"  # table key prefix: per by-key partition, the highest applied offset per source partition


def partition_of(route_key: str, partitions: int) -> int:
    return zlib.crc32(route_key.encode()) % partitions


def copies(engine: Engine, events: Iterable[SecurityEvent], *, partitions: int) -> dict[int, list[dict[str, Any]]]:
    """by-key partition -> the events (in order) with state there, as flat normalised fields with their
    ``event.id``. Events no rule state changes are dropped here: the detection stage would skip them."""
    out: dict[int, list[dict[str, Any]]] = {}
    for event in events:
        if partitions == 1:  # every state lives on partition 0: the cheap pre-filter is enough to drop events
            homes = [0] if engine.candidates(event) else []  # (running the conditions here cost a third)
        else:
            homes = sorted({partition_of(key, partitions) for key in engine.route_keys(event)})
        if homes:
            fields = {**event.fields, "event.id": event.id}  # the id survives re-reading the copy
            for partition in homes:
                out.setdefault(partition, []).append(fields)
    return out


def header(partition: int, offset: int) -> bytes:
    return f"{partition}:{offset}".encode()


def source_of(headers: Any) -> tuple[str, int] | None:
    """(partition, offset) from a copy's headers (a mapping or a list of pairs), or None."""
    try:
        value = dict(headers or ()).get(HEADER)
        partition, offset = bytes(value).decode().split(":")
        return partition, int(offset)
    except (TypeError, ValueError, AttributeError):
        return None


def holds(partition: int, partitions: int, applied: Callable[[str], bool]) -> Callable[[str], bool]:
    """The engine's ``holds`` for a copy on ``partition``: true (leave alone) for the state keys that live
    on another partition (another copy of the event goes there) and for those ``applied`` says hold it."""
    if partitions == 1:  # every key lives here
        return applied
    return lambda key: partition_of(key.split("|", 1)[1], partitions) != partition or applied(key)


class SourceView:
    """Per by-key partition (``home``), the highest source offset applied per source partition: stored in
    the table (``@source|<home>``) and raised during a batch; ``stage`` writes the batch's after its state."""

    def __init__(self, table: Any) -> None:
        self.table = table
        self.batch: dict[str, dict[str, int]] = {}  # home -> source partition -> highest offset this batch
        self.last: dict[str, Any] = {}  # home -> its last event in this batch (for the changelog)

    def _stored(self, key: str) -> Mapping[str, int]:
        value = self.table.get(SOURCE + key)
        return value if isinstance(value, dict) else {}

    def admit(self, key: str, source: tuple[str, int], event: Any) -> bool:
        """True for a copy not applied yet (then recorded as applied in this batch)."""
        partition, offset = source
        seen = self.batch.get(key, {}).get(partition)
        if seen is None:
            seen = self._stored(key).get(partition, -1)
        if offset <= seen:
            return False
        self.batch.setdefault(key, {})[partition] = offset
        self.last[key] = event
        return True

    def stage(self, staged: Any) -> None:
        for key, highs in self.batch.items():
            staged.source = self.last[key]
            staged[SOURCE + key] = {**self._stored(key), **highs}
