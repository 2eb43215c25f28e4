"""Detections -> incidents: a plain Kafka consumer group beside the Faust agents (streams.app).

Faust acknowledges a message when its agent moves on and commits only contiguous acknowledged offsets;
across a kill -9 and the rebalance after it, a message it skips as stale (acknowledged, never handled) or
never delivers leaves the detections topic uncommitted, or its detection unrecorded, until the next
restart (tests/faults/README.md). Recording a detection is idempotent by its key, so this path needs no
more than at-least-once, and a consumer that does exactly that is small: read a batch, record each
detection (``handle`` retries while the database is down and dead-letters what cannot be recorded), then
commit what was handled. A crash re-delivers at most one batch; a rebalance hands the uncommitted rest of
a partition to its next owner.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer  # type: ignore[import-untyped]
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError  # type: ignore[import-untyped]

log = logging.getLogger(__name__)

MAX_RECORDS = 100  # per poll: what a crash can make run again
POLL_MS = 1000


def group(app_id: str) -> str:
    """The consumer group that records detections (Faust's own group, ``app_id``, has its own protocol)."""
    return f"{app_id}.incidents"


async def run(*, bootstrap: str, topic: str, group_id: str, session_timeout: float,
              handle: Callable[[Any], Awaitable[None]], pause: float = 1.0) -> None:
    """Record every message of ``topic`` through ``handle`` and commit it after; runs until cancelled."""
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
            log.warning("detections consumer cannot start (%s); trying again", type(e).__name__)
            await asyncio.sleep(pause)
    try:
        while True:
            try:
                await _poll_once(consumer, handle)
            except KafkaError as e:  # broker gone or paused: the uncommitted rest comes again
                log.warning("detections consumer: %s; polling again", type(e).__name__)
                await asyncio.sleep(pause)
    finally:
        await consumer.stop()


async def _poll_once(consumer: AIOKafkaConsumer, handle: Callable[[Any], Awaitable[None]]) -> None:
    batches = await consumer.getmany(timeout_ms=POLL_MS)
    for tp, records in batches.items():
        for record in records:
            await handle(record)
        try:
            await consumer.commit({tp: records[-1].offset + 1})
        except (CommitFailedError, IllegalStateError) as e:  # the partition moved meanwhile
            log.info("detections %s-%s moved to another worker before commit (%s): it re-delivers them",
                     tp.topic, tp.partition, type(e).__name__)
