"""Kafka Connect-style raw topics: one topic per log format (`<prefix>.raw.<format>`), normalised by an
agent into the events topic. Producers that already write raw log lines to Kafka need no other change.

A raw message holds one or more log lines (UTF-8 text). Timestamps without a year are resolved against
the Kafka message's timestamp, so a replay of the topic resolves them the same way. Lines of programs a
format does not read (the ``syslog`` format's Skipped) are counted in ``SKIPPED`` per format and
program, never dead-lettered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import faust

from streams import schema
from streams.normalise import Normaliser
from streams.parsers import FORMATS, ParseContext, Parsed, Rejected, Skipped

DeadLetter = Callable[[Any, str, Any, int], Awaitable[None]]
SKIPPED: dict[str, Counter[str]] = {}  # per raw format: skipped lines per program, since the worker started


def raw_topic_names(topic: Callable[[str], str]) -> dict[str, str]:
    """Format name -> raw topic name."""
    return {fmt: topic(f"raw.{fmt}") for fmt in FORMATS}


def add_raw_agents(app: faust.App, *, raw_topics: dict[str, str], events_topic: str,
                   dead_letter: DeadLetter, normaliser: Normaliser | None = None) -> None:
    """One agent per format: parse each raw message, send its events as one envelope."""
    events = app.topic(events_topic, key_serializer="raw", value_serializer="raw")
    for fmt, name in raw_topics.items():
        source = app.topic(name, key_serializer="raw", value_serializer="raw")
        app.agent(source, name=f"normalise-{fmt}")(_normaliser(fmt, events, dead_letter, normaliser))


def _normaliser(fmt: str, events: Any, dead_letter: DeadLetter,
                mappings: Normaliser | None) -> Callable[[Any], Awaitable[None]]:
    parse = FORMATS[fmt]
    skipped = SKIPPED.setdefault(fmt, Counter())

    async def normalise(stream: Any) -> None:
        async for event in stream.events():
            message = event.message
            sent_at = datetime.fromtimestamp(message.timestamp, UTC) if message.timestamp else None
            context = ParseContext(source=f"{message.topic}:{message.partition}:{message.offset}",
                                   reference=sent_at, normaliser=mappings)
            text = (event.value or b"").decode("utf-8", errors="replace")
            batch: list[Mapping[str, Any]] = []
            rejected: list[Rejected] = []
            try:
                for result in parse(text.splitlines(keepends=True), context=context):
                    if isinstance(result, Rejected):
                        rejected.append(result)
                    elif isinstance(result, Skipped):  # another program's line: counted, never dead-lettered
                        skipped[result.program] += 1
                    elif isinstance(result, Parsed):
                        batch.append(dict(result.event))
            except Exception as e:  # one bad message costs one dead letter, never the agent
                reason = f"could not parse this message ({type(e).__name__})"
                batch, rejected = [], [Rejected(reason=reason, position=context.source, raw=text)]
            for result in rejected:
                await dead_letter(message, result.reason, result.raw, -1)
            if batch:
                key = batch[0].get("datalek.asset") or batch[0].get("host.name")
                await events.send(key=str(key).encode() if key else None,
                                  value=schema.encode_envelope(batch))

    normalise.__name__ = f"normalise_{fmt}"
    return normalise
