"""The rule engine: batch-shaped, pre-filtered, with compact JSON state per rule and group.

``Engine.detect(states, events)`` runs every rule over a batch of events and returns the detections. It
reads and writes ``states`` (a dict, or a per-batch view of a Faust table) by key
``rule|asset|field=value,...``; each value is plain JSON. The same engine runs in the stream worker, in
offline replay and in tests, so replaying a file gives the detections the stream gives.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from incidents.detection import Detection
from incidents.rules.conditions import (
    AllOf,
    AnyOf,
    Condition,
    Field,
    Op,
    Predicate,
    compile_condition,
    required_actions,
)
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
    test: Predicate  # shared by steps with equal conditions, so each runs once per event
    group: tuple[tuple[str, str], ...]  # (name in the group key, event field) pairs
    hit: _HitSpec
    outcomes: frozenset[str] | None  # lower-cased ``event.outcome`` values it needs, None: any


_HitSpec = tuple[str | None, str | None, tuple[str, str] | None]  # distinct, volume and position fields
_ANY = object()  # an ``event.outcome`` the outcome index cannot key (not a string): every step may match
_OTHER = object()  # an ``event.outcome`` no step names: only steps that need none may match


class Engine:
    """Runs a rule set. Rules are indexed by ``event.action`` and ``event.outcome`` so events no rule can
    match are skipped, and steps with equal conditions test each event once."""

    def __init__(self, rules: Iterable[Rule], *, inventory: AssetIndex | None = None) -> None:
        self.rules = tuple(rules)
        _check_unique(self.rules)
        self.inventory = inventory or NoInventory()
        self._by_action: dict[str, list[_Matcher]] = {}
        self._any_action: list[_Matcher] = []
        self._index: dict[tuple[str, object], list[_Matcher]] = {}  # (action, outcome) -> candidates
        compiled: dict[str, Predicate] = {}
        for rule in self.rules:
            for index, step in enumerate(rule.steps):
                fields = step.group_by or rule.group_by
                group = tuple(zip(rule.group_by or fields, fields, strict=True))
                travel = (rule.travel.lat_field, rule.travel.lon_field) if rule.travel else None
                matcher = _Matcher(rule, index, _compiled(compiled, step.condition), group,
                                   (step.distinct, rule.volume_field, travel),
                                   required_values(step.condition, "event.outcome"))
                actions = required_actions(step.condition)
                for action in actions if actions is not None else ():
                    self._by_action.setdefault(action, []).append(matcher)
                if actions is None:
                    self._any_action.append(matcher)
        self._outcomes = {None, _ANY, *(o for ms in self._by_action.values() for m in ms for o in m.outcomes or ()),
                          *(o for m in self._any_action for o in m.outcomes or ())}

    def candidates(self, event: SecurityEvent) -> list[_Matcher]:
        """The rule steps that may match ``event`` (cheap pre-filter, before any condition runs)."""
        action, outcome = event.action.lower(), event.get("event.outcome")
        if isinstance(outcome, str):
            outcome = outcome.lower()
        elif outcome is not None:
            outcome = _ANY
        key = (action if action in self._by_action else "", outcome if outcome in self._outcomes else _OTHER)
        found = self._index.get(key)
        if found is None:  # at most (actions in the rules + 1) x (outcomes in the rules + 3) lists
            found = self._index[key] = [
                m for m in [*self._by_action.get(action, ()), *self._any_action]
                if outcome is _ANY or m.outcomes is None or outcome in m.outcomes]
        return found

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

    def _observe(self, states: MutableMapping[str, Any], event: SecurityEvent, matchers: list[_Matcher],
                 found: list[Detection], holds: Callable[[str], bool] | None) -> None:
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
            step = m.rule.steps[m.step]
            if step.personal_data and not self.inventory.holds_personal_data(asset):
                continue
            group = groups[m.group] if m.group in groups else groups.setdefault(m.group, _group(m.group, event))
            if group is None:
                continue
            hit = hits[m.hit] if m.hit in hits else hits.setdefault(m.hit, _hit(m.hit, event))
            if hit is None:
                continue
            key = f"{m.rule.id}|{(asset or '-') if m.rule.per_asset else '*'}|{group}"
            if holds is not None and holds(key):
                continue
            old = states.get(key) or _EMPTY
            state, fired = OBSERVE[m.rule.kind](m.rule, m.step, old, hit)
            if state is not old:  # unchanged state is not written (no table write, no changelog record)
                states[key] = state
            if fired:
                found.append(_detection(m.rule, key, group, asset, fired, event))


def required_values(cond: Condition, name: str) -> frozenset[str] | None:
    """Lower-cased values field ``name`` must have for ``cond`` to match, or None when any value may."""
    if isinstance(cond, Field):
        plain = cond.name == name and cond.op is Op.EQ and not cond.every
        if plain and all(isinstance(v, str) and not _SPECIAL.search(v) for v in cond.values):
            return frozenset(v.lower() for v in cond.values)
        return None
    if isinstance(cond, AllOf):
        found = [v for v in (required_values(c, name) for c in cond.items) if v is not None]
        return frozenset.intersection(*found) if found else None
    if isinstance(cond, AnyOf):
        each = [required_values(c, name) for c in cond.items]
        return None if any(v is None for v in each) else frozenset().union(*each)  # type: ignore[arg-type]
    return None


_SPECIAL = re.compile(r"[*?\\]")  # wildcards and escapes: not a plain value


def _compiled(cache: dict[str, Predicate], cond: Condition) -> Predicate:
    """One predicate per distinct condition. Keyed by repr, not equality: ``1 == True == 1.0`` but a
    field test for each of them matches different text."""
    key = repr(cond)
    if key not in cache:
        cache[key] = compile_condition(cond)
    return cache[key]


def _check_unique(rules: tuple[Rule, ...]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"duplicate rule id (also in {seen[rule.id]})", source=rule.source, rule=rule.id,
                            field="id")
        seen[rule.id] = rule.source


def _group(pairs: tuple[tuple[str, str], ...], event: SecurityEvent) -> str | None:
    """``field=value`` pairs of the group (named by the rule's fields), or None when one is missing."""
    parts = []
    for name, field in pairs:
        value = event.get(field)
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
