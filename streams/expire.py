"""Rule-state keys leave the table when their windows have passed (``incidents.rules.expiry``).

A by-key partition takes copies from every source partition, and the sources do not advance together in
event time: the route stage reads a backlog partition by partition at about the same number of messages a
second, but a busy asset's partition covers less event time per message (fault suite: one source three hours
ahead of another), and when a worker dies, the source partitions its route consumer held stall until the
session timeout while the others run on. So each by-key partition keeps a stream time per source partition
(the newest event time of the copies applied from it in batches that were written, in this consumer
generation: a batch run and then discarded in a rebalance moves nothing), and each key is filed, by the
minute it expires, under the source whose copy wrote it last: a lagging source's half-counted attack is
still there when its next copies come. (With one stream time per partition, the fault suite's "one of two
workers killed" once missed a brute force whose first failures were applied before the kill:
``tests/unit/test_stream_expiry.py``.)

The index is built from the table the first time it is needed in a consumer generation (so also after a
restart); the table does not say which source wrote a key, so such keys wait until every source that fed the
partition (``streams.route.SourceView``) has been seen again, then for the slowest. Due keys are deleted in
the batch that makes them due: Faust writes a tombstone to their changelog partition, so a restarted worker
does not restore them, and a compacted changelog drops them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from incidents.rules.expiry import Expiry
from incidents.rules.spec import Rule
from incidents.security_event import SecurityEvent
from streams.progress import unwrap
from streams.route import SOURCE, partition_of, source_of

Slot = tuple[int, str | None]  # (by-key partition, source partition); None: a key found in the table


class StreamExpiry:
    def __init__(self, rules: Iterable[Rule], table: Any, *, partitions: int) -> None:
        self.rules, self.table, self.partitions = tuple(rules), table, partitions
        self.index: dict[Slot, Expiry] = {}
        self.filed: dict[str, Slot] = {}  # key -> where it is filed
        self.built = False  # the index holds the table's keys of this generation
        self.clock: dict[int, dict[str, int]] = {}  # by-key partition -> source partition -> stream time
        self.seen: dict[int, dict[str, int]] = {}  # the same, of the batch being run: kept once it is written
        self.generation: Any = -1

    def restart(self, generation: Any) -> None:
        """A new consumer generation: partitions may have moved, so indexes are rebuilt from the table, and
        stream times start again from what the new generation applies."""
        if generation != self.generation:
            self.generation, self.index, self.filed, self.built = generation, {}, {}, False
            self.clock = {}

    def begin(self) -> None:
        """A batch begins: what the last one observed is forgotten unless ``written`` kept it."""
        self.seen = {}

    def observe(self, home: int, events: Iterable[SecurityEvent], *, source: str) -> None:
        newest = max((int(e.timestamp.timestamp()) for e in events), default=None)
        if newest is not None:
            clocks = self.seen.setdefault(home, {})
            clocks[source] = max(newest, clocks.get(source, newest))

    def written(self) -> None:
        """The batch's state is written: its event times move the stream times. A batch that is not written
        (partitions moved meanwhile) is run again, maybe in smaller batches; had its times counted, that re-run
        would expire keys on event time it has not applied yet, and a half-counted attack start over."""
        for home, clocks in self.seen.items():
            kept = self.clock.setdefault(home, {})
            for source, at in clocks.items():
                kept[source] = max(at, kept.get(source, at))
        self.seen = {}

    def _clocks(self, home: int) -> dict[str, int]:
        """Stream times on ``home``: the written ones and the running batch's."""
        clocks = dict(self.clock.get(home, {}))
        for source, at in self.seen.get(home, {}).items():
            clocks[source] = max(at, clocks.get(source, at))
        return clocks

    def _now(self, home: int, source: str | None) -> int | None:
        """The stream time that expires keys ``source`` wrote on ``home``; None: none yet."""
        clocks = self._clocks(home)
        if source is not None:
            return clocks.get(source)
        fed = self.table.get(SOURCE + str(home))  # every source partition whose copies were applied here
        if isinstance(fed, Mapping) and not fed.keys() <= clocks.keys():
            return None  # one has not been seen since the index was built: it may lag the others
        return min(clocks.values(), default=None)

    def _build(self) -> None:
        """The first time in a generation: one pass over the table files every partition's keys."""
        if self.built:
            return
        self.built = True
        for key, value in list(self.table.items()):
            home = self._home(key)
            if home is not None:
                self._place(key, unwrap(value)[0], (home, None))

    def _place(self, key: str, state: Any, slot: Slot) -> None:
        before = self.filed.pop(key, None)
        if before is not None and before != slot:
            self.index[before].forget(key)
        if slot not in self.index:
            self.index[slot] = Expiry(self.rules)
        self.index[slot].file(key, state)
        if key in self.index[slot].slot_of:
            self.filed[key] = slot

    def _home(self, key: str) -> int | None:
        if key.startswith("@") or "|" not in key:
            return None
        return partition_of(key.split("|", 1)[1], self.partitions)

    def stage(self, staged: Any, last: Mapping[int, Any]) -> int:
        """File the batch's writes, each under the source of the copy that made it (``staged.origin``: key
        -> by-key event), then stage a deletion for each key due on the batch's partitions (``last``: by-key
        partition -> its last event in the batch). Returns how many were staged."""
        self._build()
        for key, state in staged.items():
            home = self._home(key)
            if home is not None:
                position = source_of(staged.origin[key].headers)
                self._place(key, state, (home, position[0] if position else None))
        gone = 0
        for home, event in last.items():
            for (at, source), expiry in list(self.index.items()):
                now = self._now(home, source) if at == home else None
                if now is None:
                    continue
                for key in expiry.due(now):
                    del self.filed[key]
                    staged.source = event
                    staged.delete(key)
                    gone += 1
        return gone
