"""The worker: routes events by where their state lives, runs the rules, records the detections.

events --route (plain consumer group)--> by-key --detect_events (Faust agent, rule-state table)-->
detections --open_incidents (plain consumer group)--> database. Built by a factory, so nothing connects at
import time and tests can build one app per test."""

from __future__ import annotations

import asyncio
import contextvars
import gc
import json
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import faust
from faust.streams import _current_event

from incidents.detection import Detection
from incidents.rules import Engine
from streams import fence, guard, plain_consumer, records, recovery_fix, retry, schema
from streams import route as routing
from streams.expire import StreamExpiry
from streams.fence import FencedTable
from streams.normalise import Normaliser
from streams.progress import TICK, BatchView, Progress
from streams.raw import RawLimits, add_raw_agents

log = logging.getLogger(__name__)
BATCH_MESSAGES = 500  # Kafka messages per batch: one rule-state write per touched key, then the acks
BATCH_WITHIN = 0.2  # seconds a batch waits for more messages when the topic is quiet
GONE: Any = object()  # a staged deletion (streams.expire)


@dataclass(frozen=True, slots=True)
class Handlers:
    """Effects the agents need, built by the composition root. All are blocking (run in threads)."""

    record_detection: Callable[[Detection], None]
    pending_outbox: Callable[[], list[tuple[int, str, dict[str, Any]]]]
    mark_published: Callable[[list[int]], None]
    is_transient: Callable[[BaseException], bool]
    is_conflict: Callable[[BaseException], bool] = retry.never  # optimistic-lock races
    call_timeout: float | None = 60.0  # seconds before a storage call counts as hung

    @property
    def retry_policy(self) -> retry.RetryPolicy:
        return retry.RetryPolicy(is_transient=self.is_transient, is_conflict=self.is_conflict,
                                 call_timeout=self.call_timeout)


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
    max_message_bytes: int = records.DEAD_LETTER_BYTES  # larger events messages are dead-lettered unread
    normaliser: Normaliser | None = None  # producer mappings (streams.normalise); None: the shipped ones
    raw_limits: RawLimits = field(default_factory=RawLimits)  # caps of raw messages and lines (streams.raw)
    standby_replicas: int = 1  # workers that keep a standby copy of each rule-state partition (Faust's default)


class Staged(dict[str, Any]):
    """Per-batch view of the rule-state table: reads fall through, writes stay local until flushed, so
    each touched key is written (one changelog record) once per batch of Kafka messages.

    Faust sends a table write to the changelog partition of the current event, which is unset while
    the agent handles a ``take_events`` batch (faust-streaming/faust#497). ``source`` names the event
    whose envelope is being run; ``flush`` writes each key as if from the last event that changed it.
    """

    def __init__(self, table: Any) -> None:
        super().__init__()
        self.table = table
        self.source: Any = None
        self.origin: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key in self:
            value = self[key]
            return default if value is GONE else value
        value = self.table.get(key)
        return default if value is None else value

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.origin[key] = self.source

    def delete(self, key: str) -> None:
        """Stage the key's deletion (a tombstone in its changelog partition, from ``source``'s)."""
        self[key] = GONE

    async def flush(self, buffer: Any = None, *, stop: Callable[[], bool] = lambda: False) -> bool:
        """Write the staged keys. With Faust's producer ``buffer`` (a running worker), a chunk at a time,
        letting the buffer drain in between: above its limit Faust's conductor stops handing over
        messages and logs a warning each time. Before each chunk ``stop()`` may end the write (partitions
        about to move); each partition's keys are written in order, its marker last, so what was written is
        what a crash would leave. Returns whether every key was written."""
        by_partition: dict[tuple[str, int], tuple[Any, list[str]]] = {}
        for key, event in self.origin.items():
            tp = (event.message.topic, event.message.partition)
            by_partition.setdefault(tp, (event, []))[1].append(key)
        size = buffer.max_messages if buffer is not None else max(1, len(self))
        for event, keys in by_partition.values():
            for start in range(0, len(keys), size):
                if stop():
                    return False
                contextvars.copy_context().run(self._write, event, keys[start:start + size])
                if buffer is not None:
                    await buffer.flush()
        return True

    def _write(self, event: Any, keys: list[str]) -> None:
        _current_event.set(weakref.ref(event))  # the partition Faust's own table write then uses
        for key in keys:
            if self[key] is not GONE:
                self.table[key] = self[key]
            elif key in self.table:
                del self.table[key]


