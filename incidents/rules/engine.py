"""The rule engine: batch-shaped, pre-filtered, with compact JSON state per rule and group.

``Engine.detect(states, events)`` runs every rule over a batch of events and returns the detections. It
reads and writes ``states`` (a dict, or a per-batch view of a Faust table) by key
``rule|asset|field=value,...``; each value is plain JSON. The same engine runs in the stream worker, in
offline replay and in tests, so replaying a file gives the detections the stream gives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, Protocol

from incidents.detection import Affected, Detection
from incidents.rules.conditions import (
    Condition,
    Predicate,
    compile_condition,
    required_values,
)
from incidents.rules.errors import RuleError
from incidents.rules.shapes import OBSERVE, Fired, Hit
from incidents.rules.spec import Kind, Rule, Step
from incidents.security_event import SecurityEvent

_EMPTY: dict[str, Any] = {}  # never mutated: shapes return new dicts


class AssetIndex(Protocol):
    """What the engine needs from the data inventory (``incidents.inventory.Inventory`` provides it)."""

    def asset_of(self, event: SecurityEvent) -> str | None: ...
    def holds_personal_data(self, asset: str | None) -> bool: ...
    def knows(self, asset: str | None) -> bool: ...


class NoInventory:
    """Without an inventory: the event's own asset, else its host; no asset is known, so every one may hold
    personal data (fail safe, as for an asset the inventory lacks)."""

    def asset_of(self, event: SecurityEvent) -> str | None:
        return event.asset or event.host

    def holds_personal_data(self, asset: str | None) -> bool:
        return True

    def knows(self, asset: str | None) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class _Matcher:
    rule: Rule
    step: int
    test: Predicate  # shared by steps with equal conditions, so each runs once per event
    group: tuple[tuple[str, str], ...]  # (name in the group key, event field) pairs
    hit: _HitSpec
    needs: tuple[frozenset[str] | None, ...]  # per INDEXED field: lower-cased values it needs one of; None: any


_HitSpec = tuple[str | None, str | None, tuple[str, str] | None]  # distinct, volume and position fields
INDEXED = ("event.category", "event.kind", "event.outcome")  # the categorisation the pre-filter keys on
_MAX_KEYS = 4096  # distinct (category, kind, outcome) combinations remembered; beyond, each is worked out


class Engine:
    """Runs a rule set. Rule steps are pre-filtered by the values they need in ``event.category``,
    ``event.kind`` and ``event.outcome`` (one cached candidate list per combination), so events no rule
    can match are skipped, and steps with equal conditions test each event once."""

    def __init__(self, rules: Iterable[Rule], *, inventory: AssetIndex | None = None) -> None:
        self.rules = tuple(rules)
        _check_unique(self.rules)
        self.inventory = inventory or NoInventory()
        self._matchers: list[_Matcher] = []
        self._index: dict[tuple[Any, ...], list[_Matcher]] = {}  # (category, kind, outcome) -> candidates
        compiled: dict[str, Predicate] = {}
        for rule in self.rules:
            for index, step in enumerate(rule.steps):
                fields = step.group_by or rule.group_by
                group = tuple(zip(rule.group_by or fields, fields, strict=True))
                travel = (rule.travel.lat_field, rule.travel.lon_field) if rule.travel else None
                self._matchers.append(_Matcher(
                    rule, index, _compiled(compiled, step.condition), group,
                    (step.distinct, rule.volume_field, travel),
                    tuple(required_values(step.condition, name) for name in INDEXED)))

    def candidates(self, event: SecurityEvent) -> list[_Matcher]:
        """The rule steps that may match ``event`` (cheap pre-filter, before any condition runs)."""
        fields = event.fields
        category = fields.get("event.category")
        key = (tuple(category) if isinstance(category, list) else category, fields.get("event.kind"),
               fields.get("event.outcome"))
        try:
            return self._index[key]
        except KeyError:
            found = self._select(key)
            if len(self._index) < _MAX_KEYS:
                self._index[key] = found
            return found
        except TypeError:  # an unhashable value where a string belongs: work it out, do not remember it
            return self._select(key)

    def _select(self, key: tuple[Any, ...]) -> list[_Matcher]:
        have = tuple(_lowered(value) for value in key)
        return [m for m in self._matchers
                if all(need is None or not need.isdisjoint(values) for need, values in zip(m.needs, have, strict=True))]

    def detect(self, states: MutableMapping[str, Any], events: Sequence[SecurityEvent], *,
               holds: Callable[[str], bool] | None = None) -> list[Detection]:
        """Run all rules over a batch in order; ``states`` is read and written in place. ``holds(key)``
        true: that state already includes these events (a re-run after a crash) and is left alone."""
        found: list[Detection] = []
        for event in events:
            matchers = self.candidates(event)
            if matchers:
                self._observe(states, event, matchers, found, holds)
        return found

    def route_keys(self, event: SecurityEvent) -> list[str]:
        """Where the state ``event`` changes lives: the distinct ``asset|group`` parts of its state keys (the
        key without the rule id). The stream sends each event to the partition of each of its route keys
        (streams.route), so a group's state is in one place however the events were partitioned."""
        matchers = self.candidates(event)
        if not matchers:
            return []
        return list(dict.fromkeys(key.split("|", 1)[1] for _, _, _, _, key in self._matches(event, matchers)))

    def _observe(self, states: MutableMapping[str, Any], event: SecurityEvent, matchers: list[_Matcher],
                 found: list[Detection], holds: Callable[[str], bool] | None) -> None:
        for m, asset, group, hit, key in self._matches(event, matchers):
            if holds is not None and holds(key):
                continue
            step = m.rule.steps[m.step]
            old = states.get(key) or _EMPTY
            state, fired = OBSERVE[m.rule.kind](m.rule, m.step, old, hit)
            detection = _detection(m.rule, key, group, asset, fired, event, self.inventory) if fired else None
            if step.affected and (detection or state.get("f") is not None):  # cheap test first: most never fired
                make = partial(_detection, m.rule, key, group, asset, event=event, inventory=self.inventory)
                state, detection = _affected(m.rule, step, state, detection, hit, event, make)
            if state is not old:  # unchanged state is not written (no table write, no changelog record)
                states[key] = state
            if detection:
                found.append(detection)

    def _matches(self, event: SecurityEvent, matchers: list[_Matcher]
                 ) -> Iterator[tuple[_Matcher, str | None, str, Hit, str]]:
        """The steps ``event`` matches, with its asset, group, hit and state key."""
        asset: Any = ...  # resolved once, only when a condition matched
        tested: dict[Predicate, bool] = {}
        groups: dict[tuple[tuple[str, str], ...], str | None] = {}  # steps often share them: made once
        hits: dict[_HitSpec, Hit | None] = {}
        for m in matchers:
            ok = tested.get(m.test)
            if ok is None:
                ok = tested[m.test] = m.test(event)
            if not ok:
                continue
            if asset is ...:
                asset = self.inventory.asset_of(event)
            if m.rule.steps[m.step].personal_data and not self.inventory.holds_personal_data(asset):
                continue
            group = groups[m.group] if m.group in groups else groups.setdefault(m.group, _group(m.group, event))
            if group is None:
                continue
            hit = hits[m.hit] if m.hit in hits else hits.setdefault(m.hit, _hit(m.hit, event))
            if hit is None:
                continue
            yield m, asset, group, hit, f"{m.rule.id}|{(asset or '-') if m.rule.per_asset else '*'}|{group}"


