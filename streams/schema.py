"""The event schema at the edge: decode Kafka messages, validate, and build core SecurityEvents.

Wire format (datalek event schema v1): a JSON object with ECS-style fields, nested (``{"event":
{"action": ...}}``) or dotted (``{"event.action": ...}``). A message holds one event, or an envelope
``{"events": [...]}`` of many (cheaper per event on Kafka). Only ``@timestamp`` is required; every event
is normalised (``streams.normalise``) here too, because other producers write straight to the topic.
Control and bidi characters are removed from its text values here (``incidents.text.strip_controls``), once,
so no display downstream meets them; a producer's message on the topic and a dead letter's payload keep them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from incidents.errors import InvalidEvent
from incidents.security_event import SCHEMA_VERSION, Outcome, SecurityEvent
from incidents.text import strip_controls
from streams import jsontext
from streams.normalise import Normalised, default_normaliser

# What is required of an event (README "Event schema (v1)"): a usable @timestamp, nothing else. The rest
# is normalised (streams.normalise): categorisation filled per producer, values outside ECS kept and noted.
REQUIRED = ("@timestamp",)
OUTCOMES = frozenset(o.value for o in Outcome)
Normalise = Callable[[Mapping[str, Any]], Normalised]


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


def to_event(raw: Any, *, normaliser: Normalise | None = None, normalised: bool = False) -> SecurityEvent:
    """Normalise and validate one decoded event; raise InvalidEvent naming the field and the problem, never
    the value (the reason goes to logs and dead-letter records; the payload stays in the record only).

    Idempotent with the parsers' normalisation: events of ``datalek ingest`` pass the same mappings twice.
    ``normalised``: flat fields this worker normalised before (the route stage's copies, ``streams.route``):
    not flattened, checked or mapped again.
    """
    if not isinstance(raw, Mapping):
        raise InvalidEvent(f"event must be a JSON object, got {type(raw).__name__}")
    if normalised:
        flat = fields = dict(raw)
    else:
        flat = flatten(raw)
        _check_version(flat)
        fields = (normaliser or default_normaliser())(_displayable(flat)).event
    timestamp = _timestamp(fields.get("@timestamp"))
    outcome = fields.get("event.outcome")
    return SecurityEvent(
        id=_plain(fields.get("event.id")) or event_id(flat),
        timestamp=timestamp,
        categories=_categories(fields.get("event.category")),
        action=_plain(fields.get("event.action")) or "",
        outcome=Outcome(outcome) if isinstance(outcome, str) and outcome in OUTCOMES else Outcome.UNKNOWN,
        user=_plain(fields.get("user.name")),
        source_ip=_plain(fields.get("source.ip")),
        host=_plain(fields.get("host.name")),
        asset=_plain(fields.get("datalek.asset")),
        fields=MappingProxyType(fields),
    )


def _check_version(fields: Mapping[str, Any]) -> None:
    version = fields.get("datalek.schema", SCHEMA_VERSION)
    if str(version) != str(SCHEMA_VERSION):
        raise InvalidEvent(f"datalek.schema: unsupported version (supported: {SCHEMA_VERSION})")


def _displayable(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Text values, and text in lists (what rules group by and name as affected), without control or bidi
    characters. Field names stay as they are: rules and displays name the fields they use."""
    return {name: _stripped(value) for name, value in fields.items()}


def _stripped(value: Any) -> Any:
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list):
        return [strip_controls(item) if isinstance(item, str) else item for item in value]
    return value


def _plain(value: Any) -> str | None:
    """A plain value as text for the core's typed attributes; other shapes stay in ``fields`` only."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _categories(value: Any) -> frozenset[str]:
    items = value if isinstance(value, list) else [value]
    return frozenset(item for item in items if isinstance(item, str) and item)


def _timestamp(value: Any) -> datetime:
    if value in (None, ""):
        raise InvalidEvent("@timestamp: required field is missing")
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / 1000 if abs(value) >= 1e11 else value, UTC)
        except (OverflowError, OSError, ValueError) as e:
            raise InvalidEvent("@timestamp: the epoch number is out of range") from e
    if not isinstance(value, str):
        raise InvalidEvent(f"@timestamp: expected ISO 8601 text or an epoch number, got {type(value).__name__}")
    try:
        ts = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as e:
        raise InvalidEvent("@timestamp: the text is not ISO 8601") from e
    if ts.tzinfo is None:
        raise InvalidEvent("@timestamp: the time has no UTC offset")
    return ts


def decode(value: bytes | None, *, normaliser: Normalise | None = None,
           normalised: bool = False) -> Iterator[SecurityEvent | Rejected]:
    """Decode one Kafka message into events and rejections (bad JSON rejects the whole message)."""
    try:
        data = jsontext.loads(value or b"")  # strict UTF-8, no lone surrogates (streams.jsontext)
    except RecursionError:  # deeply nested arrays or objects: the decoder's recursion limit
        yield Rejected("message is nested too deeply to decode", -1, _text(value))
        return
    except UnicodeDecodeError as e:
        yield Rejected(f"message is not valid JSON: not UTF-8 text (invalid byte at offset {e.start})", -1,
                       _text(value))
        return
    except ValueError as e:  # JSONDecodeError.msg says what was expected, never what was found
        detail = f"{e.msg.removesuffix(' at')} at offset {e.pos}" if isinstance(e, json.JSONDecodeError) \
            else "undecodable text"  # "Unterminated string starting at" would read "... at at offset"
        yield Rejected(f"message is not valid JSON: {detail}", -1, _text(value))
        return
    items = data["events"] if isinstance(data, dict) and isinstance(data.get("events"), list) else [data]
    for index, item in enumerate(items):
        try:
            yield to_event(item, normaliser=normaliser, normalised=normalised)
        except InvalidEvent as e:
            yield Rejected(str(e), index, item)
        except RecursionError:  # decoded, but too deep to flatten: the payload is the message text
            yield Rejected("event is nested too deeply to read", index, _text(value))


def _text(value: bytes | None) -> str:
    return (value or b"").decode("utf-8", errors="replace")


def encode_envelope(events: list[Mapping[str, Any]]) -> bytes:
    return json.dumps({"events": events}, separators=(",", ":")).encode()
