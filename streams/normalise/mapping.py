"""A producer mapping: how to recognise one producer's events and fill their ECS categorisation.

Conditions are small and Sigma-like: ``{field: value}`` or ``{field: [any, of, these]}``, compared as
case-insensitive text (a list field matches when one item does), with the modifiers ``|contains``,
``|startswith``, ``|re`` (a regular expression, searched), ``|exists`` (true/false) and ``|public_policy``
(true/false: the field holds an S3 bucket policy that grants everyone access, ``streams.normalise.aws_policy``;
false also when it cannot be read). Every field of a
condition must hold. In a rule, the field ``$key`` stands for each of the mapping's ``keys`` fields.
The file format is documented in ``streams/normalise/producers/README.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from streams.normalise import aws_policy
from streams.normalise.ecs import ALLOWED, LISTS, ORIGINAL, allowed_in, valid

CATEGORISATION = ("kind", "category", "type", "outcome")
MODIFIERS = frozenset({"", "contains", "startswith", "re", "exists", "public_policy"})


FIELD_REF = re.compile(r"\{([A-Za-z0-9_@.-]+)\}")  # a field named in a ``set`` value


def _template(value: Any, event: Mapping[str, Any]) -> Any:
    """A ``set`` value with each ``{field}`` replaced by the event's text of it; None when one is missing."""
    if not isinstance(value, str) or "{" not in value:
        return value
    missing = False

    def text(match: re.Match[str]) -> str:
        nonlocal missing
        found = event.get(match.group(1))
        if found in (None, "") or isinstance(found, dict | list):
            missing = True
            return ""
        return str(found)

    filled = FIELD_REF.sub(text, value)
    return None if missing else filled


