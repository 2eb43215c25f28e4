"""The event schema at the edge: decode Kafka messages, validate, and build core SecurityEvents.

Wire format (datalek event schema v1): a JSON object with ECS-style fields, nested (``{"event":
{"action": ...}}``) or dotted (``{"event.action": ...}``). A message holds one event, or an envelope
``{"events": [...]}`` of many (cheaper per event on Kafka).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from incidents.errors import InvalidEvent
from incidents.security_event import SCHEMA_VERSION, Outcome, SecurityEvent

REQUIRED = ("@timestamp", "event.category", "event.action")
OUTCOMES = frozenset(o.value for o in Outcome)
STRING_FIELDS = ("event.id", "event.action", "user.name", "source.ip", "host.name", "datalek.asset",
                 "event.dataset", "event.kind")


@dataclass(frozen=True, slots=True)
class Rejected:
    """An event that failed validation, with the reason and its place in the message."""

    reason: str
    index: int
    payload: Any


def flatten(obj: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested ECS objects to dotted keys; ``@timestamp`` and dotted keys pass through."""
    flat: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def event_id(fields: Mapping[str, Any]) -> str:
    """A stable id for events that carry none: the hash of their canonical JSON."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def to_event(raw: Any) -> SecurityEvent:
    """Validate one decoded event; raise InvalidEvent naming the field."""
    if not isinstance(raw, Mapping):
        raise InvalidEvent(f"event must be a JSON object, got {type(raw).__name__}")
    fields = flatten(raw)
    _check_fields(fields)
    categories = fields["event.category"]
    outcome = fields.get("event.outcome", "unknown")
    return SecurityEvent(
        id=str(fields.get("event.id") or event_id(fields)),
        timestamp=_timestamp(fields["@timestamp"]),
        categories=frozenset([categories] if isinstance(categories, str) else categories),
        action=fields["event.action"],
        outcome=Outcome(outcome),
        user=fields.get("user.name"),
        source_ip=fields.get("source.ip"),
        host=fields.get("host.name"),
        asset=fields.get("datalek.asset"),
        fields=MappingProxyType(fields),
    )


def _check_fields(fields: Mapping[str, Any]) -> None:
    version = fields.get("datalek.schema", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise InvalidEvent(f"datalek.schema: unsupported version {version!r} (supported: {SCHEMA_VERSION})")
    for name in REQUIRED:
        if fields.get(name) in (None, "", []):
            raise InvalidEvent(f"{name}: required field is missing")
    for name in STRING_FIELDS:
        if name in fields and not isinstance(fields[name], str):
            raise InvalidEvent(f"{name}: expected a string, got {type(fields[name]).__name__}")
    categories = fields["event.category"]
    if not isinstance(categories, str) and not (
            isinstance(categories, list) and all(isinstance(c, str) for c in categories)):
        raise InvalidEvent("event.category: expected a string or a list of strings")
    outcome = fields.get("event.outcome", "unknown")
    if outcome not in OUTCOMES:
        raise InvalidEvent(f"event.outcome: {outcome!r} is not one of success, failure, unknown")


def _timestamp(value: Any) -> datetime:
    if not isinstance(value, str):
        raise InvalidEvent(f"@timestamp: expected an ISO 8601 string, got {type(value).__name__}")
    try:
        ts = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        raise InvalidEvent(f"@timestamp: {value!r} is not ISO 8601") from e
    if ts.tzinfo is None:
        raise InvalidEvent(f"@timestamp: {value!r} has no UTC offset")
    return ts


def decode(value: bytes | None) -> Iterator[SecurityEvent | Rejected]:
    """Decode one Kafka message into events and rejections (bad JSON rejects the whole message)."""
    try:
        data = json.loads(value or b"")
    except RecursionError:  # deeply nested arrays or objects: the decoder's recursion limit
        yield Rejected("message is nested too deeply to decode", -1, _text(value))
        return
    except (ValueError, UnicodeDecodeError) as e:
        yield Rejected(f"message is not valid JSON: {e}", -1, _text(value))
        return
    items = data["events"] if isinstance(data, dict) and isinstance(data.get("events"), list) else [data]
    for index, item in enumerate(items):
        try:
            yield to_event(item)
        except InvalidEvent as e:
            yield Rejected(str(e), index, item)
        except RecursionError:  # decoded, but too deep to flatten: the payload is the message text
            yield Rejected("event is nested too deeply to read", index, _text(value))


def _text(value: bytes | None) -> str:
    return (value or b"").decode("utf-8", errors="replace")


def encode_envelope(events: list[Mapping[str, Any]]) -> bytes:
    return json.dumps({"events": events}, separators=(",", ":")).encode()
