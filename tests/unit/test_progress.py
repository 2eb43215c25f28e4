"""Exactly-once rule state (streams.progress): a batch run again after a crash that wrote only part of its
state counts every event once and loses no detection."""

from collections import namedtuple
from datetime import timedelta

import pytest

from incidents.rules import Engine
from streams.progress import STALL, TICK, BatchView, Progress, marker_key, unwrap, wrap
from tests.unit.test_rules_engine import T0, ev, rule

Message = namedtuple("Message", "topic partition offset")


class Overlay(dict):
    """Like streams.app.Staged without Faust: writes stay local until ``flush``, reads fall through."""

    def __init__(self, view):
        super().__init__()
        self.view = view

    def get(self, key, default=None):
        return self[key] if key in self else self.view.get(key, default)

    def flush(self, limit=None):
        for key in list(self)[:limit]:
            self.view[key] = self[key]


def messages():
    """Three sources failing 4 times a minute for 6 minutes and a near miss failing 9 times in 5 minutes,
    two events per message (threshold: 10 in a 5-minute window)."""
    attacks = [ev(n, at=T0 + timedelta(seconds=15 * (n // 3)), **{"source.ip": f"203.0.113.{n % 3}"})
               for n in range(72)]
    near = [ev(100 + n, at=T0 + timedelta(seconds=25 * n + 1), **{"source.ip": "198.51.100.9"}) for n in range(9)]
    events = sorted(attacks + near, key=lambda e: e.timestamp)
    return [(Message("events", 0, n // 2), events[n:n + 2]) for n in range(0, len(events), 2)]


def run(engine, table, batch, *, write=None, holds=True):
    view = BatchView(table)
    staged, found = Overlay(view), []
    for message, events in batch:
        view.at(message)
        found += engine.detect(staged, events, holds=view.holds if holds else None)
    staged.flush(write)
    if write is None:
        view[marker_key("events", 0)] = batch[-1][0].offset
    return [d.key for d in found]


def batches(size=6):
    items = messages()
    return [items[n:n + size] for n in range(0, len(items), size)]


def clean_run(engine):
    table = {}
    found = [k for b in batches() for k in run(engine, table, b)]
    return table, found


@pytest.mark.parametrize("written", [0, 1, 2, None])
def test_a_batch_run_again_after_a_partial_state_write_counts_each_event_once(written):
    engine = Engine([rule(count=10)])
    expected_table, expected = clean_run(engine)
    table, found = {}, []
    for n, batch in enumerate(batches()):
        if n == 2:  # crash: detections sent, some keys written, no marker, no commit; then the re-run
            found += run(engine, table, batch, write=written)
        found += run(engine, table, batch)
    assert sorted(set(found)) == sorted(set(expected)) and len(set(expected)) == 3
    assert {k: unwrap(v)[0] for k, v in table.items()} == {k: unwrap(v)[0] for k, v in expected_table.items()}


def test_without_the_applied_offsets_the_re_run_counts_twice():
    engine = Engine([rule(count=10)])
    _, expected = clean_run(engine)
    table, found = {}, []
    for n, batch in enumerate(batches()):
        if n == 1:
            run(engine, table, batch, write=None, holds=False)
        found += run(engine, table, batch, holds=False)
    assert set(found) - set(expected)  # a false detection: the point of the applied offsets


def test_records_carry_the_last_offset_of_the_batch_per_source_partition():
    table = {}
    run(Engine([rule(count=10)]), table, batches()[0])
    states = {k: v for k, v in table.items() if not k.startswith("@")}
    assert states and all(unwrap(v)[1] == {"0": 5} for v in states.values())
    assert table[marker_key("events", 0)] == 5


def test_states_written_before_the_applied_offsets_existed_read_as_holding_nothing():
    view = BatchView({"k": {"c": [1]}, "w": wrap({"c": [2]}, {"0": 7})})
    view.at(Message("events", 0, 7))
    assert (view.get("k"), view.holds("k")) == ({"c": [1]}, False)
    assert (view.get("w"), view.holds("w")) == ({"c": [2]}, True)
    view.at(Message("events", 1, 3))
    assert not view.holds("w")


class Consumer:
    """The two consumer calls Progress makes, recorded (an in-memory fake, no broker)."""

    def __init__(self, earliest=0):
        self.earliest, self.seeks = earliest, []
        self.assigned, self.ends, self._committed_offset = set(), {}, {}
        self._paused_partitions, self._active_partitions, self._read_offset = set(), set(), {}

    def assignment(self):
        return set(self.assigned)

    async def highwaters(self, *tps):
        return {tp: self.ends[tp] for tp in tps}

    def resume_partitions(self, tps):
        self._paused_partitions -= set(tps)
        self._active_partitions |= set(tps)

    async def earliest_offsets(self, tp):
        return {tp: self.earliest}

    async def seek_wait(self, offsets):
        self.seeks.extend(offsets.items())


class App:
    def __init__(self, consumer):
        self.consumer, self.consumer_generation_id, self.rebalancing, self.in_recovery = consumer, 3, False, False


Delivered = namedtuple("Delivered", "topic partition offset tp generation_id")


def delivered(offset, generation=3):
    return Delivered("events", 0, offset, ("events", 0), generation)


async def admitted(progress, offsets, generation=3):
    return [o for o in offsets if await progress.admit(delivered(o, generation))]


async def test_messages_the_state_holds_are_skipped_and_the_rest_run_once_in_order():
    progress = Progress(App(Consumer()), {marker_key("events", 0): 41})
    assert await admitted(progress, [40, 41, 42, 43, 42, 43, 44]) == [42, 43, 44]
    assert await admitted(progress, [45], generation=2) == []  # an older generation's delivery


async def test_consumption_resumed_past_the_state_seeks_back_to_the_marker():
    consumer = Consumer()
    progress = Progress(App(consumer), {marker_key("events", 0): 41})
    # offsets up to 60 were committed, but the recovered state holds only up to 41
    assert await admitted(progress, [61]) == []
    assert consumer.seeks == [(("events", 0), 42)]
    assert await admitted(progress, [64, 42, 43]) == [42, 43]


async def test_each_message_fetched_before_the_seek_back_seeks_again():
    """Faust drops a message below its read offset, and each delivery moves the read offset: a message
    fetched before the seek and delivered after it would make Faust drop the target itself, and the
    partition would be skipped from then on (the fault suite lost a third of its detections that way)."""
    consumer = Consumer()
    progress = Progress(App(consumer), {marker_key("events", 0): 41})
    assert await admitted(progress, [61, 62, 63]) == []
    assert consumer.seeks == [(("events", 0), 42)] * 3  # 62 and 63 were in flight: the seek is made again
    assert await admitted(progress, [42, 43, 44]) == [42, 43, 44]
    assert len(consumer.seeks) == 3


async def test_the_seek_back_stops_at_the_log_start():
    consumer = Consumer(earliest=50)
    progress = Progress(App(consumer), {marker_key("events", 0): 41})
    assert await admitted(progress, [50, 51]) == [50, 51] and consumer.seeks == []


async def test_the_commit_covers_messages_run_and_those_the_state_held_never_a_skipped_one():
    """The by-key topic does not ack (Faust's own commit took a batch discarded as stale): the agent commits
    ``ends``. Messages the state already held count as done; a partition waiting for its seek back does not."""
    consumer = Consumer()
    progress = Progress(App(consumer), {marker_key("events", 0): 41})
    await admitted(progress, [40, 41])  # held by the state: skipped, and the commit may pass them
    assert progress.ends() == {("events", 0): 42}
    await admitted(progress, [42, 43])
    assert progress.ends() == {("events", 0): 44}
    await admitted(progress, [50], generation=4)  # a newer generation: this batch is stale, nothing is done
    assert progress.ends() == {("events", 0): 44}
    seeking = Progress(App(consumer), {marker_key("events", 0): 41})
    await admitted(seeking, [61])  # past the state: seeks back, commits nothing
    assert seeking.ends() == {}


async def test_a_partition_waiting_for_its_seek_back_is_sought_again_when_no_message_comes():
    """After a partition's last message nothing triggers another seek: the timer's nudge makes it, and stops
    once the target has come, or when the batch's generation is over."""
    consumer = Consumer()
    progress = Progress(App(consumer), {marker_key("events", 0): 41})
    assert await admitted(progress, [61]) == []
    assert await progress.nudge() == 1
    assert consumer.seeks == [(("events", 0), 42)] * 2
    assert await admitted(progress, [42]) == [42]
    assert await progress.nudge() == 0
    waiting = Progress(App(consumer), {marker_key("events", 0): 41})
    await admitted(waiting, [61])
    waiting.app.consumer_generation_id = 4  # a rebalance: the next generation seeks from its own marker
    assert await waiting.nudge() == 0


TP = namedtuple("TP", "topic partition")


async def test_a_partition_left_behind_while_no_message_comes_is_fetched_again_from_its_commit():
    """The safety net for a partition the consumer stopped fetching (seen once: a survivor never got a message
    of the two by-key partitions it took over): after ``STALL`` seconds of running without any message, each
    partition of the topic whose committed offset lies below its end is resumed and sought to its commit;
    one at its end, another topic's, or any while messages still come, is left alone."""
    now = [0.0]
    consumer = Consumer()
    behind, done, other = TP("by-key", 0), TP("by-key", 1), TP("events", 0)
    consumer.assigned = {behind, done, other}
    consumer.ends = {behind: 304, done: 302, other: 50}
    consumer._committed_offset = {behind: 75, done: 302, other: 10}
    consumer._paused_partitions = {behind}
    progress = Progress(App(consumer), {}, clock=lambda: now[0])

    async def ticks(seconds):  # the app's timer, every TICK seconds
        sought = []
        for _ in range(int(seconds / TICK)):
            now[0] += TICK
            sought += await progress.unstall("by-key")
        return sought

    assert await ticks(STALL - TICK) == []  # not idle long enough
    progress.running = True
    assert await ticks(2 * STALL) == []  # a batch runs (its write may wait for a paused broker)
    progress.running = False
    assert await ticks(STALL - TICK) == []
    await progress.admit(delivered(1))
    assert await ticks(STALL - TICK) == []  # a message came meanwhile
    progress.app.rebalancing = True
    assert await ticks(2 * STALL) == []  # a rebalance seeks on its own
    progress.app.rebalancing = False
    progress.app.in_recovery = True
    assert await ticks(TICK) == []  # Faust holds them while it recovers the state
    progress.app.in_recovery = False
    assert await ticks(STALL + TICK) == [behind]
    assert consumer.seeks == [(behind, 75)] and behind in consumer._active_partitions
    assert not consumer._paused_partitions
    assert await ticks(STALL - TICK) == []  # once per STALL seconds


async def test_time_the_process_did_not_run_is_no_idle_time():
    """A worker stopped (SIGSTOP past its session timeout, a paused VM) wakes with its partitions gone and no
    message for as long as it slept: the jump between two ticks is not taken for a stall."""
    now = [0.0]
    consumer = Consumer()
    consumer.assigned, consumer.ends, consumer._committed_offset = {TP("by-key", 0)}, {TP("by-key", 0): 9}, {}
    progress = Progress(App(consumer), {}, clock=lambda: now[0])
    now[0] += 33
    assert await progress.unstall("by-key") == [] and consumer.seeks == []


class Committing:
    """Faust's consumer as ``streams.app._commit_applied`` uses it: ``_commit_offsets`` records the offsets as
    committed whether or not the broker took them, and returns whether it did."""

    def __init__(self, accept):
        self.accept, self.sent, self._committed_offset, self._commit_fut = accept, [], {}, None

    async def maybe_wait_for_commit_to_finish(self):
        return False

    async def _commit_offsets(self, offsets):
        self.sent.append(dict(offsets))
        self._committed_offset.update(offsets)
        return self.accept


async def test_a_commit_the_broker_refused_is_made_again():
    """Refused during a rebalance, a commit must not count as made: the same ends are committed next time,
    not skipped as already there (the broker would keep the old offset, and a takeover re-run the range)."""
    from streams.app import _commit_applied

    consumer = Committing(accept=False)
    app = namedtuple("FaustApp", "consumer")(consumer)
    await _commit_applied(app, {("by-key", 0): 304})
    assert consumer._committed_offset == {("by-key", 0): None}
    consumer.accept = True
    await _commit_applied(app, {("by-key", 0): 304})
    await _commit_applied(app, {("by-key", 0): 304})  # made: not sent again
    assert consumer.sent == [{("by-key", 0): 304}] * 2 and consumer._committed_offset == {("by-key", 0): 304}
