"""What an event from one of datalek's own parsers must look like (datalek event schema v1), as a pure
check for tests: stricter than what the ``ecs`` format accepts from other producers (see the README's
"Event schema (v1)"), because our parsers control their output.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from streams.normalise.ecs import CATEGORIES, INTEGER_FIELDS, KINDS, OUTCOMES, TYPES
from streams.parsers.base import SCHEMA_VERSION

__all__ = ["CATEGORIES", "INTEGER_FIELDS", "KINDS", "OUTCOMES", "TYPES", "problems"]


def problems(event: Mapping[str, Any]) -> list[str]:
    """Every way ``event`` breaks the schema, as short reasons naming the field; empty when valid."""
    found = [*_required(event), *_listed(event, "event.category", CATEGORIES),
             *_listed(event, "event.type", TYPES)]
    if event.get("event.kind", "event") not in KINDS:
        found.append("event.kind: not an ECS kind")
    if event.get("event.outcome", "unknown") not in OUTCOMES:
        found.append("event.outcome: not one of success, failure, unknown")
    if "event.action" in event and not isinstance(event["event.action"], str):
        found.append("event.action: expected text")
    found += [f"{name}: expected an integer" for name in INTEGER_FIELDS
              if name in event and (isinstance(event[name], bool) or not isinstance(event[name], int))]
    found += [f"{name}: empty value" for name, value in event.items() if value in (None, "", [])]
    return found


def _required(event: Mapping[str, Any]) -> list[str]:
    found = []
    if event.get("datalek.schema") != SCHEMA_VERSION:
        found.append(f"datalek.schema: must be {SCHEMA_VERSION}")
    stamp = event.get("@timestamp")
    if not isinstance(stamp, str) or not _aware_iso(stamp):
        found.append("@timestamp: required ISO 8601 text with a UTC offset")
    return found


def _listed(event: Mapping[str, Any], name: str, allowed: frozenset[str]) -> list[str]:
    if name not in event:
        return []
    value = event[name]
    if not isinstance(value, list) or not value:
        return [f"{name}: expected a non-empty list"]
    return [f"{name}: {item!r} is not an ECS {name.split('.')[1]}" for item in value if item not in allowed]


def _aware_iso(text: str) -> bool:
    try:
        return datetime.fromisoformat(text).utcoffset() is not None
    except ValueError:
        return False