def build_app(config: StreamConfig, handlers: Handlers) -> faust.App:
    recovery_fix.install()  # a worker frozen past its session timeout recovers instead of crashing
    app = faust.App(
        config.app_id, broker=f"kafka://{config.bootstrap}", store="memory://", web_enabled=False,
        topic_partitions=config.partitions, topic_replication_factor=config.replication_factor,
        broker_session_timeout=config.session_timeout, broker_heartbeat_interval=1.0,
        broker_request_timeout=max(30.0, config.session_timeout), stream_wait_empty=False,
        consumer_auto_offset_reset="earliest", table_standby_replicas=config.standby_replicas,
    )
    detections = app.topic(config.topics["detections"], key_serializer="raw", value_serializer="json")
    # JSON state per rule and group (incidents.rules.shapes), changelog-backed
    states = app.tables.add(FencedTable(app, name="rule-state", default=None, partitions=config.partitions,
                                        beacon=app.tables.beacon))  # streams.fence: late writers' records dropped

    dead_letters = app.topic(config.topics["dead-letter"], value_serializer="raw")

    async def dead_letter(message: Any, reason: str, payload: Any, index: int = -1) -> None:
        log.warning("dead letter: topic=%s partition=%s offset=%s index=%s reason=%s",
                    message.topic, message.partition, message.offset, index, reason)
        record = records.dead_letter(reason=reason, topic=message.topic, partition=message.partition,
                                     offset=message.offset, payload=payload, index=index)
        await dead_letters.send(value=records.fit(record, limit=config.max_message_bytes))

    add_raw_agents(app, raw_topics=config.raw_topics, events_topic=config.topics["events"],
                   dead_letter=dead_letter, normaliser=config.normaliser, limits=config.raw_limits)

    # acks=False: Faust's own commit (every broker_commit_interval) would commit the offsets of every message
    # the agent took, also those of a batch it then discarded as stale after a rebalance: committed before the
    # new generation seeks to the committed offsets, they were never run (fault suite, one of two workers
    # killed: by-key 248-325 of a partition skipped, a detection missing). Only _commit_applied commits them.
    by_key = app.topic(config.topics["by-key"], key_serializer="raw", value_serializer="raw", acks=False)

    async def route(message: Any) -> None:
        """One events message -> a copy per by-key partition its events' state lives on (streams.route)."""
        valid, rejected = guard.read_message(message.value, limit=config.max_message_bytes,
                                             normaliser=config.normaliser)
        for item in rejected:
            await dead_letter(message, item.reason, item.payload, item.index)
        try:
            out = routing.copies(config.engine, valid, partitions=config.partitions)
        except Exception as e:  # a bug, or input the schema let through: one dead letter, no event values logged
            log.error("rules failed routing a message of %d events (%s)", len(valid), type(e).__name__)
            await dead_letter(message, f"rules failed on this message ({type(e).__name__})",
                              [dict(event.fields) for event in valid])
            return
        headers = {routing.HEADER: routing.header(message.partition, message.offset)}
        for partition, events in out.items():
            await by_key.send(value=schema.encode_envelope(events), partition=partition, headers=headers)

    @app.task
    async def route_events() -> None:
        # a plain consumer group: the copies are flushed before their source offsets are committed
        await plain_consumer.run(bootstrap=config.bootstrap, topic=config.topics["events"],
                                 group_id=plain_consumer.group(config.app_id, "route"),
                                 session_timeout=config.session_timeout, handle=route,
                                 before_commit=app.producer.flush)

    progress = Progress(app, states)  # one agent instance (concurrency 1): the timer below shares it

    @app.timer(TICK)
    async def nudge_seeks() -> None:
        await progress.nudge()
        await progress.unstall(config.topics["by-key"])

    @app.agent(by_key)
    async def detect_events(stream: Any) -> None:
        # One Kafka message carries the events of one source message whose state lives on this partition,
        # and the rule state is written once per batch of messages: both per-message costs (Faust's event, a
        # changelog record per key) are shared. Each message changes the state once, through restarts
        # (streams.progress) and through copies the route stage sent again (streams.route).
        expiry = StreamExpiry(config.engine.rules, states, partitions=config.partitions)

        def moving() -> bool:
            """A rebalance has begun (Faust sets ``rebalancing`` before it revokes, flushes the producer and
            rejoins) or ended since the batch began: a write now could land after the partition's next owner
            has read its changelog, and a later one of its own then be overwritten by this older one."""
            return bool(app.rebalancing) or progress.stale()

        async def settled() -> bool:
            """Wait out a rebalance in progress; True when the batch's consumer generation still holds (its
            writes are then the partition owner's), False when it ended (the batch is re-run from the marker
            by whoever owns the partition now)."""
            while app.rebalancing and not progress.stale():
                await asyncio.sleep(0.05)
            return not progress.stale()

        async def run(batch: list[Any]) -> None:
            if app.in_worker:  # never run rules against a table still being restored from its changelog
                await app.tables.recovery.completed.wait()  # type: ignore[attr-defined]
            view, sources = BatchView(states), routing.SourceView(states)
            fence.HIGHS.set(view.high)  # each changelog record of the batch is stamped with its offset there
            expiry.begin()
            staged, last = Staged(view), dict[Any, Any]()  # last: source partition -> its last event
            for event in batch:
                if not await progress.admit(event.message):
                    continue
                view.at(event.message)
                last[event.message.tp] = event
                home = event.message.partition
                source = routing.source_of(event.headers)
                if source is None:
                    await dead_letter(event.message, "by-key message without its source position", event.value)
                    continue
                if not sources.admit(str(home), source, event):  # sent again by the route stage
                    continue
                valid, rejected = guard.read_message(event.value, limit=config.max_message_bytes, normalised=True)
                expiry.observe(home, valid, source=source[0])
                for item in rejected:
                    await dead_letter(event.message, item.reason, item.payload, item.index)
                staged.source = event
                # sent before the state is written: after a crash the batch is run again from the old
                # state and fires again (detections are idempotent by key) instead of not at all
                found = guard.detect(config.engine, staged, valid,
                                     holds=routing.holds(home, config.partitions, view.holds))
                if isinstance(found, schema.Rejected):  # one bad message costs one dead letter, not the batch
                    await dead_letter(event.message, found.reason, found.payload)
                    continue
                for d in found:  # keyed by what it correlates by: one recorder per incident (streams.records)
                    await detections.send(key=records.correlation_key(d), value=records.detection_to_wire(d))
                await asyncio.sleep(0)  # a batch can run for seconds: let the producer and timers run
            if not await settled():  # partitions moved meanwhile: write nothing; the marker makes it re-run
                log.info("a batch of %d messages is not written: partitions moved; it runs again", len(batch))
                return
            if app.in_worker:  # the detections are acknowledged before the state that a re-run skips
                await app.producer.flush()
            # one table write per touched key per batch, then the source offsets and the markers
            expiry.restart(progress.generation)  # then states whose windows passed go (tombstones)
            expiry.stage(staged, {tp.partition: event for tp, event in last.items()})
            sources.stage(staged)
            progress.mark(staged, last)
            written = False
            while not written and await settled():  # a rebalance beginning stops the write between chunks
                written = await staged.flush(app.producer.buffer if app.in_worker else None, stop=moving)
            if not written:  # what was written is what a crash leaves: the offsets in the state skip it
                log.info("a batch of %d messages is written in part: partitions moved; it runs again", len(batch))
                return
            expiry.written()
            if app.in_worker:
                await _commit_applied(app, progress.ends())

        async for batch in stream.take_events(BATCH_MESSAGES, within=BATCH_WITHIN):
            progress.running = True  # a batch blocked (a write to a paused broker) is no stall
            try:
                await run(batch)
            finally:
                progress.running = False

    async def record(message: Any) -> None:
        try:
            detection = records.detection_from_wire(json.loads(message.value))
        except (KeyError, ValueError, TypeError) as e:
            await dead_letter(message, f"malformed detection: {e!r}", message.value)
            return
        try:
            await _with_retry(handlers, handlers.record_detection, detection)
        except Exception as e:  # never lose it silently: park it with the reason
            await dead_letter(message, f"could not record detection: {type(e).__name__}: {e}", message.value)

    @app.task
    async def open_incidents() -> None:
        # not a Faust agent: a plain consumer group that commits what it recorded (streams.plain_consumer)
        await plain_consumer.run(bootstrap=config.bootstrap, topic=config.topics["detections"],
                                 group_id=plain_consumer.group(config.app_id, "incidents"),
                                 session_timeout=config.session_timeout, handle=record)

    @app.timer(1.0)
    @retry.guarded
    async def relay_outbox() -> None:
        pending = await _with_retry(handlers, handlers.pending_outbox, name="outbox.pending")
        if not pending:
            return
        out = app.topic(config.topics["incident-events"], key_serializer="raw", value_serializer="json")
        for _, incident_id, payload in pending:
            await out.send(key=incident_id.encode(), value=payload)
        await _with_retry(handlers, handlers.mark_published, [row_id for row_id, _, _ in pending],
                          name="outbox.mark_published")

    return app


