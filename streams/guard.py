"""Per-message guards of the detection agent: whatever one Kafka message holds, it costs at most its own
dead letters; the other messages of the batch are still run and their events still counted."""

from __future__ import annotations

import logging
from collections.abc import Callable, MutableMapping
from typing import Any

from incidents.detection import Detection
from incidents.rules import Engine
from incidents.security_event import SecurityEvent
from streams.schema import Normalise, Rejected, decode

log = logging.getLogger(__name__)


def read_message(value: bytes | None, *, limit: int, normaliser: Normalise | None = None,
                 normalised: bool = False) -> tuple[list[SecurityEvent], list[Rejected]]:
    """The valid events of one message and its rejections. A message over ``limit`` bytes is rejected unread
    (its dead letter keeps a cut copy and the size); nothing here raises. ``normalised``: see ``schema.to_event``."""
    size = len(value or b"")
    if size > limit:
        return [], [Rejected(f"message of {size} bytes is over the limit of {limit} bytes", -1, _text(value))]
    valid: list[SecurityEvent] = []
    rejected: list[Rejected] = []
    try:
        for item in decode(value, normaliser=normaliser, normalised=normalised):
            (rejected if isinstance(item, Rejected) else valid).append(item)  # type: ignore[arg-type]
    except (MemoryError, RecursionError) as e:  # decode catches what it knows; never lose the batch to more
        return [], [Rejected(f"message could not be decoded ({type(e).__name__})", -1, _text(value))]
    return valid, rejected


def detect(engine: Engine, state: MutableMapping[str, Any], events: list[SecurityEvent], *,
           holds: Callable[[str], bool] | None = None) -> list[Detection] | Rejected:
    """The detections of one message's events, or a rejection when the rules fail on them (a bug, or input
    the schema let through): logged with the error type only, never the event's values."""
    try:
        return list(engine.detect(state, events, holds=holds))
    except Exception as e:
        log.error("rules failed on a message of %d events (%s)", len(events), type(e).__name__)
        return Rejected(f"rules failed on this message ({type(e).__name__})", -1,
                        [dict(event.fields) for event in events])


def _text(value: bytes | None) -> str:
    return (value or b"").decode("utf-8", errors="replace")
