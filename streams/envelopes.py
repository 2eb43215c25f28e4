"""Grouping parsed events into per-key envelopes for `datalek ingest` (pure: no Kafka, clock injected).

An envelope is sent when it is full, when it has waited ``linger`` seconds of wall time, or when the other
assets have moved on in event time: once an event of another key is more than ``max_lag`` seconds past an
envelope's oldest event, that envelope goes out first. So an asset with few events is never held hours
behind the busy ones, and rules that join events across assets see them within their lateness bound. (A
key is never behind itself: Kafka keeps one key's messages in order.)
"""

from __future__ import annotations

import heapq
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
    """Pending envelopes by key. ``add`` and ``due`` return the envelopes to send now, in order."""

    def __init__(self, policy: FlushPolicy, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy, self.clock = policy, clock
        self.pending: dict[Hashable, _Pending] = {}
        self.newest: dict[Hashable, float] = {}  # newest event time read, per key
        self.latest = float("-inf")  # newest event time read
        self._next = (float("inf"), float("inf"))  # (wall, event time) before which nothing is due

    def add(self, key: Hashable, event: Mapping[str, Any]) -> list[Envelope]:
        now, at = self.clock(), event_time(event)
        entry = self.pending.get(key)
        if entry is None:
            entry = self.pending[key] = _Pending(since=now)
            self._next = (min(self._next[0], now + self.policy.linger), self._next[1])
        entry.events.append(event)
        if at is not None:
            if entry.oldest is None or at < entry.oldest:
                entry.oldest = at
                self._next = (self._next[0], min(self._next[1], at + self.policy.max_lag))
            if at > self.newest.get(key, at - 1):
                self.newest[key] = at
                self.latest = max(self.latest, at)
        # the lagging envelopes of other keys go before this key's, which holds the newer event
        out = self.due(now) if now >= self._next[0] or self.latest > self._next[1] else []
        if key in self.pending and len(entry.events) >= self.policy.size:
            out.append(self._pop(key))
        return out

    def due(self, now: float | None = None) -> list[Envelope]:
        """Envelopes that waited too long in wall time or fell too far behind in event time."""
        now = self.clock() if now is None else now
        p, others = self.policy, self._others()
        late = [key for key, e in self.pending.items()
                if now - e.since >= p.linger or (e.oldest is not None and others(key) - e.oldest > p.max_lag)]
        out = [self._pop(key) for key in late]
        walls = [e.since + p.linger for e in self.pending.values()]
        lags = [e.oldest + p.max_lag for e in self.pending.values() if e.oldest is not None]
        self._next = (min(walls, default=float("inf")), min(lags, default=float("inf")))
        return out

    def _others(self) -> Callable[[Hashable], float]:
        """key -> the newest event time read for any other key."""
        top = heapq.nlargest(2, self.newest.items(), key=lambda item: item[1])
        none = float("-inf")
        first = top[0] if top else (None, none)
        second = top[1][1] if len(top) > 1 else none
        return lambda key: second if key == first[0] else first[1]

    def drain(self) -> list[Envelope]:
        return [self._pop(key) for key in list(self.pending)]

    def _pop(self, key: Hashable) -> Envelope:
        return key, self.pending.pop(key).events