def worker(app: faust.App, *, loglevel: str, logging_config: dict[str, Any] | None = None) -> faust.Worker:
    """Faust's worker for ``app``, without its terminal spinner: with one (Faust keeps it at WARNING and
    above) the root logger is set to DEBUG so the spinner turns on every record, and every debug call of
    aiokafka and Faust (one per record produced) builds a log record: 4-7 % of the worker's time (py-spy)."""
    runner = faust.Worker(app, loglevel=loglevel, quiet=True, logging_config=logging_config)
    runner.spinner = None
    return runner


def tune_collector() -> None:
    """Call once the worker is built, before it runs: what exists then (modules, rules, the app) lives as long
    as the process, so the cyclic collector stops walking it (``gc.freeze``), and it looks at young objects
    every 10,000 allocations instead of 700. Decoding and the rules make and drop a few dicts per event; with
    Python's default the collector ran so often, each time over every object the worker holds, that it took
    a tenth or more of the worker's time (bench/README.md). Cycles are still collected, only in larger steps."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


async def _commit_applied(app: faust.App, ends: dict[Any, int]) -> None:
    """Commit the end of a batch whose state, source offsets and markers are written (flushed first):
    ``ends`` (streams.progress.Progress.ends) also covers messages skipped because the state held them.
    The by-key topic does not ack, so this is its only commit: Faust's own followed acknowledgements, was
    seen stuck after a rebalance (fault suite, a second worker joining: a by-key partition committed at 95
    of 302 with everything applied) and committed a stale batch nobody ran. Revoked partitions are left
    out by Faust."""
    consumer: Any = app.consumer  # private parts: the public commit() commits only acknowledged offsets
    while await consumer.maybe_wait_for_commit_to_finish():  # one commit at a time, as Faust's own
        pass
    offsets = {tp: end for tp, end in ends.items() if (consumer._committed_offset.get(tp) or -1) < end}
    if not offsets:
        return
    consumer._commit_fut = asyncio.get_running_loop().create_future()
    before = {tp: consumer._committed_offset.get(tp) for tp in offsets}
    try:
        if not await consumer._commit_offsets(offsets):
            # Faust records the offsets as committed even when the commit failed (a rebalance began):
            # a later commit of the same ends would then be skipped, and the broker keep the old offset
            consumer._committed_offset.update(before)
    finally:
        done, consumer._commit_fut = consumer._commit_fut, None
        if not done.done():
            done.set_result(None)


async def _with_retry(handlers: Handlers, fn: Callable[..., Any], *args: Any, name: str | None = None) -> Any:
    """Run a blocking call in a thread, bounded in time; retry transient failures and conflicts (streams.retry)."""
    return await retry.call(handlers.retry_policy, fn, *args, name=name)
