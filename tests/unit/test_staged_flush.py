"""The batch's state write stops when a rebalance begins (streams.app.Staged.flush ``stop``): a chunk written
after the partition's next owner has read its changelog could later overwrite that owner's newer state.
What was written is a prefix of each partition's keys, its marker last, as a crash would leave it."""

import asyncio

from streams.app import Staged
from streams.progress import marker_key


class Message:
    def __init__(self, partition):
        self.topic, self.partition, self.offset = "by-key", partition, 7


class Event:  # Staged.flush points Faust's current event at it (a weak reference)
    def __init__(self, partition):
        self.message = Message(partition)


class Buffer:
    """Faust's producer buffer as Staged.flush uses it: a chunk size and a flush to await."""

    max_messages = 2

    def __init__(self):
        self.flushes = 0

    async def flush(self):
        self.flushes += 1


def staged_batch(table):
    """As the agent stages a batch: rule states, an expired one, then one marker per partition."""
    staged = Staged(table)
    events = {partition: Event(partition) for partition in (0, 1)}
    for partition, event in events.items():
        staged.source = event
        for n in range(3):
            staged[f"rule|asset-{partition}|key-{n}"] = {"n": n}
    staged.source = events[0]
    staged.delete("rule|asset-0|old")
    for partition, event in events.items():
        staged.source = event
        staged[marker_key("by-key", partition)] = 7
    return staged


def test_without_a_rebalance_every_key_is_written():
    table = {"rule|asset-0|old": {"n": 0}}
    assert asyncio.run(staged_batch(table).flush(Buffer())) is True
    assert marker_key("by-key", 0) in table and marker_key("by-key", 1) in table
    assert "rule|asset-0|old" not in table and len(table) == 8


def test_a_rebalance_beginning_stops_the_write_before_the_next_chunk():
    table, buffer = {}, Buffer()
    staged = staged_batch(table)
    assert asyncio.run(staged.flush(buffer, stop=lambda: buffer.flushes >= 1)) is False
    assert list(table) == ["rule|asset-0|key-0", "rule|asset-0|key-1"]  # one chunk; no marker: re-run


def test_a_partition_written_whole_keeps_its_marker_and_the_other_has_none():
    table, buffer = {}, Buffer()
    staged = staged_batch(table)
    asyncio.run(staged.flush(buffer, stop=lambda: buffer.flushes >= 3))
    assert marker_key("by-key", 0) in table and marker_key("by-key", 1) not in table
