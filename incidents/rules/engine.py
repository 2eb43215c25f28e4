"""The rule engine: batch-shaped, pre-filtered, with compact JSON state per rule and group.

``Engine.detect(states, events)`` runs every rule over a batch of events and returns the detections. It
reads and writes ``states`` (a dict, or a per-batch view of a Faust table) by key
``rule|asset|field=value,...``; each value is plain JSON. The same engine runs in the stream worker, in
offline replay and in tests, so replaying a file gives the detections the stream gives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from incidents.detection import Detection
from incidents.rules.conditions import Predicate, compile_condition, required_actions
from incidents.rules.errors import RuleError
from incidents.rules.shapes import OBSERVE, Fired, Hit
from incidents.rules.spec import Kind, Rule
from incidents.security_event import SecurityEvent

_EMPTY: dict[str, Any] = {}  # never mutated: shapes return new dicts


class AssetIndex(Protocol):
    """What the engine needs from the data inventory (``incidents.inventory.Inventory`` provides it)."""

    def asset_of(self, event: SecurityEvent) -> str | None: ...
    def holds_personal_data(self, asset: str | None) -> bool: ...


class NoInventory:
    """Without an inventory: the event's own asset, else its host; no asset counts as holding personal data."""

    def asset_of(self, event: SecurityEvent) -> str | None:
        return event.asset or event.host

    def holds_personal_data(self, asset: str | None) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class _Matcher:
    rule: Rule
    step: int
    test: Predicate
    group_fields: tuple[str, ...]


class Engine:
    """Runs a rule set. Rules are indexed by ``event.action`` so events no rule can match are skipped."""

    def __init__(self, rules: Iterable[Rule], *, inventory: AssetIndex | None = None) -> None:
        self.rules = tuple(rules)
        _check_unique(self.rules)
        self.inventory = inventory or NoInventory()
        self._by_action: dict[str, list[_Matcher]] = {}
        self._any_action: list[_Matcher] = []
        for rule in self.rules:
            for index, step in enumerate(rule.steps):
                matcher = _Matcher(rule, index, compile_condition(step.condition), step.group_by or rule.group_by)
                actions = required_actions(step.condition)
                for action in actions if actions is not None else ():
                    self._by_action.setdefault(action, []).append(matcher)
                if actions is None:
                    self._any_action.append(matcher)

    def candidates(self, event: SecurityEvent) -> list[_Matcher]:
        """The rule steps that may match ``event`` (cheap pre-filter, before any condition runs)."""
        found = self._by_action.get(event.action.lower(), [])
        return [*found, *self._any_action] if self._any_action else found

    def detect(self, states: MutableMapping[str, Any], events: Sequence[SecurityEvent]) -> list[Detection]:
        """Run all rules over a batch in order; ``states`` is read and written in place."""
        found: list[Detection] = []
        for event in events:
            matchers = self.candidates(event)
            if matchers:
                found.extend(self._observe(states, event, matchers))
        return found

    def _observe(self, states: MutableMapping[str, Any], event: SecurityEvent,
                 matchers: list[_Matcher]) -> Iterator[Detection]:
        asset: Any = ...  # resolved once, only when a condition matched
        for m in matchers:
            if not m.test(event):
                continue
            if asset is ...:
                asset = self.inventory.asset_of(event)
            step = m.rule.steps[m.step]
            if step.personal_data and not self.inventory.holds_personal_data(asset):
                continue
            group, hit = _group(m, event), _hit(m, event)
            if group is None or hit is None:
                continue
            key = f"{m.rule.id}|{(asset or '-') if m.rule.per_asset else '*'}|{group}"
            old = states.get(key) or _EMPTY
            state, fired = OBSERVE[m.rule.kind](m.rule, m.step, old, hit)
            if state is not old:  # unchanged state is not written (no table write, no changelog record)
                states[key] = state
            if fired:
                yield _detection(m.rule, key, group, asset, fired, event)


def _check_unique(rules: tuple[Rule, ...]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"duplicate rule id (also in {seen[rule.id]})", source=rule.source, rule=rule.id,
                            field="id")
        seen[rule.id] = rule.source


def _group(m: _Matcher, event: SecurityEvent) -> str | None:
    """``field=value`` pairs of the group (named by the rule's fields), or None when one is missing."""
    parts = []
    for name, field in zip(m.rule.group_by or m.group_fields, m.group_fields, strict=True):
        value = event.get(field)
        if value is None or value == "" or isinstance(value, list | dict):
            return None
        parts.append(f"{name}={value}")
    return ",".join(parts)


def _hit(m: _Matcher, event: SecurityEvent) -> Hit | None:
    """What the shape needs from the event; None when a distinct-count step's field is missing."""
    step = m.rule.steps[m.step]
    token = None
    if step.distinct is not None:
        value = event.get(step.distinct)
        if value is None or value == "":
            return None
        # a short hash: the state counts distinct values without holding them (they may be personal data)
        token = hashlib.blake2b(str(value).encode(), digest_size=6).hexdigest()
    volume = 1.0
    if m.rule.volume_field:
        amount = _number(event.get(m.rule.volume_field))
        volume = 1.0 if amount is None else amount
    point = None
    if m.rule.travel:
        lat, lon = (_number(event.get(f)) for f in (m.rule.travel.lat_field, m.rule.travel.lon_field))
        point = (lat, lon) if lat is not None and lon is not None else None
    return Hit(int(event.timestamp.timestamp()), event.id, token, volume, point)


def _number(value: Any) -> float | None:
    try:
        return None if value is None or isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        return None


def _detection(rule: Rule, key: str, group: str, asset: str | None, fired: Fired,
               event: SecurityEvent) -> Detection:
    begin = datetime.fromtimestamp(fired.start, UTC)
    return Detection(
        key=f"{key}|{fired.start}", rule_id=rule.id, entity=group or f"datalek.asset={asset or '-'}",
        asset=asset, breach_type=rule.breach_type.value, window_start=begin,
        window_end=begin + timedelta(seconds=rule.window), detected_at=event.timestamp, count=fired.count,
        event_ids=fired.event_ids, summary=_summary(rule, asset, fired), severity=rule.severity,
    )


def _summary(rule: Rule, asset: str | None, fired: Fired) -> str:
    """Counts and the rule's title only: never the group's values, which may be personal data."""
    where = f" on {asset}" if asset else ""
    if rule.kind in (Kind.MATCH, Kind.ABSENCE, Kind.TRAVEL):
        return f"{rule.title}{where}"
    return f"{rule.title}{where}: {fired.count} within {_span(rule.window)}"


def _span(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"
