"""Rule examples: the positive and negative event sequences a rule file carries under ``examples:``.

    examples:
      positive:   # the rule must fire (at least ``fires`` times, default 1)
        - {at: 0s, repeat: 12, every: 5s, fields: {event.category: authentication, event.outcome: failure,
                                                   source.ip: 203.0.113.7}}
      negative:   # the rule must not fire
        - ...

Each item makes ``repeat`` events, ``every`` apart, from ``at`` after ``start``; ``{n}`` in a string
value is replaced by the event's number within the item. Events are normalised like the stream does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from incidents.rules.errors import RuleError
from incidents.rules.parse import duration
from incidents.security_event import Outcome, SecurityEvent

DEFAULT_START = "2026-11-20T09:00:00+00:00"


@dataclass(frozen=True, slots=True)
class Example:
    """One event sequence and what the rule must do with it."""

    name: str
    events: tuple[SecurityEvent, ...]
    fires: int  # minimum number of detections; 0 means none at all


def examples_of(data: Mapping[str, Any], *, source: str = "-") -> list[Example]:
    """The examples of a rule document (empty when it has none)."""
    raw = data.get("examples")
    if raw is None:
        return []
    rule = str(data.get("id", "-"))
    if not isinstance(raw, Mapping):
        raise RuleError("expected {positive: [...], negative: [...]}", source=source, rule=rule, field="examples")
    start = datetime.fromisoformat(str(raw.get("start", DEFAULT_START)).replace("Z", "+00:00"))
    found = []
    for kind in ("positive", "negative"):
        items = raw.get(kind) or []
        try:
            events = tuple(_events(items, start, prefix=f"{rule}-{kind}"))
        except (TypeError, ValueError, KeyError) as e:
            raise RuleError(str(e), source=source, rule=rule, field=f"examples.{kind}") from e
        if events:
            found.append(Example(kind, events, int(raw.get("fires", 1)) if kind == "positive" else 0))
    return found


def _events(items: list[Any], start: datetime, *, prefix: str) -> list[SecurityEvent]:
    events: list[SecurityEvent] = []
    for item in items:
        at, every = duration(item.get("at", 0)), duration(item.get("every", "1s"))
        for n in range(int(item.get("repeat", 1))):
            fields = {k: _fill(v, n) for k, v in item["fields"].items()}
            moment = start + timedelta(seconds=at + n * every)
            events.append(event_from_fields(fields, moment, f"{prefix}-{len(events):04d}"))
    return sorted(events, key=lambda e: e.timestamp)


def _fill(value: Any, n: int) -> Any:
    if isinstance(value, str):
        return value.replace("{n}", str(n))
    if isinstance(value, list):
        return [_fill(v, n) for v in value]
    return value


def event_from_fields(fields: Mapping[str, Any], moment: datetime, event_id: str) -> SecurityEvent:
    """A SecurityEvent from flat ECS fields (tests and examples; the stream uses ``streams.schema``)."""
    flat = {"@timestamp": moment.isoformat(), "event.id": event_id, **fields}
    category = flat.get("event.category", [])
    return SecurityEvent(
        id=str(flat["event.id"]), timestamp=moment,
        categories=frozenset([category] if isinstance(category, str) else category),
        action=str(flat.get("event.action", "")), outcome=Outcome(flat.get("event.outcome", "unknown")),
        user=flat.get("user.name"), source_ip=flat.get("source.ip"), host=flat.get("host.name"),
        asset=flat.get("datalek.asset"), fields=MappingProxyType(flat),
    )
