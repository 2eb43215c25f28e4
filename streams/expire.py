"""Rule-state keys leave the table when their windows have passed (``incidents.rules.expiry``).

Per by-key partition: its stream time (the newest event time applied there) and its keys filed by the
minute they expire. The index is built from the table (one pass, every partition) the first time it is
needed in a consumer generation (so also after a restart, from the recovered table) and kept up to date
from each batch's writes. Due keys are deleted in the batch that makes them due: Faust writes a tombstone to their
changelog partition, so a restarted worker does not restore them, and a compacted changelog drops them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from incidents.rules.expiry import Expiry
from incidents.rules.spec import Rule
from incidents.security_event import SecurityEvent
from streams.progress import unwrap
from streams.route import partition_of


class StreamExpiry:
    def __init__(self, rules: Iterable[Rule], table: Any, *, partitions: int) -> None:
        self.rules, self.table, self.partitions = tuple(rules), table, partitions
        self.index: dict[int, Expiry] = {}
        self.clock: dict[int, int] = {}
        self.generation: Any = -1

    def restart(self, generation: Any) -> None:
        """A new consumer generation: partitions may have moved, so indexes are rebuilt from the table."""
        if generation != self.generation:
            self.generation, self.index = generation, {}

    def observe(self, home: int, events: Iterable[SecurityEvent]) -> None:
        newest = max((int(e.timestamp.timestamp()) for e in events), default=None)
        if newest is not None:
            self.clock[home] = max(newest, self.clock.get(home, newest))

    def _of(self, home: int) -> Expiry:
        if not self.index:  # one pass over the table files every partition's keys
            self.index[home] = Expiry(self.rules)
            for key, value in list(self.table.items()):
                at = self._home(key)
                if at is not None:
                    if at not in self.index:
                        self.index[at] = Expiry(self.rules)
                    self.index[at].file(key, unwrap(value)[0])
        if home not in self.index:
            self.index[home] = Expiry(self.rules)
        return self.index[home]

    def _home(self, key: str) -> int | None:
        if key.startswith("@") or "|" not in key:
            return None
        return partition_of(key.split("|", 1)[1], self.partitions)

    def stage(self, staged: Any, last: Mapping[int, Any]) -> int:
        """File the batch's writes, then stage a deletion for each key due on the batch's partitions
        (``last``: by-key partition -> its last event in the batch). Returns how many were staged."""
        for key, state in staged.items():
            home = self._home(key)
            if home is not None:
                self._of(home).file(key, state)
        gone = 0
        for home, event in last.items():
            if home not in self.clock:
                continue
            for key in self._of(home).due(self.clock[home]):
                staged.source = event
                staged.delete(key)
                gone += 1
        return gone
