"""Detection: the repeated-authentication-failures rule over event-time tumbling windows.

State is compact: per group key, a tuple of open windows ``(start_epoch, count, first_event_ids)``.
The same functions run in the Faust agent, in tests and (later) in offline replay.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from incidents.security_event import Outcome, SecurityEvent

_SUBJECT = {"source.ip": "source", "user.name": "account"}
Window = tuple[int, int, tuple[str, ...]]  # (start epoch seconds, count, contributing event ids)
GroupState = tuple[Window, ...]


@dataclass(frozen=True, slots=True)
class Detection:
    """A rule fired for one group in one window. ``key`` is stable, so replays are idempotent."""

    key: str
    rule_id: str
    entity: str
    asset: str | None
    breach_type: str
    window_start: datetime
    window_end: datetime
    detected_at: datetime
    count: int
    event_ids: tuple[str, ...]
    summary: str


@dataclass(frozen=True, slots=True)
class RepeatedAuthFailures:
    """Many failed authentications from one source, or against one account, in one window."""

    threshold: int = 10
    window: timedelta = timedelta(minutes=5)
    allowed_lateness: timedelta = timedelta(minutes=5)
    id: str = "auth.repeated_failures"
    breach_type: str = "confidentiality"
    group_fields: tuple[str, ...] = ("source.ip", "user.name")

    def matches(self, event: SecurityEvent) -> bool:
        return "authentication" in event.categories and event.outcome is Outcome.FAILURE

    def groups(self, event: SecurityEvent) -> Iterator[str]:
        """Group keys of this event: one per group field it has, prefixed by asset."""
        for name in self.group_fields:
            value = event.get(name)
            if value:
                yield f"{self.id}|{event.asset or event.host or '-'}|{name}={value}"


def observe(rule: RepeatedAuthFailures, state: GroupState, event: SecurityEvent,
            group: str) -> tuple[GroupState, Detection | None]:
    """Count ``event`` in its window for ``group``; fire once when the count reaches the threshold."""
    size = int(rule.window.total_seconds())
    ts = int(event.timestamp.timestamp())
    start = ts - ts % size
    horizon = start - int(rule.allowed_lateness.total_seconds()) - size
    windows = {w[0]: w for w in state if w[0] >= horizon}
    newest = max(windows, default=start)
    if start < newest - int(rule.allowed_lateness.total_seconds()) - size:
        return state, None  # too late: its window is already closed
    _, count, ids = windows.get(start, (start, 0, ()))
    count += 1
    if count <= rule.threshold:
        ids = (*ids, event.id)
    windows[start] = (start, count, ids)
    new_state = tuple(sorted(windows.values()))
    fired = _detection(rule, group, start, ids, event) if count == rule.threshold else None
    return new_state, fired


def _detection(rule: RepeatedAuthFailures, group: str, start: int, ids: tuple[str, ...],
               event: SecurityEvent) -> Detection:
    _, asset, entity = group.split("|", 2)
    begin = datetime.fromtimestamp(start, UTC)
    return Detection(
        key=f"{group}|{start}", rule_id=rule.id, entity=entity,
        asset=None if asset == "-" else asset, breach_type=rule.breach_type,
        window_start=begin, window_end=begin + rule.window, detected_at=event.timestamp,
        count=rule.threshold, event_ids=ids,
        summary=f"Repeated failed logins for one {_SUBJECT.get(entity.split('=')[0], 'entity')}"
                f" on {asset}: {rule.threshold} within {int(rule.window.total_seconds() // 60)} min",
    )


def detect(rule: RepeatedAuthFailures, states: MutableMapping[str, GroupState],
           events: Iterable[SecurityEvent]) -> list[Detection]:
    """Run the rule over a batch; ``states`` is updated in place (one write per key per batch)."""
    found: list[Detection] = []
    for event in events:
        if not rule.matches(event):
            continue
        for group in rule.groups(event):
            states[group], fired = observe(rule, states.get(group, ()), event, group)
            if fired:
                found.append(fired)
    return found
