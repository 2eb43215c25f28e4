"""A plain Kafka consumer group for a stage of the worker that needs no table: route the events
(streams.route) and record the detections (streams.app).

Faust acknowledges a message when its agent moves on and commits only contiguous acknowledged offsets;
across a kill -9 and the rebalance after it, a message it skips as stale (acknowledged, never handled) or
never delivers left the detections topic uncommitted, or its detection unrecorded, until the next restart
(tests/faults/README.md). These stages are at-least-once and their effects idempotent (a detection by its
key, a routed copy by its source position), so a consumer that does exactly that is small: read a batch,
handle each message (the handler retries while the database is down and dead-letters what it cannot
handle), run ``before_commit`` (flush what was produced), then commit. A crash re-delivers at most one
batch; a rebalance hands the uncommitted rest of a partition to its next owner.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer  # type: ignore[import-untyped]
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError  # type: ignore[import-untyped]

log = logging.getLogger(__name__)

MAX_RECORDS = 2000  # per poll, over all partitions: what a crash can make run again
POLL_MS = 1000


def group(app_id: str, stage: str) -> str:
    """The consumer group of a stage (``route``, ``incidents``); Faust's own group, ``app_id``, has its own
    assignment protocol, so these have their own groups."""
    return f"{app_id}.{stage}"


async def run(*, bootstrap: str, topic: str, group_id: str, session_timeout: float,
              handle: Callable[[Any], Awaitable[None]],
              before_commit: Callable[[], Awaitable[None]] | None = None, pause: float = 1.0) -> None:
    """Run every message of ``topic`` through ``handle`` and commit it after (after ``before_commit``, e.g.
    flushing what ``handle`` produced); runs until cancelled."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=group_id, enable_auto_commit=False,
        auto_offset_reset="earliest", max_poll_records=MAX_RECORDS,
        session_timeout_ms=int(session_timeout * 1000), heartbeat_interval_ms=1000,
        request_timeout_ms=max(40_000, int(session_timeout * 1000) + 5_000),
    )
    while True:  # the broker may be briefly unreachable when the worker starts
        try:
            await consumer.start()
            break
        except KafkaError as e:
            log.warning("consumer of %s cannot start (%s); trying again", topic, type(e).__name__)
            await asyncio.sleep(pause)
    try:
        while True:
            try:
                await _poll_once(consumer, handle, before_commit)
            except KafkaError as e:  # broker gone or paused: the uncommitted rest comes again
                log.warning("consumer of %s: %s; polling again", topic, type(e).__name__)
                await asyncio.sleep(pause)
    finally:
        await consumer.stop()


async def _poll_once(consumer: AIOKafkaConsumer, handle: Callable[[Any], Awaitable[None]],
                     before_commit: Callable[[], Awaitable[None]] | None) -> None:
    batches = await consumer.getmany(timeout_ms=POLL_MS)
    if not batches:
        return
    # the partitions' records interleaved by their Kafka timestamp, each partition's in offset order:
    # closer to event-time order than one partition after the other
    for record in heapq.merge(*batches.values(), key=_timestamp):
        await handle(record)
    if before_commit is not None:
        await before_commit()
    try:
        await consumer.commit({tp: records[-1].offset + 1 for tp, records in batches.items()})
    except (CommitFailedError, IllegalStateError) as e:  # a partition moved meanwhile
        log.info("partitions of %s moved to another worker before commit (%s): it runs them again",
                 consumer.subscription(), type(e).__name__)


def _timestamp(record: Any) -> int:
    return int(record.timestamp or 0)
