"""The Faust application: topics, the detection table and thin agents. Built by a factory, so
nothing connects at import time and tests can build one app per test."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import faust

from incidents.detection import Detection
from incidents.rules import Engine
from streams import records, schema
from streams.raw import add_raw_agents

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Handlers:
    """Effects the agents need, built by the composition root. All are blocking (run in threads)."""

    record_detection: Callable[[Detection], None]
    pending_outbox: Callable[[], list[tuple[int, str, dict[str, Any]]]]
    mark_published: Callable[[list[int]], None]
    is_transient: Callable[[BaseException], bool]


@dataclass(frozen=True, slots=True)
class StreamConfig:
    app_id: str
    bootstrap: str
    partitions: int
    replication_factor: int
    session_timeout: float
    topics: dict[str, str]  # logical name -> topic name
    engine: Engine
    raw_topics: dict[str, str] = field(default_factory=dict)  # log format -> raw topic (streams.raw)


class Staged(dict[str, Any]):
    """Per-message view of the rule-state table: reads fall through, writes stay local until flushed,
    so each touched key is written (and sent to the changelog) once per Kafka message."""

    def __init__(self, table: Any) -> None:
        super().__init__()
        self.table = table

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key in self:
            return self[key]
        value = self.table.get(key)
        return default if value is None else value

    def flush(self) -> None:
        for key, state in self.items():
            self.table[key] = state


def build_app(config: StreamConfig, handlers: Handlers) -> faust.App:
    app = faust.App(
        config.app_id, broker=f"kafka://{config.bootstrap}", store="memory://", web_enabled=False,
        topic_partitions=config.partitions, topic_replication_factor=config.replication_factor,
        broker_session_timeout=config.session_timeout, broker_heartbeat_interval=1.0,
        broker_request_timeout=max(30.0, config.session_timeout), stream_wait_empty=False,
        consumer_auto_offset_reset="earliest",
    )
    topic = {name: app.topic(t, key_serializer="raw", value_serializer="raw")
             for name, t in config.topics.items()}
    detections = app.topic(config.topics["detections"], key_serializer="raw", value_serializer="json")
    # JSON state per rule and group (incidents.rules.shapes), changelog-backed
    states = app.Table("rule-state", default=None, partitions=config.partitions)

    async def dead_letter(message: Any, reason: str, payload: Any, index: int = -1) -> None:
        log.warning("dead letter: topic=%s partition=%s offset=%s index=%s reason=%s",
                    message.topic, message.partition, message.offset, index, reason)
        record = records.dead_letter(reason=reason, topic=message.topic, partition=message.partition,
                                     offset=message.offset, payload=payload, index=index)
        await app.topic(config.topics["dead-letter"], value_serializer="json").send(value=record)

    add_raw_agents(app, raw_topics=config.raw_topics, events_topic=config.topics["events"],
                   dead_letter=dead_letter)

    @app.agent(topic["events"])
    async def detect_events(stream: Any) -> None:
        # One Kafka message carries an envelope of many events: the per-message cost is paid once.
        async for event in stream.events():
            valid = []
            for item in schema.decode(event.value):
                if isinstance(item, schema.Rejected):
                    await dead_letter(event.message, item.reason, item.payload, item.index)
                else:
                    valid.append(item)
            staged = Staged(states)
            found = config.engine.detect(staged, valid)
            staged.flush()  # one table write per touched key per message
            for d in found:
                await detections.send(key=d.key.encode(), value=records.detection_to_wire(d))

    @app.agent(detections)
    async def open_incidents(stream: Any) -> None:
        async for event in stream.events():
            try:
                detection = records.detection_from_wire(event.value)
            except (KeyError, ValueError, TypeError) as e:
                await dead_letter(event.message, f"malformed detection: {e!r}", event.value)
                continue
            try:
                await _with_retry(handlers, handlers.record_detection, detection)
            except Exception as e:  # never lose it silently: park it with the reason
                await dead_letter(event.message, f"could not record detection: {type(e).__name__}: {e}",
                                  event.value)

    @app.timer(1.0)
    async def relay_outbox() -> None:
        pending = await _with_retry(handlers, handlers.pending_outbox)
        if not pending:
            return
        out = app.topic(config.topics["incident-events"], key_serializer="raw", value_serializer="json")
        for _, incident_id, payload in pending:
            await out.send(key=incident_id.encode(), value=payload)
        await _with_retry(handlers, handlers.mark_published, [row_id for row_id, _, _ in pending])

    return app


async def _with_retry(handlers: Handlers, fn: Callable[..., Any], *args: Any) -> Any:
    """Run a blocking call in a thread; retry transient failures (database down) with backoff."""
    delay = 0.5
    while True:
        try:
            return await asyncio.to_thread(fn, *args)
        except Exception as e:
            if not handlers.is_transient(e):
                raise
            log.warning("transient failure in %s, retrying in %.1fs: %s", fn.__name__, delay, type(e).__name__)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)
