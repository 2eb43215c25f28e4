"""What every parser shares: the context, the three result types, stable ids, timestamps, event finishing.

Parsers are pure: they read only the lines and the context given to them (no clock, no files, no
environment), so a replay of the same input with the same context yields the same events and ids.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Any, Protocol, TypeAlias

from streams.normalise import Normalised, default_normaliser

SCHEMA_VERSION = 1

Event: TypeAlias = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ParseContext:
    """Where the lines come from and how to read timestamps that lack a year or a zone.

    Year rule for classic syslog stamps ("Dec 10 06:55:46"): ``year`` when given; otherwise the year
    of ``reference`` (seen in ``tz``), minus one when the line's month is later than the reference
    month (a December line read in January is from last year). Without both, such lines are rejected:
    guessing from the clock would make replays differ. Stamps without a zone are read in ``tz``.
    ``normaliser`` fills ECS categorisation per producer (``streams.normalise``); None: the shipped mappings.
    ``max_repeats``: the most events one "message repeated N times" line becomes (the events carry N).
    """

    source: str = "-"
    year: int | None = None
    reference: datetime | None = None
    tz: tzinfo = UTC
    host: str | None = None
    asset: str | None = None
    first_line: int = 1
    normaliser: Callable[[Mapping[str, Any]], Normalised] | None = None
    max_repeats: int = 100  # above every count threshold of the shipped rules (at most 20)

    def __post_init__(self) -> None:
        if self.reference is not None and self.reference.utcoffset() is None:
            raise ValueError("ParseContext.reference must be timezone-aware")

    def position(self, number: int) -> str:
        return f"{self.source}:{number}"

    def normalise(self, event: Mapping[str, Any]) -> Normalised:
        return (self.normaliser or default_normaliser())(event)


@dataclass(frozen=True, slots=True)
class Parsed:
    """One event in the datalek event schema v1 (a flat dict with dotted ECS keys; treat as read-only).
    ``notes``: values kept although they are not ECS (e.g. an outcome "deny"), as short reasons."""

    event: Event
    position: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rejected:
    """Input that is not an event: the reason (never personal data), where it was, and the raw text."""

    reason: str
    position: str
    raw: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A well-formed line that this format does not read (e.g. a cron line in a syslog file): not an
    event and not bad input, so it is counted per ``program`` and never dead-lettered."""

    program: str
    position: str


ParseResult: TypeAlias = Parsed | Rejected | Skipped


class Parser(Protocol):
    def __call__(self, lines: Iterable[str], *, context: ParseContext) -> Iterator[ParseResult]: ...


class Unparseable(Exception):
    """A record cannot be mapped to the schema; the message is the reason and holds no personal data."""


def numbered(lines: Iterable[str], context: ParseContext) -> Iterator[tuple[int, str]]:
    """Non-blank lines without their line ending, numbered from ``context.first_line``."""
    for number, line in enumerate(lines, context.first_line):
        text = line.rstrip("\r\n")
        if text.strip():
            yield number, text


def stable_id(position: str, raw: str, index: int = 0) -> str:
    """A deterministic event id for sources without one: re-reading the same input gives the same id."""
    digest = hashlib.sha256(f"{position}\x1f{index}\x1f{raw}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def iso_utc(moment: datetime) -> str:
    """The schema's ``@timestamp``: ISO 8601 in UTC with an explicit offset."""
    return moment.astimezone(UTC).isoformat()


def parse_time(value: Any, *, tz: tzinfo = UTC) -> datetime:
    """An aware datetime from ISO 8601 text or epoch seconds/milliseconds; naive text is read in ``tz``."""
    if isinstance(value, bool):
        raise ValueError("boolean is not a timestamp")
    if isinstance(value, int | float):
        seconds = value / 1000 if abs(value) >= 1e11 else value
        return datetime.fromtimestamp(seconds, UTC)
    if not isinstance(value, str) or not value:
        raise ValueError("timestamp is not text")
    moment = datetime.fromisoformat(value.strip())
    return moment if moment.utcoffset() is not None else moment.replace(tzinfo=tz)


def syslog_year(month: int, context: ParseContext) -> int | None:
    """The year for a year-less syslog stamp by the rule documented on ParseContext."""
    if context.year is not None:
        return context.year
    if context.reference is None:
        return None
    reference = context.reference.astimezone(context.tz)
    return reference.year - 1 if month > reference.month else reference.year


def address_fields(address: str | None, prefix: str = "source") -> dict[str, Any]:
    """``source.ip`` for an IP address (brackets and ``:port`` removed), ``source.domain`` otherwise."""
    if not address or address == "-":
        return {}
    text, port = _split_port(address.strip())
    ip = _canonical_ip(text)
    if ip is None:
        return {f"{prefix}.domain": text}
    return {f"{prefix}.ip": ip, f"{prefix}.port": port}


@lru_cache(maxsize=65536)  # attackers and users repeat their addresses; parsing them is the costly part
def _canonical_ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def _split_port(text: str) -> tuple[str, int | None]:
    if text.startswith("[") and "]" in text:
        host, _, rest = text[1:].partition("]")
        return host, int(rest[1:]) if rest[1:].isdigit() else None
    host, sep, port = text.rpartition(":")
    if sep and host.count(":") == 0 and port.isdigit():
        return host, int(port)
    return text, None


def parsed(event: Mapping[str, Any], *, context: ParseContext, position: str, raw: str, index: int = 0) -> Parsed:
    """A parser's event normalised (producer mapping) and finished, with the normaliser's notes."""
    result = context.normalise({key: value for key, value in event.items() if value not in (None, "", [], {})})
    return Parsed(finish(result.event, context=context, position=position, raw=raw, index=index), position,
                  result.notes)


def finish(event: Mapping[str, Any], *, context: ParseContext, position: str, raw: str,
           index: int = 0) -> Event:
    """Drop empty values, add the schema version, defaults from the context, an id and related.*."""
    done: Event = {key: value for key, value in event.items() if value not in (None, "", [], {})}
    done["datalek.schema"] = SCHEMA_VERSION
    done.setdefault("event.id", stable_id(position, raw, index))
    done.setdefault("event.kind", "event")
    if context.host and "host.name" not in done:
        done["host.name"] = context.host
    if context.asset and "datalek.asset" not in done:
        done["datalek.asset"] = context.asset
    return _with_related(done)


def _with_related(event: Event) -> Event:
    users = _distinct(event.get(name) for name in ("user.name", "user.target.name", "user.effective.name"))
    ips = _distinct(event.get(name) for name in ("source.ip", "destination.ip"))
    if users and "related.user" not in event:
        event["related.user"] = users
    if ips and "related.ip" not in event:
        event["related.ip"] = ips
    return event


def _distinct(values: Iterable[Any]) -> list[str]:
    return list(dict.fromkeys(str(value) for value in values if value))
