"""Kafka Connect-style raw topics: one topic per log format (`<prefix>.raw.<format>`), normalised by an
agent into the events topic. Producers that already write raw log lines to Kafka need no other change.

A raw message holds one or more log lines (UTF-8 text). Timestamps without a year are resolved against
the Kafka message's timestamp, so a replay of the topic resolves them the same way. Lines of programs a
format does not read (the ``syslog`` format's Skipped) are counted in ``SKIPPED`` per format and
program, never dead-lettered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import faust

from streams import schema
from streams.lines import DEFAULT_MAX_LINE_BYTES, parse_bytes
from streams.normalise import Normaliser
from streams.parsers import FORMATS, ParseContext, Parsed, ParseResult, Rejected, Skipped

DeadLetter = Callable[[Any, str, Any, int], Awaitable[None]]
RAW_MESSAGE_BYTES = 16 * 1024 * 1024  # above Kafka's default 1 MB: only a topic configured larger reaches it
SKIPPED: dict[str, Counter[str]] = {}  # per raw format: skipped lines per program, since the worker started


def raw_topic_names(topic: Callable[[str], str]) -> dict[str, str]:
    """Format name -> raw topic name."""
    return {fmt: topic(f"raw.{fmt}") for fmt in FORMATS}


@dataclass(frozen=True, slots=True)
class RawLimits:
    """Caps applied before parsing: a message over ``message_bytes`` is one dead letter with its size, a line
    over ``line_bytes`` (or not UTF-8) one dead letter naming its line; the rest of the message is still read."""

    message_bytes: int = RAW_MESSAGE_BYTES
    line_bytes: int = DEFAULT_MAX_LINE_BYTES


def add_raw_agents(app: faust.App, *, raw_topics: dict[str, str], events_topic: str,
                   dead_letter: DeadLetter, normaliser: Normaliser | None = None,
                   limits: RawLimits = RawLimits()) -> None:  # noqa: B008 (frozen, so one shared default is safe)
    """One agent per format: parse each raw message, send its events as one envelope."""
    events = app.topic(events_topic, key_serializer="raw", value_serializer="raw")
    for fmt, name in raw_topics.items():
        source = app.topic(name, key_serializer="raw", value_serializer="raw")
        app.agent(source, name=f"normalise-{fmt}")(_normaliser(fmt, events, dead_letter, normaliser, limits))


def read_raw(fmt: str, value: bytes | None, *, context: ParseContext,
             limits: RawLimits = RawLimits()) -> Iterator[ParseResult]:  # noqa: B008
    """The parse results of one raw message under ``limits`` (see RawLimits); raises only what the parser
    raises on a line within the caps."""
    data = value or b""
    if len(data) > limits.message_bytes:
        reason = f"message of {len(data):,} bytes is over the limit of {limits.message_bytes:,} bytes"
        yield Rejected(reason, context.source, data[: limits.line_bytes].decode("utf-8", errors="replace"))
        return
    yield from parse_bytes(FORMATS[fmt], data, context=context, max_bytes=limits.line_bytes)


def _normaliser(fmt: str, events: Any, dead_letter: DeadLetter,
                mappings: Normaliser | None, limits: RawLimits) -> Callable[[Any], Awaitable[None]]:
    skipped = SKIPPED.setdefault(fmt, Counter())

    async def normalise(stream: Any) -> None:
        async for event in stream.events():
            message = event.message
            sent_at = datetime.fromtimestamp(message.timestamp, UTC) if message.timestamp else None
            context = ParseContext(source=f"{message.topic}:{message.partition}:{message.offset}",
                                   reference=sent_at, normaliser=mappings)
            batch: list[Mapping[str, Any]] = []
            rejected: list[Rejected] = []
            try:
                for result in read_raw(fmt, event.value, context=context, limits=limits):
                    if isinstance(result, Rejected):
                        rejected.append(result)
                    elif isinstance(result, Skipped):  # another program's line: counted, never dead-lettered
                        skipped[result.program] += 1
                    elif isinstance(result, Parsed):
                        batch.append(dict(result.event))
            except Exception as e:  # one bad message costs one dead letter, never the agent
                reason = f"could not parse this message ({type(e).__name__})"
                text = (event.value or b"")[: limits.line_bytes].decode("utf-8", errors="replace")
                batch, rejected = [], [Rejected(reason=reason, position=context.source, raw=text)]
            for result in rejected:
                await dead_letter(message, result.reason, result.raw, -1)
            if batch:
                key = batch[0].get("datalek.asset") or batch[0].get("host.name")
                await events.send(key=str(key).encode() if key else None,
                                  value=schema.encode_envelope(batch))

    normalise.__name__ = f"normalise_{fmt}"
    return normalise
