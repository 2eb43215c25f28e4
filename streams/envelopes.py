"""Grouping parsed events into per-key envelopes for `datalek ingest` (pure: no Kafka, clock injected).

An envelope is sent when it is full, when it has waited ``linger`` seconds of wall time, or when the other
assets have moved on in event time: once an event of another key is more than ``max_lag`` seconds past an
envelope's oldest event, that envelope goes out first. So an asset with few events is never held hours
behind the busy ones, and rules that join events across assets see them within their lateness bound. (A
key is never behind itself: Kafka keeps one key's messages in order.)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Envelope = tuple[Any, list[Mapping[str, Any]]]


@dataclass(frozen=True, slots=True)
class FlushPolicy:
    size: int = 200  # events per envelope
    linger: float = 0.2  # wall-clock seconds an envelope may wait for more events
    max_lag: float = 60.0  # event-time seconds an envelope may stay behind the newest event read


@dataclass(slots=True)
class _Pending:
    events: list[Mapping[str, Any]] = field(default_factory=list)
    since: float = 0.0  # clock when the first event was added
    oldest: float | None = None  # event time (POSIX seconds) of the oldest event


def event_time(event: Mapping[str, Any]) -> float | None:
    """The event's ``@timestamp`` as POSIX seconds, or None when it has none that parses."""
    value = event.get("@timestamp")
    if not isinstance(value, str):
        return None
    try:
        ts = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return ts.timestamp() if ts.tzinfo is not None else None


class Envelopes:
    """Pending envelopes by key. ``add`` and ``due`` return the envelopes to send now, in order.

    Kept in O(1) per event: the two newest event times read (and the key of the newest), so "the newest of
    any other key" needs no scan; the two earliest lag deadlines of pending envelopes (and the key of the
    earliest), so a scan runs only when some envelope may be due."""

    def __init__(self, policy: FlushPolicy, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy, self.clock = policy, clock
        self.pending: dict[Hashable, _Pending] = {}
        self._newest: tuple[Hashable, float, float] = (None, _NEVER, _NEVER)  # key, its newest, runner-up's
        self._wall = _ALWAYS  # clock time before which no envelope has lingered long enough
        self._lag: tuple[Hashable, float, float] = (None, _ALWAYS, _ALWAYS)  # key, its deadline, runner-up's

    def add(self, key: Hashable, event: Mapping[str, Any]) -> list[Envelope]:
        now, at = self.clock(), event_time(event)
        entry = self.pending.get(key)
        if entry is None:
            entry = self.pending[key] = _Pending(since=now)
            self._wall = min(self._wall, now + self.policy.linger)
        entry.events.append(event)
        late = False
        if at is not None:
            self._read(key, at)
            if entry.oldest is None or at < entry.oldest:
                entry.oldest = at
                self._deadline(key, at + self.policy.max_lag)
                late = self._others(key) > at + self.policy.max_lag  # this event is already behind
            first, d1, d2 = self._lag
            late = late or at > (d2 if key == first else d1)  # another envelope may now be behind this one
        # the lagging envelopes of other keys go before this key's, which holds the newer event
        out = self.due(now) if late or now >= self._wall else []
        if key in self.pending and len(entry.events) >= self.policy.size:
            out.append(self._pop(key))
        return out

    def due(self, now: float | None = None) -> list[Envelope]:
        """Envelopes that waited too long in wall time or fell too far behind in event time."""
        now = self.clock() if now is None else now
        p = self.policy
        late = [key for key, e in self.pending.items()
                if now - e.since >= p.linger or (e.oldest is not None and self._others(key) - e.oldest > p.max_lag)]
        out = [self._pop(key) for key in late]
        self._wall = min((e.since + p.linger for e in self.pending.values()), default=_ALWAYS)
        self._lag = (None, _ALWAYS, _ALWAYS)
        for key, e in self.pending.items():
            if e.oldest is not None:
                self._deadline(key, e.oldest + p.max_lag)
        return out

    def drain(self) -> list[Envelope]:
        return [self._pop(key) for key in list(self.pending)]

    def _pop(self, key: Hashable) -> Envelope:
        return key, self.pending.pop(key).events

    def _read(self, key: Hashable, at: float) -> None:
        best_key, best, second = self._newest
        if key == best_key:
            self._newest = (key, max(best, at), second)
        elif at > best:
            self._newest = (key, at, best)
        elif at > second:
            self._newest = (best_key, best, at)

    def _others(self, key: Hashable) -> float:
        """The newest event time read for any other key."""
        best_key, best, second = self._newest
        return second if key == best_key else best

    def _deadline(self, key: Hashable, deadline: float) -> None:
        first, d1, d2 = self._lag
        if key == first:
            self._lag = (key, min(d1, deadline), d2)
        elif deadline < d1:
            self._lag = (key, deadline, d1)
        elif deadline < d2:
            self._lag = (first, d1, deadline)


_NEVER = float("-inf")
_ALWAYS = float("inf")
