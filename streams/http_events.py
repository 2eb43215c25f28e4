"""HTTP event ingestion (``POST /api/v1/events``): each event validated as the worker validates it
(``schema.to_event`` with the configured producer mappings), the accepted ones produced to the events topic in
envelopes keyed by asset, as ``datalek ingest`` does. Blocking (kafka-python): call it off the event loop.

Event values are never logged: a rejection's reason goes back to the sender only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaError

from incidents.errors import InvalidEvent
from streams import schema
from streams.ingest import asset_key

ENVELOPE_BYTES = 512 * 1024  # well below Kafka's default 1 MB message limit


class StreamUnavailable(Exception):
    """The events topic could not be written (no broker, or it did not acknowledge in time)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """One posted event: accepted with its id and the normalised event to produce, or rejected with a reason."""

    index: int
    event_id: str | None = None
    event: Mapping[str, Any] | None = None
    reason: str | None = None

    def answer(self) -> dict[str, Any]:
        if self.event is not None:
            return {"index": self.index, "accepted": True, "id": self.event_id}
        return {"index": self.index, "accepted": False, "reason": self.reason}


def judge(items: Sequence[Any], *, normaliser: schema.Normalise) -> list[Verdict]:
    """Validate each item; an accepted event keeps its id in ``event.id`` so a resent one is recognised."""
    verdicts = []
    for index, item in enumerate(items):
        try:
            event = schema.to_event(item, normaliser=normaliser)
        except InvalidEvent as e:
            verdicts.append(Verdict(index, reason=str(e)))
            continue
        except RecursionError:
            verdicts.append(Verdict(index, reason="event is nested too deeply to read"))
            continue
        fields = {**event.fields, "event.id": event.id}
        if len(schema.encode_envelope([fields])) > ENVELOPE_BYTES:
            verdicts.append(Verdict(index, reason=f"event is larger than {ENVELOPE_BYTES} bytes"))
        else:
            verdicts.append(Verdict(index, event_id=event.id, event=fields))
    return verdicts


def envelopes(events: Sequence[Mapping[str, Any]], *, size: int) -> Iterator[tuple[bytes | None, bytes]]:
    """(key, envelope) per asset, at most ``size`` events and ``ENVELOPE_BYTES`` each, in the posted order."""
    by_key: dict[bytes | None, list[Mapping[str, Any]]] = {}
    for event in events:
        by_key.setdefault(asset_key(event), []).append(event)
    for key, batch in by_key.items():
        chunk: list[Mapping[str, Any]] = []
        for event in batch:
            if chunk and (len(chunk) >= size or len(schema.encode_envelope([*chunk, event])) > ENVELOPE_BYTES):
                yield key, schema.encode_envelope(chunk)
                chunk = []
            chunk.append(event)
        if chunk:
            yield key, schema.encode_envelope(chunk)


class EventProducer:
    """Produces envelopes to the events topic; connects on first use, reconnects after a failed connect."""

    def __init__(self, *, bootstrap: str, topic: str, timeout: float, envelope_size: int) -> None:
        self.bootstrap, self.topic, self.timeout, self.envelope_size = bootstrap, topic, timeout, envelope_size
        self._producer: KafkaProducer | None = None
        self._lock = threading.Lock()

    def send(self, events: Sequence[Mapping[str, Any]]) -> int:
        """Produce ``events`` and wait for the broker's acknowledgement; returns the messages written."""
        if not events:
            return 0
        producer = self._connect()
        try:
            futures = [producer.send(self.topic, key=key, value=value)
                       for key, value in envelopes(events, size=self.envelope_size)]
            producer.flush(timeout=self.timeout)
            for future in futures:
                future.get(timeout=self.timeout)
        except KafkaError as e:
            raise StreamUnavailable(f"the events topic did not acknowledge ({type(e).__name__})") from e
        return len(futures)

    def _connect(self) -> KafkaProducer:
        with self._lock:
            if self._producer is None:
                ms = int(self.timeout * 1000)
                try:
                    self._producer = KafkaProducer(bootstrap_servers=self.bootstrap, linger_ms=5,
                                                   bootstrap_timeout_ms=ms, max_block_ms=ms)
                except KafkaError as e:
                    raise StreamUnavailable(f"no Kafka broker answers ({type(e).__name__})") from e
            return self._producer

    def close(self) -> None:
        with self._lock:
            if self._producer is not None:
                self._producer.close(timeout=self.timeout)
                self._producer = None