class MappingError(ValueError):
    """A mapping file does not follow the format; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Test:
    """One field test of a condition."""

    field: str
    modifier: str
    values: tuple[Any, ...]

    def holds(self, event: Mapping[str, Any]) -> bool:
        value = event.get(self.field)
        if self.modifier == "exists":
            return (value not in (None, "", [])) is bool(self.values[0])
        if self.modifier == "public_policy":
            return (aws_policy.public(value) is True) is bool(self.values[0])
        if value is None:
            return False
        items = value if isinstance(value, list) else [value]
        texts = [str(item).lower() for item in items if item is not None and not isinstance(item, dict)]
        return any(self._one(text) for text in texts)

    def _one(self, text: str) -> bool:
        if self.modifier == "contains":
            return any(v in text for v in self.values)
        if self.modifier == "startswith":
            return any(text.startswith(v) for v in self.values)
        if self.modifier == "re":
            return any(v.search(text) for v in self.values)
        return text in self.values


@dataclass(frozen=True, slots=True)
class Condition:
    tests: tuple[Test, ...]

    def holds(self, event: Mapping[str, Any]) -> bool:
        for test in self.tests:
            if not test.holds(event):
                return False
        return True


@dataclass(frozen=True, slots=True)
class Fill:
    """What an entry gives: categorisation (filled when missing or not ECS), list items to add, categorisation
    to ``replace`` even when the producer set it (its value kept in ``datalek.original``), and other fields
    to set when absent (e.g. ``datalek.exposure: public``)."""

    categorisation: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    replace: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    add: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    set: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def apply(self, event: dict[str, Any], notes: list[str]) -> None:
        for name, value in self.replace.items():
            _replace(event, name, value)
        for name, value in self.categorisation.items():
            _fill(event, name, value, notes)
        for name, items in self.add.items():
            current = event.get(name) if isinstance(event.get(name), list) else []
            event[name] = [*current, *(item for item in items if item not in current)]
        for name, value in self.set.items():
            if name not in event and (value := _template(value, event)) is not None:
                event[name] = value

    @property
    def referenced(self) -> frozenset[str]:
        """The fields named in ``set`` templates (``"arn:aws:s3:::{requestParameters.bucketName}"``)."""
        return frozenset(m for v in self.set.values() if isinstance(v, str) for m in FIELD_REF.findall(v))


@dataclass(frozen=True, slots=True)
class Rule:
    """``then`` applies when any of the ``when`` conditions holds."""

    when: tuple[Condition, ...]
    then: Fill


@dataclass(frozen=True, slots=True)
class ProducerMapping:
    """One producer: ``match`` (any condition) recognises it; ``rules`` (all that hold) and the ``events``
    entry found by the first ``keys`` field whose value is listed fill the event, in that order."""

    name: str
    source: str
    match: tuple[Condition, ...]
    keys: tuple[str, ...] = ()
    events: Mapping[str, Fill] = field(default_factory=lambda: MappingProxyType({}))
    rules: tuple[Rule, ...] = ()
    outcome_fields: tuple[str, ...] = ()
    outcome_values: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    order: int = 50

    def recognises(self, event: Mapping[str, Any]) -> bool:
        if not self.match:
            return True
        for condition in self.match:
            if condition.holds(event):
                return True
        return False

    @property
    def match_fields(self) -> frozenset[str]:
        """The fields recognition depends on (so it can be cached by their values)."""
        return frozenset(test.field for condition in self.match for test in condition.tests)

    @property
    def fields_read(self) -> frozenset[str]:
        """Every field ``translate_outcome`` and ``apply`` read or write, besides the categorisation."""
        tests = (t.field for rule in self.rules for c in rule.when for t in c.tests)
        fills = (*self.events.values(), *(r.then for r in self.rules))
        targets = (name for fill in fills for name in (*fill.set, *fill.referenced))
        return frozenset((*self.keys, *self.outcome_fields, *tests, *targets))

    def translate_outcome(self, event: dict[str, Any]) -> None:
        """The producer's own outcome words (e.g. Okta's DENY) to ECS, from the first field present."""
        for name in self.outcome_fields:
            value = event.get(name)
            if isinstance(value, list):
                value = value[0] if len(value) == 1 else None
            if value in (None, ""):
                continue
            ecs = self.outcome_values.get(str(value).lower())
            if ecs and (name == "event.outcome" or event.get("event.outcome") in (None, "")):
                event["event.outcome"] = ecs
            return

    def apply(self, event: dict[str, Any], notes: list[str]) -> bool:
        """Fill ``event`` in place; True when a rule or an events entry applied."""
        fills = [rule.then for rule in self.rules if any(c.holds(event) for c in rule.when)]
        entry = self._entry(event)
        fills += [entry] if entry else []
        for fill in fills:
            fill.apply(event, notes)
        return bool(fills)

    def _entry(self, event: Mapping[str, Any]) -> Fill | None:
        for key in self.keys:
            value = event.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool):
                found = self.events.get(str(value).lower())
                if found is not None:
                    return found
        return None


def _fill(event: dict[str, Any], short: str, value: Any, notes: list[str]) -> None:
    """Set ``event.<short>`` unless the producer gave a valid value; an invalid one goes to datalek.original."""
    name = f"event.{short}"
    current = event.get(name)
    if current in (None, "", []):
        event[name] = list(value) if name in LISTS else value
    elif not valid(name, current):
        event.setdefault(f"{ORIGINAL}{short}", current)
        event[name] = list(value) if name in LISTS else value
        notes.append(f"{name}: {current!r} is not ECS; set to {event[name]!r} by the producer mapping "
                     f"(kept as {ORIGINAL}{short})")


def _replace(event: dict[str, Any], short: str, value: Any) -> None:
    name = f"event.{short}"
    current = event.get(name)
    if current not in (None, "", []) and current != value:
        event.setdefault(f"{ORIGINAL}{short}", current)
    event[name] = value


def allowed_value(short: str, value: Any) -> bool:
    """Whether a mapping file's categorisation value is ECS (mapping files must not invent values)."""
    name = f"event.{short}"
    if name == "event.outcome":
        return valid(name, value)
    if name in LISTS:
        items = value if isinstance(value, list) else [value]
        return bool(items) and all(allowed_in(item, ALLOWED[name]) for item in items)
    return allowed_in(value, ALLOWED[name])


def test(key: str, value: Any) -> Test:
    """One ``field|modifier: value(s)`` item of a condition, compiled."""
    name, _, modifier = key.partition("|")
    if modifier not in MODIFIERS:
        raise MappingError(f"unknown modifier {modifier!r} in {key!r}")
    raw = value if isinstance(value, list) else [value]
    if modifier in ("exists", "public_policy"):
        return Test(name, modifier, (bool(raw[0]),))
    if modifier == "re":
        return Test(name, modifier, tuple(re.compile(str(v), re.IGNORECASE) for v in raw))
    return Test(name, modifier, tuple(str(v).lower() for v in raw))
