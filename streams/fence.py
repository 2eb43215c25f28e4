"""A worker that lost its partitions cannot overwrite the rule state of their new owner (a zombie fence).

A worker frozen (SIGSTOP, a VM paused, a long GC) past its session timeout wakes with a batch in hand. Until
it notices the rebalance it still writes that batch's state to the changelog, after the records of the
worker that took its partitions over and ran on: with last-write-wins, the next recovery would restore the
older state, while the newer marker says the messages in between are applied, so they are never run on it
again (fault suite, "one of two frozen 30 s, the other restarted": a detection missing, CI 2026-12-01). The
broker does not fence a plain producer, and Kafka transactions are not used (README, "Idempotency"), so the
reader does:

* every changelog record the agent writes carries, in the header ``datalek-high``, the last offset of its
  batch on the record's partition (for a rule-state key: its own applied offset; for a deletion: at least
  the applied offset of the state it deletes);
* a worker only runs messages past its partition's marker (``streams.progress``), so every record an owner
  writes is stamped above every marker before it in the changelog, and its writes of one key rise;
* so recovery (and a standby copy) drops a record stamped at or below the highest marker read so far in its
  partition, and a rule-state record stamped below the state it would replace: both are a late writer's.

Records without the header (written before it existed) are applied as before. Left open: a late ``@source``
record landing before the owner's first marker after the takeover is applied (it is checked against markers
only), and a late write of a key the owner deleted in that same window brings the older state back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

import faust

from streams.progress import MARKER, unwrap

log = logging.getLogger(__name__)
HEADER = "datalek-high"
# per batch: by-key partition (str) -> the batch's last offset there (streams.progress.BatchView.high)
HIGHS: ContextVar[Mapping[str, int] | None] = ContextVar("datalek_highs", default=None)


def stamp_of(value: Any, partition: int) -> int:
    """The offset of ``partition`` a stored rule-state record holds (-1: none)."""
    return unwrap(value)[1].get(str(partition), -1) if value is not None else -1


def high_of(headers: Any) -> int | None:
    try:
        value = dict(headers or ()).get(HEADER)
        return None if value is None else int(bytes(value))
    except (TypeError, ValueError):
        return None


class Fence:
    """Which changelog records recovery applies, read in changelog order per partition."""

    def __init__(self) -> None:
        self.floor: dict[int, int] = {}  # changelog partition -> highest marker read
        self.read: dict[int, int] = {}  # changelog partition -> last offset read
        self.dropped = 0  # records not applied: at or below a marker read, or below the key's state
        self.below_marker = 0

    def admit(self, partition: int, offset: int, key: Any, high: int | None, stored: Any) -> bool:
        """``stored``: the key's value as recovered so far (None: none)."""
        if offset <= self.read.get(partition, -1):  # the partition is read again from an earlier offset
            self.floor.pop(partition, None)
        self.read[partition] = offset
        if high is None:
            return True
        if high <= self.floor.get(partition, -1):
            self.dropped += 1
            self.below_marker += 1
            return False
        if not str(key).startswith("@") and high < stamp_of(stored, partition):
            self.dropped += 1
            return False
        if str(key).startswith(MARKER):
            self.floor[partition] = max(high, self.floor.get(partition, -1))
        return True

    def filter(self, batch: Iterable[Any], stored: Any) -> Iterator[Any]:
        """The events of a changelog batch to apply; ``stored(key)`` reads the table as applied so far."""
        for event in batch:
            message = event.message
            if self.admit(message.partition, message.offset, event.key, high_of(message.headers),
                          stored(event.key)):
                yield event


def header_for(partition: int | None, value: Any, stored: Any) -> dict[str, bytes] | None:
    """The header of a record the agent writes (None outside a batch: nothing to stamp)."""
    high = (HIGHS.get() or {}).get(str(partition))
    if high is None:
        return None
    if value is None:  # a deletion is stamped at least as high as the state it deletes
        high = max(high, stamp_of(stored, partition or 0))
    elif isinstance(value, dict) and value.keys() == {"state", "applied"}:
        high = max(high, stamp_of(value, partition or 0))
    return {HEADER: str(high).encode()}


class FencedTable(faust.Table):  # type: ignore[misc]
    """Faust's table, whose changelog records carry their batch's offset and whose recovery drops the
    records of a writer that had lost the partition (``Fence``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fence = Fence()

    def send_changelog(self, partition: int | None, key: Any, value: Any,
                       key_serializer: Any = None, value_serializer: Any = None) -> Any:
        return self.changelog_topic.send_soon(
            key=key, value=value, partition=partition,
            key_serializer=key_serializer or self.key_serializer,
            value_serializer=value_serializer or self.value_serializer,
            headers=header_for(partition, value, self.data.get(key) if value is None else None),
            callback=self._on_changelog_sent, eager_partitioning=True,
        )

    def apply_changelog_batch(self, batch: Iterable[Any]) -> None:
        # the memory store applies the records as this generator yields them, so ``stored`` sees the earlier
        # ones of the same batch (a deleted key reads None until the store removes it after the batch)
        dropped, below_marker = self.fence.dropped, self.fence.below_marker
        super().apply_changelog_batch(self.fence.filter(batch, lambda key: self.data.get(self._to_key(key))))
        dropped, below_marker = self.fence.dropped - dropped, self.fence.below_marker - below_marker
        if dropped:
            log.info("%s: %d changelog record(s) not applied: %d stamped at or below a marker read before them, "
                     "%d below the state of their key", self.name, dropped, below_marker, dropped - below_marker)
