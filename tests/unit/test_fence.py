"""The zombie fence (streams.fence): a worker that writes a batch's state after its partition moved on cannot
make recovery restore that older state over the new owner's."""

import pytest

from incidents.rules import Engine
from streams import fence
from streams.fence import Fence, header_for, high_of
from streams.progress import BatchView, marker_key, unwrap, wrap
from tests.unit.test_progress import Overlay, batches, rule


class Changelog(dict):
    """A table whose writes are also appended, as the agent's records (with their header), to ``log``."""

    def __init__(self, log, state=()):
        super().__init__(state)
        self.log = log

    def __setitem__(self, key, value):
        self.log.append((key, value, header_for(0, value, None)))
        super().__setitem__(key, value)

    def __delitem__(self, key):
        self.log.append((key, None, header_for(0, None, self.get(key))))
        super().__delitem__(key)


def run(engine, table, batch, *, write=None):
    """One batch as the agent runs it (streams.app): skip what the marker or a key holds, write the touched
    keys, the marker last (``write``: only the first keys, as a worker stopped mid-write)."""
    view = BatchView(table)
    fence.HIGHS.set(view.high)
    staged, found = Overlay(view), []
    mark = table.get(marker_key("events", 0), -1)
    for message, events in batch:
        if message.offset <= mark:
            continue
        view.at(message)
        found += engine.detect(staged, events, holds=view.holds)
    staged.flush(write)
    if write is None and view.high:
        view[marker_key("events", 0)] = view.high["0"]
    return [d.key for d in found]


def recover(log, gate=None):
    """The table a worker restores from ``log``, read in order through ``gate`` (None: every record)."""
    table = {}
    for offset, (key, value, headers) in enumerate(log):
        if gate is None or gate.admit(0, offset, key, high_of(headers), table.get(key)):
            if value is None:
                table.pop(key, None)
            else:
                table[key] = value
    return table


def zombie_run(engine, *, lands_after, marker, gate):
    """The owner runs the batches; a worker frozen with batch 0 in hand (from the same empty state) writes it
    late: its records land after the owner's records of batch ``lands_after`` (with its marker, or only its
    first keys). The owner is then restarted from the changelog, read through ``gate``, and runs on.
    Returns the detections of both runs of the owner and its final table."""
    log, items, found = [], batches(), []
    owner, zombie_log = Changelog(log), []
    run(engine, Changelog(zombie_log), items[0], write=None if marker else 2)
    for n, batch in enumerate(items):
        found += run(engine, owner, batch)
        if n == lands_after:
            log += zombie_log
            owner = Changelog(log, recover(log, gate))
    return found, dict(owner)


def states(table):
    return {key: unwrap(value)[0] for key, value in table.items() if not key.startswith("@")}


@pytest.fixture
def engine():
    return Engine([rule(count=18)])  # a group reaches it 4.5 minutes into its 5-minute window


@pytest.fixture
def uninterrupted(engine):
    table = Changelog([])
    found = [key for batch in batches() for key in run(engine, table, batch)]
    assert found  # the stream has detections to lose
    return found, states(table)


@pytest.mark.parametrize("marker", [True, False], ids=["keys and marker", "keys only"])
@pytest.mark.parametrize("lands_after", [1, 2])
def test_a_late_writers_records_are_not_recovered(engine, uninterrupted, lands_after, marker):
    found, table = zombie_run(engine, lands_after=lands_after, marker=marker, gate=Fence())
    assert (sorted(set(found)), states(table)) == (sorted(set(uninterrupted[0])), uninterrupted[1])


def test_without_the_fence_the_older_state_comes_back_and_detections_are_lost(engine, uninterrupted):
    """The test above can fail: read without the fence, the changelog restores the late writer's older state
    of its keys under the owner's newer marker, so the events in between never count."""
    found, table = zombie_run(engine, lands_after=2, marker=False, gate=None)
    assert set(uninterrupted[0]) - set(found)


def test_a_restart_after_a_partial_write_keeps_every_record_it_writes(engine):
    """A crash after part of a batch's keys (no marker) and a re-run in smaller batches: the re-run's records
    are stamped below the crashed batch's keys but above the marker, so the fence drops none of them."""
    log, items = [], batches()
    table = Changelog(log)
    for batch in items[:3]:
        run(engine, table, batch)
    run(engine, table, items[3] + items[4], write=2)  # crashed mid-write
    table = Changelog(log, recover(log, Fence()))
    for batch in [items[3][:3], items[3][3:], items[4], *items[5:]]:
        run(engine, table, batch)
    gate = Fence()
    assert recover(log, gate) == dict(table) and gate.dropped == 0
    uninterrupted = Changelog([])
    for batch in items:
        run(engine, uninterrupted, batch)
    assert {k: unwrap(v)[0] for k, v in table.items() if not k.startswith("@")} == \
        {k: unwrap(v)[0] for k, v in uninterrupted.items() if not k.startswith("@")}


def test_records_without_the_header_are_applied_and_a_read_from_the_start_resets_the_floor():
    gate = Fence()
    assert gate.admit(0, 0, marker_key("t", 0), 50, None)
    assert not gate.admit(0, 1, "r|a|g", 40, None)  # at or below the marker read: a late writer's
    assert gate.admit(0, 2, "r|a|g", None, None)  # written before the header existed
    assert gate.admit(0, 0, "r|a|g", 40, None)  # the partition read again from its start
    assert gate.admit(1, 5, "r|a|g", 10, None)  # another partition has its own floor


def test_a_deletion_is_stamped_at_least_as_high_as_the_state_it_deletes():
    fence.HIGHS.set({"0": 7})
    assert high_of(header_for(0, None, wrap({"n": 1}, {"0": 9})).items()) == 9
    assert high_of(header_for(0, None, None).items()) == 7
    assert high_of(header_for(0, wrap({"n": 1}, {"0": 3}), None).items()) == 7
    assert header_for(1, 5, None) is None  # no offset of that partition in the batch: no header


def test_a_late_write_between_the_owners_keys_and_its_marker_does_not_replace_a_newer_state():
    """Before the owner's first marker after the takeover, the floor is still the old marker: the key's own
    stamp decides."""
    log = [("r|a|g", wrap({"n": 20}, {"0": 20}), {fence.HEADER: b"20"}),  # the owner's
           ("r|a|g", wrap({"n": 15}, {"0": 15}), {fence.HEADER: b"15"}),  # the late writer's
           ("r|a|g", None, {fence.HEADER: b"15"}),  # the late writer deleting it
           (marker_key("events", 0), 20, {fence.HEADER: b"20"})]
    gate = Fence()
    assert recover(log, gate) == {"r|a|g": log[0][1], marker_key("events", 0): 20} and gate.dropped == 2
