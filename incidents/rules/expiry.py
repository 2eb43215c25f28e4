"""When a group's rule state can be forgotten: its windows have passed, so no outcome depends on it any more.

A state remembers event times (window starts, step hits, the last fire, an approval, a last position).
Past its newest time plus the rule's horizon (window, lateness, suppression, a baseline's history, the
longest trip a traveller could make), every event the rule still accepts opens a state of its own: the
old one is deleted (a tombstone in the stream's changelog). ``Expiry`` finds the due keys without scanning
the table: keys are filed by the minute their state expires, refiled on every write.

Expiry runs on stream time (the newest event time seen), less one more lateness, so that an event that
arrives late within the bound still finds the state it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from incidents.rules.spec import Rule

HALF_EARTH_KM = 20_038  # the farthest two points on Earth are apart


def newest(state: Any) -> int | None:
    """The newest event time (epoch seconds) a rule state remembers; None for a state that holds none."""
    if not isinstance(state, Mapping):
        return None
    times: list[int] = []
    times += (w[0] for w in state.get("w") or ())  # windowed: [start, count, ids, tokens]
    times += (e[0] for entries in state.get("s") or () for e in entries)  # steps: [ts, id, token]
    kept = state.get("b")  # baseline buckets [start, volume, ids], or an absence rule's approval time
    times += (b[0] for b in kept) if isinstance(kept, list) else [kept] if isinstance(kept, int | float) else []
    if state.get("l"):  # travel: [ts, lat, lon, id]
        times.append(state["l"][0])
    if isinstance(state.get("f"), int | float):  # the window start of the last fire
        times.append(state["f"])
    return int(max(times)) if times else None


def horizon(rule: Rule) -> int:
    """Seconds after a state's newest time during which an event can still change an outcome through it."""
    windows = 1 + (rule.baseline.history if rule.baseline else 0)
    trip = int(HALF_EARTH_KM / rule.travel.max_kmh * 3600) if rule.travel and rule.travel.max_kmh > 0 else 0
    return windows * rule.window + rule.lateness + rule.suppress + trip


class Expiry:
    """State keys filed by the minute their state expires. ``file(key, state)`` after each write;
    ``due(now)`` hands over (and forgets) the keys whose state has expired by stream time ``now``."""

    def __init__(self, rules: Iterable[Rule], *, step: int = 60) -> None:
        self.horizons = {rule.id: horizon(rule) for rule in rules}
        self.lateness = {rule.id: rule.lateness for rule in rules}
        self.step = step
        self.slots: dict[int, set[str]] = {}  # minute -> keys expiring in it
        self.slot_of: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.slot_of)

    def expires(self, key: str, state: Any) -> int | None:
        """Stream time after which ``key`` (``<rule id>|...``) with ``state`` is gone; None: never (not a rule's)."""
        rule_id = key.split("|", 1)[0]
        seen = newest(state)
        if rule_id not in self.horizons or seen is None:
            return None
        return seen + self.horizons[rule_id] + self.lateness[rule_id]

    def file(self, key: str, state: Any) -> None:
        self.forget(key)
        at = self.expires(key, state)
        if at is None:
            return
        slot = at // self.step + 1  # the first minute wholly after it
        self.slots.setdefault(slot, set()).add(key)
        self.slot_of[key] = slot

    def forget(self, key: str) -> None:
        slot = self.slot_of.pop(key, None)
        if slot is not None:
            self.slots[slot].discard(key)
            if not self.slots[slot]:
                del self.slots[slot]

    def due(self, now: int) -> list[str]:
        limit = now // self.step
        found: list[str] = []
        for slot in sorted(s for s in self.slots if s <= limit):
            for key in self.slots.pop(slot):
                del self.slot_of[key]
                found.append(key)
        return found


class ExpiringStates(dict[str, Any]):
    """Rule states in a dict that forgets the expired ones as stream time advances (``datalek replay``)."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        super().__init__()
        self.expiry = Expiry(rules)
        self.clock: int | None = None

    def __setitem__(self, key: str, state: Any) -> None:
        super().__setitem__(key, state)
        self.expiry.file(key, state)

    def advance(self, now: int) -> list[str]:
        """Stream time is now at least ``now``: drop the states expired by then; their keys."""
        self.clock = now if self.clock is None else max(self.clock, now)
        gone = self.expiry.due(self.clock)
        for key in gone:
            self.pop(key, None)
        return gone