def _compiled(cache: dict[str, Predicate], cond: Condition) -> Predicate:
    """One predicate per distinct condition. Keyed by repr, not equality: ``1 == True == 1.0`` but a
    field test for each of them matches different text."""
    key = repr(cond)
    if key not in cache:
        cache[key] = compile_condition(cond)
    return cache[key]


def _lowered(value: Any) -> frozenset[str]:
    """A field's values as the conditions compare them: lower-cased text of the value or its elements."""
    if value is None:
        return frozenset()
    items = value if isinstance(value, list | tuple) else (value,)
    return frozenset(v.lower() if isinstance(v, str) else str(v).lower() for v in items)


def _check_unique(rules: tuple[Rule, ...]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"duplicate rule id (also in {seen[rule.id]})", source=rule.source, rule=rule.id,
                            field="id")
        seen[rule.id] = rule.source


def _group(pairs: tuple[tuple[str, str], ...], event: SecurityEvent) -> str | None:
    """``field=value`` pairs of the group (named by the rule's fields), or None when one is missing."""
    parts, fields = [], event.fields
    for name, field in pairs:
        value = fields.get(field)
        if value is None or value == "" or isinstance(value, list | dict):
            return None
        parts.append(f"{name}={value}")
    return ",".join(parts)


def _hit(spec: _HitSpec, event: SecurityEvent) -> Hit | None:
    """What the shape needs from the event; None when a distinct-count step's field is missing."""
    distinct, volume_field, travel = spec
    token = None
    if distinct is not None:
        value = event.get(distinct)
        if value is None or value == "":
            return None
        # a short hash: the state counts distinct values without holding them (they may be personal data)
        token = hashlib.blake2b(str(value).encode(), digest_size=6).hexdigest()
    volume = 1.0
    if volume_field:
        amount = _number(event.get(volume_field))
        volume = 1.0 if amount is None else amount
    point = None
    if travel:
        lat, lon = (_number(event.get(f)) for f in travel)
        point = (lat, lon) if lat is not None and lon is not None else None
    return Hit(int(event.timestamp.timestamp()), event.id, token, volume, point)


