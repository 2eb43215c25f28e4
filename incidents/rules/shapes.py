"""Per-group state transitions, one function per rule shape: ``(rule, step, state, hit) -> (state, fired)``.

State is plain JSON (dicts with string keys, lists, ints, floats, strings) so that it can live in a Faust
table with a JSON changelog. Functions never mutate the state they are given. Windows are event-time:
``bucket`` aligns an event to its tumbling window, and an event whose window closed more than the rule's
``lateness`` before the newest window of its group is ignored.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from incidents.rules.spec import Kind, Rule

State = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Hit:
    """A step matched one event: its time (epoch seconds), id, distinct-value token, volume, position."""

    ts: int
    event_id: str
    token: str | None = None
    volume: float = 1.0
    point: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class Fired:
    """A rule fired for a group: its window start, the count it saw and the evidence."""

    start: int
    count: int
    event_ids: tuple[str, ...]


Outcome = tuple[State, Fired | None]


def bucket(ts: int, size: int) -> int:
    return ts - ts % size


def _suppressed(rule: Rule, state: State, start: int) -> bool:
    last = state.get("f")
    return last is not None and last != start and abs(start - last) < rule.window + rule.suppress


def _fire(rule: Rule, state: State, start: int, count: int, ids: list[str]) -> Outcome:
    if _suppressed(rule, state, start):
        return state, None
    return {**state, "f": start}, Fired(start, count, tuple(ids))


def windowed(rule: Rule, step: int, state: State, hit: Hit) -> Outcome:
    """MATCH, COUNT and DISTINCT: count hits (or distinct tokens) per tumbling window; fire at the threshold."""
    need, size = rule.steps[step].count, rule.window
    start = bucket(hit.ts, size)
    windows = {w[0]: w for w in state.get("w", ())}
    newest = max(start, *windows) if windows else start
    if start < newest - rule.lateness - size:
        return state, None  # too late: its window closed
    windows = {s: w for s, w in windows.items() if s >= newest - rule.lateness - size}
    _, count, ids, tokens = windows.get(start, (start, 0, [], []))
    if count >= need or (hit.token is not None and hit.token in tokens):
        return state, None  # already fired for this window, or a value seen before
    total = count + hit.volume
    total = int(total) if float(total).is_integer() else total
    ids = [*ids, hit.event_id] if len(ids) < rule.evidence else ids
    tokens = [*tokens, hit.token] if hit.token is not None else tokens
    windows[start] = [start, total, ids, tokens]
    new = {**state, "w": sorted(windows.values())}
    return _fire(rule, new, start, math.ceil(total), ids) if total >= need else (new, None)


def steps(rule: Rule, step: int, state: State, hit: Hit) -> Outcome:
    """SEQUENCE and ALL: remember recent hits per step; fire when the steps complete within the window.

    A later step of a SEQUENCE is not remembered for a group that has seen nothing yet: most groups
    (every successful login's source) never start a sequence, and their state would be written for nothing.
    """
    old = state.get("s")
    if rule.kind is Kind.SEQUENCE and step > 0 and not (old and any(old)):
        return state, None
    old = old if old is not None else [[] for _ in rule.steps]
    newest = max(hit.ts, max((e[0] for entries in old for e in entries), default=hit.ts))
    horizon = newest - rule.window - rule.lateness
    if hit.ts < horizon:
        return state, None
    # pruning first keeps the same entries: the pruned ones are the oldest, and _remember keeps the newest
    lists = [[e for e in entries if e[0] >= horizon] for entries in old]
    lists[step] = _remember(lists[step], hit, keep=2 * rule.steps[step].count)
    new = {**state, "s": lists}
    found = _ordered(rule, lists, hit) if rule.kind is Kind.SEQUENCE else _unordered(rule, lists, hit)
    if found is None:
        return new, None
    end, chosen = found
    cleared = {**new, "s": [[] for _ in rule.steps]}
    fired_state, fired = _fire(rule, cleared, bucket(end, rule.window), len(chosen), chosen)
    return (fired_state, fired) if fired else (new, None)


def _remember(entries: list[list[Any]], hit: Hit, *, keep: int) -> list[list[Any]]:
    if hit.token is not None:
        entries = [e for e in entries if e[2] != hit.token]
    return sorted([*entries, [hit.ts, hit.event_id, hit.token]])[-keep:]


def _ordered(rule: Rule, lists: list[list[list[Any]]], hit: Hit) -> tuple[int, list[str]] | None:
    """Latest hits of each step within the window, each step before the next, ending with the newest hit of
    the last step. Evaluated on every hit, so a late earlier step completes the sequence as well."""
    if not lists[-1]:
        return None
    end = bound = lists[-1][-1][0]
    chosen: list[str] = []
    for index in reversed(range(len(rule.steps))):
        fits = [e for e in lists[index] if end - rule.window <= e[0] <= bound]
        need = rule.steps[index].count
        if len(fits) < need:
            return None
        picked = fits[-need:]
        bound = picked[0][0]
        chosen = [e[1] for e in picked] + chosen
    return end, chosen


def _unordered(rule: Rule, lists: list[list[list[Any]]], hit: Hit) -> tuple[int, list[str]] | None:
    """Enough hits of enough steps within the window that ends at the newest hit."""
    end = max(e[0] for entries in lists for e in entries)
    done, chosen = 0, []
    for index, entries in enumerate(lists):
        fits = [e for e in entries if end - rule.window <= e[0] <= end]
        if len(fits) >= rule.steps[index].count:
            done += 1
            chosen += [e[1] for e in fits[-rule.steps[index].count:]]
    return (end, chosen) if done >= (rule.min_steps or len(rule.steps)) else None


def baseline(rule: Rule, step: int, state: State, hit: Hit) -> Outcome:
    """BASELINE: volume per window; fire when the current window crosses the group's own baseline."""
    assert rule.baseline is not None
    size, spec = rule.window, rule.baseline
    start = bucket(hit.ts, size)
    buckets = {b[0]: b for b in state.get("b", ())}
    newest = max(start, *buckets) if buckets else start
    if start < newest - rule.lateness - size:
        return state, None
    _, volume, ids = buckets.get(start, (start, 0.0, []))
    history = [b[1] for s, b in buckets.items() if start - spec.history * size <= s < start]
    limit = max(spec.min_volume, spec.factor * sum(history) / spec.history)
    ids = [*ids, hit.event_id] if len(ids) < rule.evidence else ids
    buckets[start] = [start, volume + hit.volume, ids]
    kept = sorted(b for s, b in buckets.items() if s >= newest - spec.history * size)
    new = {**state, "b": [[s, v, i if s == start else []] for s, v, i in kept]}
    if volume < limit <= volume + hit.volume:
        return _fire(rule, new, start, math.ceil(volume + hit.volume), ids)
    return new, None


def absence(rule: Rule, step: int, state: State, hit: Hit) -> Outcome:
    """ABSENCE: step 0 fires unless step 1 (the approval) happened for the group within the window before."""
    if step == 1:
        return {**state, "b": max(hit.ts, state.get("b") or 0)}, None
    approved = state.get("b")
    if approved is not None and hit.ts - rule.window <= approved <= hit.ts + rule.lateness:
        return state, None
    return _fire(rule, state, bucket(hit.ts, rule.window), 1, [hit.event_id])


def travel(rule: Rule, step: int, state: State, hit: Hit) -> Outcome:
    """TRAVEL: compare each located event with the group's previous one; too fast means impossible."""
    assert rule.travel is not None
    if hit.point is None:
        return state, None
    last = state.get("l")
    new = {**state, "l": [hit.ts, hit.point[0], hit.point[1], hit.event_id]} \
        if last is None or hit.ts >= last[0] else state
    if last is None:
        return new, None
    km = _km((last[1], last[2]), hit.point)
    hours = abs(hit.ts - last[0]) / 3600
    if km < rule.travel.min_km or (hours > 0 and km / hours <= rule.travel.max_kmh):
        return new, None
    return _fire(rule, new, bucket(hit.ts, rule.window), 2, [last[3], hit.event_id])


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


OBSERVE: dict[Kind, Callable[[Rule, int, State, Hit], Outcome]] = {
    Kind.MATCH: windowed, Kind.COUNT: windowed, Kind.DISTINCT: windowed,
    Kind.SEQUENCE: steps, Kind.ALL: steps,
    Kind.BASELINE: baseline, Kind.ABSENCE: absence, Kind.TRAVEL: travel,
}
