"""JSON events already in ECS form (Filebeat/Elastic Agent output, our own scenarios), nested or dotted.

Nested objects are flattened to dotted keys; a single category string becomes a list; numeric text in
integer fields becomes a number; ``@timestamp`` is normalised to UTC. A record that still breaks the
schema (see ``checks``) is rejected with every problem found. An envelope {"events": [...]} is unwrapped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from streams.parsers.base import SCHEMA_VERSION, ParseContext, ParseResult, Unparseable, iso_utc, parse_time
from streams.parsers.checks import INTEGER_FIELDS, problems
from streams.parsers.jsondocs import flatten, parse_records


def parse(lines: Iterable[str], *, context: ParseContext) -> Iterator[ParseResult]:
    """Validated, flattened ECS events; Rejected with the reasons for records that are not."""
    return parse_records(lines, context=context, mapper=to_event, envelopes=("events",))


def to_event(record: Mapping[str, Any], context: ParseContext) -> dict[str, Any]:
    event = {key: value for key, value in flatten(record).items() if value not in (None, "", [], {})}
    if event.setdefault("datalek.schema", SCHEMA_VERSION) != SCHEMA_VERSION:
        raise Unparseable("datalek.schema: unsupported version")
    if isinstance(event.get("event.category"), str):
        event["event.category"] = [event["event.category"]]
    event |= {name: int(event[name]) for name in INTEGER_FIELDS
              if isinstance(event.get(name), str) and event[name].isdigit()}
    if "@timestamp" in event:
        event["@timestamp"] = _timestamp(event["@timestamp"], context)
    found = problems(event)
    if found:
        raise Unparseable("; ".join(found))
    return event


def _timestamp(value: Any, context: ParseContext) -> Any:
    try:
        return iso_utc(parse_time(value, tz=context.tz))
    except (ValueError, OverflowError, OSError):
        return value  # left as is: the schema check names the field
