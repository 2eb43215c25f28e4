"""Conditions over one event: field tests (lists, wildcards, CIDR, comparisons), all/any/not, office hours.

Native YAML rules and Sigma rules compile into the same tree. Strings compare case-insensitively (as in
Sigma) unless ``cased``; a list-valued event field (``event.category``) matches when any element does.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo

from incidents.rules.wildcards import wildcard_matcher
from incidents.security_event import SecurityEvent

Predicate: TypeAlias = Callable[[SecurityEvent], bool]


class Op(StrEnum):
    EQ = "eq"  # equality; ``*`` and ``?`` are wildcards
    CONTAINS = "contains"
    STARTSWITH = "startswith"
    ENDSWITH = "endswith"
    RE = "re"
    CIDR = "cidr"
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"
    EXISTS = "exists"


@dataclass(frozen=True, slots=True)
class Field:
    """``name`` satisfies ``op`` for any of ``values`` (or all of them with ``every``)."""

    name: str
    op: Op
    values: tuple[Any, ...]
    cased: bool = False
    every: bool = False


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition


@dataclass(frozen=True, slots=True)
class Keywords:
    """Any string field of the event contains one of ``values`` (Sigma keyword search)."""

    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OutsideHours:
    """The event happened outside office hours (``start``..``end`` on ``days``) in time zone ``tz``."""

    tz: str
    start: time
    end: time
    days: frozenset[int]  # 0 = Monday


@dataclass(frozen=True, slots=True)
class Before:
    """The event happened before ``epoch`` (seconds): an exception's ``until``, on event time, so a replay of
    old events gives what the stream gave then."""

    epoch: float


Condition: TypeAlias = Field | AllOf | AnyOf | Not | Keywords | OutsideHours | Before


def compile_condition(cond: Condition) -> Predicate:
    """A fast predicate for ``cond``."""
    if isinstance(cond, AllOf):
        return _all_of(tuple(compile_condition(c) for c in cond.items))
    if isinstance(cond, AnyOf):
        return _any_of(tuple(compile_condition(c) for c in cond.items))
    if isinstance(cond, Not):
        inner = compile_condition(cond.item)
        return lambda e: not inner(e)
    if isinstance(cond, Keywords):
        return _keywords(cond)
    if isinstance(cond, OutsideHours):
        return _outside_hours(cond)
    if isinstance(cond, Before):
        epoch = cond.epoch
        return lambda e: e.timestamp.timestamp() < epoch
    return _field(cond)


def _all_of(parts: tuple[Predicate, ...]) -> Predicate:
    def check(event: SecurityEvent) -> bool:
        for part in parts:  # a loop, not all() over a generator: this runs for every candidate event
            if not part(event):
                return False
        return True

    return check


def _any_of(parts: tuple[Predicate, ...]) -> Predicate:
    def check(event: SecurityEvent) -> bool:
        for part in parts:
            if part(event):
                return True
        return False

    return check


def required_values(cond: Condition, name: str) -> frozenset[str] | None:
    """Lower-cased values of field ``name`` of which an event must have one (as its value, or an element of
    its list) for ``cond`` to match, or None when any value (or none) may.

    The engine indexes rules by these for the categorisation fields, so an event no rule can match costs one
    dict lookup. Every answer is a necessary condition, also for list-valued fields (``event.category``): an
    AND keeps one of its parts' sets (the smallest), never their intersection, since ``[iam, authentication]``
    satisfies both ``iam`` and ``authentication``.
    """
    if isinstance(cond, Field):
        plain = cond.name == name and cond.op is Op.EQ
        if plain and cond.values and all(isinstance(v, str) and not _SPECIAL.search(v) for v in cond.values):
            return frozenset(v.lower() for v in cond.values)
        return None
    if isinstance(cond, AllOf):
        found = [v for v in (required_values(c, name) for c in cond.items) if v is not None]
        return min(found, key=len) if found else None
    if isinstance(cond, AnyOf):
        each = [required_values(c, name) for c in cond.items]
        return None if any(v is None for v in each) else frozenset().union(*each)  # type: ignore[arg-type]
    return None


_SPECIAL = re.compile(r"[*?\\]")  # wildcards and escapes: not a plain value
_WILDCARD = re.compile(r"(?<!\\)[*?]")


def _values_of(event: SecurityEvent, name: str) -> tuple[Any, ...]:
    value = event.get(name)
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def _field(cond: Field) -> Predicate:
    if cond.op is Op.EXISTS:
        want = bool(cond.values[0]) if cond.values else True
        return lambda e: (e.get(cond.name) is not None) is want
    name = cond.name
    plain = _plain_set(cond)
    if plain is not None:  # the common case: one or more exact, case-insensitive strings
        def member(event: SecurityEvent) -> bool:
            value = event.fields.get(name)  # not event.get: one call less, on every candidate event
            if isinstance(value, str):
                return value.lower() in plain
            if isinstance(value, list):  # event.category, event.type: a loop is cheaper than any() here
                for item in value:
                    if (item.lower() if isinstance(item, str) else str(item).lower()) in plain:
                        return True
                return False
            return value is not None and any(str(v).lower() in plain for v in _as_tuple(value))
        return member
    tests = tuple(_value_test(cond, v) for v in cond.values)
    combine = all if cond.every else any

    def check(event: SecurityEvent) -> bool:
        values = _values_of(event, name)
        return bool(values) and combine(any(t(v) for v in values) for t in tests)

    return check


def _plain_set(cond: Field) -> frozenset[str] | None:
    simple = cond.op is Op.EQ and not cond.cased and not cond.every
    if simple and all(isinstance(v, str) and not _WILDCARD.search(v) and "\\" not in v for v in cond.values):
        return frozenset(v.lower() for v in cond.values)
    return None


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def _value_test(cond: Field, wanted: Any) -> Callable[[Any], bool]:
    if cond.op in (Op.GT, Op.GTE, Op.LT, Op.LTE):
        return _compare(cond.op, wanted)
    if cond.op is Op.CIDR:
        return _cidr(str(wanted))
    if wanted is None:
        return lambda v: v is None
    if isinstance(wanted, bool | int | float) and cond.op is Op.EQ:
        return lambda v: v == wanted or str(v).lower() == str(wanted).lower()
    return _text(cond, str(wanted))


def _text(cond: Field, wanted: str) -> Callable[[Any], bool]:
    flags = 0 if cond.cased else re.IGNORECASE
    if cond.op is Op.RE:
        rx = re.compile(wanted, flags)
        return lambda v: rx.search(str(v)) is not None
    if cond.op is Op.EQ and not _WILDCARD.search(wanted) and "\\" not in wanted:
        if cond.cased:
            return lambda v: str(v) == wanted
        low = wanted.lower()
        return lambda v: str(v).lower() == low
    match = wildcard_matcher(wanted, cased=cond.cased, prefix=cond.op in (Op.CONTAINS, Op.ENDSWITH),
                             suffix=cond.op in (Op.CONTAINS, Op.STARTSWITH))  # linear: no ".*a.*b.*" regex
    return lambda v: match(str(v))


def _compare(op: Op, wanted: Any) -> Callable[[Any], bool]:
    limit = float(wanted)
    cmp: Callable[[float], bool] = {
        Op.GT: lambda x: x > limit, Op.GTE: lambda x: x >= limit,
        Op.LT: lambda x: x < limit, Op.LTE: lambda x: x <= limit,
    }[op]

    def test(value: Any) -> bool:
        try:
            return not isinstance(value, bool) and cmp(float(value))
        except (TypeError, ValueError):
            return False

    return test


def _cidr(text: str) -> Callable[[Any], bool]:
    network = ipaddress.ip_network(text, strict=False)

    def test(value: Any) -> bool:
        try:
            return ipaddress.ip_address(str(value)) in network
        except ValueError:
            return False

    return test


def _keywords(cond: Keywords) -> Predicate:
    needles = tuple(wildcard_matcher(k, prefix=True, suffix=True) for k in cond.values)

    def check(event: SecurityEvent) -> bool:
        texts = [v for v in _strings(event.fields.values())]
        return any(n(t) for n in needles for t in texts)

    return check


def _strings(values: Iterable[Any]) -> Iterable[str]:
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, list | tuple):
            yield from (v for v in value if isinstance(v, str))


def _outside_hours(cond: OutsideHours) -> Predicate:
    zone = ZoneInfo(cond.tz)

    def check(event: SecurityEvent) -> bool:
        local = event.timestamp.astimezone(zone)
        inside = local.weekday() in cond.days and cond.start <= local.time() < cond.end
        return not inside

    return check
