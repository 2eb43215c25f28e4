"""Exactly-once effects of the detection agent on its rule state, on any Kafka-compatible broker.

Kafka offsets are committed after the state is written, so a crash between the two re-delivers messages
the state already holds, and a changelog that recovers less than was committed (the embedded Tansu broker
stops recovery before the changelog's last produce batch) would skip messages the state never got. So the
state, not the commit, says what has been applied:

* every rule-state record carries, per source partition, the offset of the last message it includes
  (``{"state": ..., "applied": {"<partition>": offset}}``); a re-run does not apply a message to a key
  that already holds it (``BatchView.holds``), even when a crash wrote only part of a batch's keys;
* after the state keys of a batch, one marker record per source partition (``@applied|<topic>|<partition>``)
  holds the last offset of the batch, in that partition's changelog. Records of one changelog partition are
  recovered in order, so every key written before a recovered marker is recovered too;
* on the first message of a partition in a consumer generation, a message past ``marker + 1`` means
  offsets were committed that the recovered state does not hold: the consumer seeks back to ``marker + 1``
  (never before the log start) and the per-key offsets skip what is already applied.

Detections are produced and acknowledged before the state that makes a re-run skip them is written, so a
re-run may send a detection again (idempotent by key downstream) but never drops one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

log = logging.getLogger(__name__)
MARKER = "@applied|"  # rule ids start with [a-z0-9], so no rule-state key starts with "@"
STALL = 15.0  # seconds the agent may go without a message while a partition of its own has unread ones
TICK = 2.0  # seconds between the timer's calls of nudge and unstall (streams.app)


def marker_key(topic: str, partition: int) -> str:
    return f"{MARKER}{topic}|{partition}"


def wrap(state: Any, applied: Mapping[str, int]) -> dict[str, Any]:
    return {"state": state, "applied": dict(applied)}


def unwrap(value: Any) -> tuple[Any, dict[str, int]]:
    """A stored record -> (rule state, applied offsets). Records written before this module have none."""
    if isinstance(value, dict) and value.keys() == {"state", "applied"}:
        return value["state"], value["applied"]
    return value, {}


class BatchView:
    """The rule-state table as the engine sees it during one batch: plain states in, wrapped records out.

    ``at(message)`` names the message being run; ``holds(key)`` says whether that key's stored state already
    includes it. Writes (``Staged.flush``) stamp each key with the last offset per partition of the batch.
    """

    def __init__(self, table: Any) -> None:
        self.table = table
        self.cache: dict[str, tuple[Any, dict[str, int]]] = {}
        self.high: dict[str, int] = {}  # partition -> last offset run in this batch
        self.partition = ""
        self.offset = -1

    def at(self, message: Any) -> None:
        self.partition, self.offset = str(message.partition), message.offset
        self.high[self.partition] = max(self.high.get(self.partition, -1), message.offset)

    def _load(self, key: str) -> tuple[Any, dict[str, int]]:
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = unwrap(self.table.get(key))
        return found

    def get(self, key: str, default: Any = None) -> Any:
        state = self._load(key)[0]
        return default if state is None else state

    def holds(self, key: str) -> bool:
        return self._load(key)[1].get(self.partition, -1) >= self.offset

    def __contains__(self, key: str) -> bool:
        return key in self.table

    def __delitem__(self, key: str) -> None:
        self.cache[key] = (None, {})
        del self.table[key]

    def __setitem__(self, key: str, state: Any) -> None:
        if key.startswith("@"):  # markers and source offsets (streams.route): no rule state
            self.table[key] = state
            return
        applied = dict(self._load(key)[1])  # offsets only rise (streams.fence drops a record that lowers one)
        for partition, offset in self.high.items():
            applied[partition] = max(offset, applied.get(partition, -1))
        self.cache[key] = (state, applied)
        self.table[key] = wrap(state, applied)


class Progress:
    """Which messages of each partition the agent runs: each once per consumer generation, none the state
    already holds, and none past a gap between the state's marker and the committed offset."""

    def __init__(self, app: Any, table: Any, clock: Callable[[], float] = time.monotonic) -> None:
        self.app, self.table, self.clock = app, table, clock
        self.generation: int | None = -1
        self.done: dict[Any, int] = {}
        self.awaiting: dict[Any, int] = {}  # partition -> offset sought back to, not yet received
        self.seen = self.ticked = clock()  # when a message last came; when unstall last ran
        self.running = False  # the agent is inside a batch (set by streams.app)

    def marker(self, message: Any) -> int | None:
        value = self.table.get(marker_key(message.topic, message.partition))
        return value if isinstance(value, int) else None

    async def admit(self, message: Any) -> bool:
        """True when ``message`` is to be run now (at most once per generation, in offset order)."""
        self.seen = self.clock()
        generation = message.generation_id
        if generation is not None and generation != self.app.consumer_generation_id:
            return False  # its partition may belong to another worker now
        if generation != self.generation:
            self.generation, self.done, self.awaiting = generation, {}, {}
        tp, offset = message.tp, message.offset
        if tp in self.awaiting:
            if offset > self.awaiting[tp]:
                # fetched before the seek back: skipped. Its delivery moved Faust's read offset past the
                # target, and Faust drops a message below its read offset, so the target would never come
                # (and every later message of the partition would be skipped): seek again, each time.
                await self._seek(tp, self.awaiting[tp])
                return False
            del self.awaiting[tp]
        elif tp not in self.done and not await self._contiguous(message):
            return False
        mark = self.marker(message)
        if offset <= self.done.get(tp, -1) or (mark is not None and offset <= mark):
            self.done[tp] = max(offset, self.done.get(tp, -1))
            return False
        self.done[tp] = offset
        return True

    async def _contiguous(self, message: Any) -> bool:
        """First message of a partition: if it lies past the state's marker + 1, seek back (once)."""
        mark = self.marker(message)
        if mark is None or message.offset <= mark + 1:
            return True
        tp = message.tp
        earliest = (await self.app.consumer.earliest_offsets(tp)).get(tp, 0)
        target = max(mark + 1, earliest)
        if message.offset <= target:
            return True
        log.warning("state of %s holds offsets up to %d but consumption resumed at %d: seeking back to %d",
                    tp, mark, message.offset, target)
        self.awaiting[tp] = target
        await self._seek(tp, target)
        return False

    async def nudge(self) -> int:
        """Seek again each partition still waiting for its seek back (streams.app runs this on a timer). A
        seek is made again on each later message, but after the partition's last message none comes: had
        Faust dropped the target meanwhile (a delivery in flight moved its read offset past it), the
        partition would wait, uncommitted, for a message that never comes. Returns how many were sought."""
        if self.stale() or self.generation in (None, -1):
            return 0
        waiting = list(self.awaiting.items())
        for tp, offset in waiting:
            await self._seek(tp, offset)
        return len(waiting)

    async def unstall(self, topic: str) -> list[Any]:
        """Fetch again each partition of ``topic`` assigned here that has messages past its committed offset
        while no message has come for ``STALL`` seconds of running (streams.app calls this every ``TICK``):
        seek it to the committed offset and resume it. Seen in a clean-clone fault suite run (one of two
        workers killed): the survivor never got a message of the two by-key partitions it took over, with no
        error logged. Faust pauses a worker's partitions while it recovers the table and resumes them when
        the recovery completes, but not when the consumer generation changed meanwhile
        (``Recovery.on_recovery_completed`` returns early, leaving it to the next recovery); which path held
        them in CI was not logged, so the warning says what Faust's consumer thought of the partition.
        Messages the state already holds are skipped as after any seek. Returns the partitions sought."""
        now = self.clock()
        if self.running or now - self.ticked > 3 * TICK:  # in a batch (perhaps a write waiting for the broker),
            self.seen = now  # or the process did not run (SIGSTOP, a VM paused): no idle time
        self.ticked, idle = now, now - self.seen
        if idle < STALL or self.app.rebalancing or self.stale():
            return []
        consumer = self.app.consumer
        mine = [tp for tp in consumer.assignment() if tp.topic == topic and tp not in self.awaiting]
        try:
            ends = await asyncio.wait_for(consumer.highwaters(*mine), 5.0) if mine else {}
        except Exception as e:  # the broker away: the next tick asks again
            log.info("could not read the ends of %s (%s)", topic, type(e).__name__)
            return []
        behind = {tp: consumer._committed_offset.get(tp) or 0 for tp in mine}
        behind = {tp: offset for tp, offset in behind.items() if offset < (ends.get(tp) or 0)}
        self.seen = self.clock()
        if behind and getattr(self.app, "in_recovery", False):  # Faust pauses them while it recovers the state
            log.warning("%d partition(s) of %s behind and no message for %.0f s: the rule state's recovery "
                        "has not completed", len(behind), topic, idle)
            return []
        for tp, offset in behind.items():
            log.warning("%s: committed %d of %d and no message for %.0f s (paused %s, active %s, read offset "
                        "%s): seeking it to %d and resuming it", tp, offset, ends[tp], idle,
                        tp in consumer._paused_partitions, tp in (consumer._active_partitions or ()),
                        consumer._read_offset.get(tp), offset)
            consumer.resume_partitions({tp})
            await self._seek(tp, offset)
        return list(behind)

    async def _seek(self, tp: Any, offset: int) -> None:
        """Seek in the consumer's own thread. Faust runs aiokafka's consumer in a thread of its own, and its
        ``seek`` changes the fetcher from the caller's thread: racing a fetch there, it once crashed the
        worker (``KeyError`` in aiokafka's ``fetched_records``, fault suite, one of two workers killed)."""
        try:
            await self.app.consumer.seek_wait({tp: offset})
        except Exception as e:  # e.g. revoked meanwhile: its new owner resumes from the same marker
            log.warning("could not seek %s back to %d (%s): the next generation resumes there",
                        tp, offset, type(e).__name__)

    def mark(self, staged: Any, last: Mapping[Any, Any]) -> None:
        """Stage one marker per source partition (after the state keys: written last in its partition)."""
        for event in last.values():
            staged.source = event
            staged[marker_key(event.message.topic, event.message.partition)] = event.message.offset

    def ends(self) -> dict[Any, int]:
        """Per partition, the offset to commit once the batch's state is written: one past the last message
        of this generation that was run or that the state already held."""
        return {tp: offset + 1 for tp, offset in self.done.items()}

    def stale(self) -> bool:
        """The consumer generation changed since this batch's messages were admitted."""
        return self.generation not in (None, -1) and self.generation != self.app.consumer_generation_id
