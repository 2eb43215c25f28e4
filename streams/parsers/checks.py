"""The rules an event from a parser must satisfy (datalek event schema v1), as a pure check."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from streams.parsers.base import SCHEMA_VERSION

# ECS 8 allowed values; datalek uses a subset of the categories but accepts every ECS one.
CATEGORIES = frozenset({
    "api", "authentication", "configuration", "database", "driver", "email", "file", "host", "iam",
    "intrusion_detection", "library", "malware", "network", "package", "process", "registry", "session",
    "threat", "vulnerability", "web",
})
KINDS = frozenset({"alert", "asset", "enrichment", "event", "metric", "state", "pipeline_error", "signal"})
OUTCOMES = frozenset({"success", "failure", "unknown"})
INTEGER_FIELDS = ("source.port", "destination.port", "http.response.status_code", "http.response.bytes",
                  "datalek.records")


def problems(event: Mapping[str, Any]) -> list[str]:
    """Every way ``event`` breaks the schema, as short reasons naming the field; empty when valid."""
    found = [*_required(event), *_categories(event.get("event.category"))]
    if event.get("event.kind", "event") not in KINDS:
        found.append("event.kind: not an ECS kind")
    if event.get("event.outcome", "unknown") not in OUTCOMES:
        found.append("event.outcome: not one of success, failure, unknown")
    found += [f"{name}: expected an integer" for name in INTEGER_FIELDS
              if name in event and (isinstance(event[name], bool) or not isinstance(event[name], int))]
    found += [f"{name}: empty value" for name, value in event.items() if value in (None, "", [])]
    return found


def _required(event: Mapping[str, Any]) -> list[str]:
    found = []
    if event.get("datalek.schema") != SCHEMA_VERSION:
        found.append(f"datalek.schema: must be {SCHEMA_VERSION}")
    if not isinstance(event.get("event.action"), str) or not event["event.action"]:
        found.append("event.action: required text")
    stamp = event.get("@timestamp")
    if not isinstance(stamp, str) or not _aware_iso(stamp):
        found.append("@timestamp: required ISO 8601 text with a UTC offset")
    return found


def _categories(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        return ["event.category: required non-empty list"]
    return [f"event.category: {item!r} is not an ECS category" for item in value if item not in CATEGORIES]


def _aware_iso(text: str) -> bool:
    try:
        return datetime.fromisoformat(text).utcoffset() is not None
    except ValueError:
        return False