def _number(value: Any) -> float | None:
    try:
        return None if value is None or isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        return None


def _detection(rule: Rule, key: str, group: str, asset: str | None, fired: Fired,
               event: SecurityEvent, inventory: AssetIndex) -> Detection:
    begin = datetime.fromtimestamp(fired.start, UTC)
    return Detection(
        key=f"{key}|{fired.start}", rule_id=rule.id, entity=group or f"datalek.asset={asset or '-'}",
        asset=asset, breach_type=rule.breach_type.value, window_start=begin,
        window_end=begin + timedelta(seconds=rule.window), detected_at=event.timestamp, count=fired.count,
        event_ids=fired.event_ids, summary=_summary(rule, asset, fired), severity=rule.severity,
        asset_known=inventory.knows(asset),
    )


def _affected(rule: Rule, step: Step, state: dict[str, Any], detection: Detection | None, hit: Hit,
              event: SecurityEvent, make: Callable[[Fired], Detection]) -> tuple[dict[str, Any], Detection | None]:
    """The step's ``affected`` values from this event: on the detection it fired, or, while the group's
    detection is recent (its window plus suppression), as an update of that detection's incident.

    The state keeps short hashes of the values already sent ("a"), never the values: an update is only
    sent for a value not sent before, at most ``evidence`` of them per detection.
    """
    fired_at, sent = state.get("f"), state.get("a") or []
    recent = fired_at is not None and fired_at <= hit.ts < fired_at + rule.window + rule.suppress
    if detection is None and (not recent or len(sent) >= rule.evidence):
        return state, None
    values = _affected_values(rule, step, event, detection)
    tokens = list(dict.fromkeys(_token(f"{kind}={value}") for kind, value in values if kind != "records"))
    if detection is not None:
        new_state = {**state, "a": tokens} if tokens or "a" in state else state
        return new_state, replace(detection, affected=Affected.of(values, event_id=event.id))
    fresh = [t for t in tokens if t not in sent]
    if not fresh:
        return state, None
    assert fired_at is not None  # recent
    fired = make(Fired(fired_at, 1, (event.id,)))
    update = replace(fired, key=f"{fired.key}|+{event.id}", summary=f"{rule.title}: further affected entities",
                     affected=Affected.of(values, event_id=event.id), extends=fired.key)
    return {**state, "a": [*sent, *fresh]}, update


def _affected_values(rule: Rule, step: Step, event: SecurityEvent,
                     detection: Detection | None) -> list[tuple[str, Any]]:
    """(kind, value) pairs; a summed record count is the detection's total, not the one event's."""
    found: list[tuple[str, Any]] = []
    for kind, field in step.affected:
        value = event.get(field)
        if kind == "records":
            number = detection.count if detection and rule.volume_field == field else _number(value)
            if number is not None:
                found.append((kind, int(number)))
            continue
        for item in value if isinstance(value, list) else [value]:
            if item is not None and item != "" and not isinstance(item, dict | list):
                found.append((kind, str(item)))
    return found


def _token(value: str) -> str:
    return hashlib.blake2b(value.encode(), digest_size=6).hexdigest()


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
