"""JSON events already in ECS form (Filebeat/Elastic Agent output, other tools, our own scenarios), nested
or dotted.

Lenient by design (what real producers send is accepted): nested objects are flattened to dotted keys,
``@timestamp`` (ISO 8601, or epoch seconds/milliseconds) is normalised to UTC, and the producer mapping
(``streams.normalise``) fills missing ECS categorisation, lower-cases it, turns numeric ids into text and
reports values outside ECS as notes on the Parsed result. Only a record without a usable ``@timestamp``,
with an unsupported ``datalek.schema``, or with nested and dotted forms of one field disagreeing is
rejected. An envelope {"events": [...]} is unwrapped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from streams.parsers.base import SCHEMA_VERSION, ParseContext, ParseResult, Unparseable, iso_utc, parse_time
from streams.parsers.jsondocs import flatten, parse_records


def parse(lines: Iterable[str], *, context: ParseContext) -> Iterator[ParseResult]:
    """Flattened, normalised ECS events; Rejected with the reason for records that cannot be events."""
    return parse_records(lines, context=context, mapper=to_event, envelopes=("events",))


def to_event(record: Mapping[str, Any], context: ParseContext) -> dict[str, Any]:
    event = {key: value for key, value in flatten(record).items() if value not in (None, "", [], {})}
    version = event.setdefault("datalek.schema", SCHEMA_VERSION)
    if str(version) != str(SCHEMA_VERSION):
        raise Unparseable("datalek.schema: unsupported version")
    event["datalek.schema"] = SCHEMA_VERSION
    event["@timestamp"] = _timestamp(event.get("@timestamp"), context)
    return event


def _timestamp(value: Any, context: ParseContext) -> str:
    try:
        return iso_utc(parse_time(value, tz=context.tz))
    except (ValueError, OverflowError, OSError) as e:
        raise Unparseable("@timestamp: required ISO 8601 text or epoch number") from e
