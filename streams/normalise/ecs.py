"""ECS allowed values for the categorisation fields (ECS 8.x) and the lenient, producer-independent fixes.

The fixes accept what real producers send instead of rejecting it: ``host.hostname`` stands in for a
missing ``host.name``, numeric ids become text, categorisation values are lower-cased, and a value that
is not an ECS allowed value is kept and reported as a note (an outcome moves to ``datalek.original``).
"""

from __future__ import annotations

from typing import Any

KINDS = frozenset({"alert", "asset", "enrichment", "event", "metric", "state", "pipeline_error", "signal"})
CATEGORIES = frozenset({
    "api", "authentication", "configuration", "database", "driver", "email", "file", "host", "iam",
    "intrusion_detection", "library", "malware", "network", "package", "process", "registry", "session",
    "threat", "vulnerability", "web",
})
TYPES = frozenset({
    "access", "admin", "allowed", "change", "connection", "creation", "deletion", "denied", "device", "end",
    "error", "group", "indicator", "info", "installation", "protocol", "start", "user",
})
OUTCOMES = frozenset({"success", "failure", "unknown"})
ALLOWED = {"event.kind": KINDS, "event.category": CATEGORIES, "event.type": TYPES}
LISTS = ("event.category", "event.type")
# Text in ECS (keyword) that producers send as numbers: Windows event.code 4625, numeric ids and user names.
TEXT_FIELDS = ("event.id", "event.code", "event.action", "event.dataset", "event.module", "event.provider",
               "user.name", "user.id", "host.name", "source.ip", "datalek.asset", "winlog.channel")
INTEGER_FIELDS = ("source.port", "destination.port", "http.response.status_code", "http.response.bytes",
                  "datalek.records")
ORIGINAL = "datalek.original."
_LOWER = frozenset({"event.kind", "event.outcome"})
_TIDIED = frozenset({*TEXT_FIELDS, *LISTS, *_LOWER, *INTEGER_FIELDS})


def tidy(event: dict[str, Any], notes: list[str]) -> None:
    """Producer-independent fixes, in place; what is kept but not valid is appended to ``notes``."""
    if not event.get("host.name") and isinstance(event.get("host.hostname"), str | int):
        event["host.name"] = str(event["host.hostname"])
    for name in event.keys() & _TIDIED:  # set intersection: events carry few of these fields
        value = event[name]
        if name in LISTS:
            if not _tidy_list(value):
                event[name] = _lower_list(value)
        elif name in _LOWER:
            if value.__class__ is str:
                event[name] = value.strip().lower()
        elif name in INTEGER_FIELDS:
            if value.__class__ is not int:
                _integer(event, name, notes)
        elif value.__class__ in (int, float):  # not bool: its class is bool
            event[name] = str(value)


def check_outcome(event: dict[str, Any], notes: list[str]) -> None:
    """An outcome outside success|failure|unknown moves to datalek.original.outcome (event.outcome dropped)."""
    outcome = event.get("event.outcome")
    if outcome is None or allowed_in(outcome, OUTCOMES):
        return
    event.pop("event.outcome")
    event.setdefault(f"{ORIGINAL}outcome", outcome)
    notes.append(f"event.outcome: {outcome!r} is not an ECS outcome (kept as {ORIGINAL}outcome)")


def valid(name: str, value: Any) -> bool:
    """Whether a categorisation value is present and every part of it is an ECS allowed value."""
    if name == "event.outcome":
        return allowed_in(value, OUTCOMES)
    allowed = ALLOWED[name]
    if name in LISTS:
        return isinstance(value, list) and bool(value) and all(allowed_in(item, allowed) for item in value)
    return allowed_in(value, allowed)


def allowed_in(value: Any, allowed: frozenset[str]) -> bool:
    """Membership that never fails on the odd shapes producers send (objects, lists, numbers)."""
    return isinstance(value, str) and value in allowed


def report_invalid(event: dict[str, Any], notes: list[str]) -> None:
    """A note for each kind/category/type value outside the ECS allowed values (the value is kept)."""
    for name, allowed in ALLOWED.items():
        value = event.get(name)
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        notes += [f"{name}: {item!r} is not an ECS {name.split('.')[1]} (kept)" for item in items
                  if not allowed_in(item, allowed)]


def _tidy_list(value: Any) -> bool:
    """Whether a list is already lower-case, stripped, distinct text (the common case: leave it alone)."""
    return value.__class__ is list and all(
        item.__class__ is str and item and item == item.strip().lower() for item in value) and \
        len(set(value)) == len(value)


def _lower_list(value: Any) -> list[Any]:
    """A list of lower-cased, stripped, distinct values (a single value becomes a list of one)."""
    lowered: list[Any] = []
    for item in value if isinstance(value, list) else [value]:
        item = item.strip().lower() if isinstance(item, str) else item
        if item not in (None, "") and item not in lowered:
            lowered.append(item)
    return lowered


def _integer(event: dict[str, Any], name: str, notes: list[str]) -> None:
    value = event[name]
    if isinstance(value, int) and not isinstance(value, bool):
        return
    if isinstance(value, str) and value.strip().isdigit():
        event[name] = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        event[name] = int(value)
    else:
        event.pop(name)
        event.setdefault(f"{ORIGINAL}{name}", value)
        notes.append(f"{name}: {value!r} is not an integer (kept as {ORIGINAL}{name})")
