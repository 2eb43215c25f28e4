"""Rule-state expiry in the detection stage (streams.expire) when one by-key partition takes copies from
several source partitions, one of which stalls (its route consumer killed, the session timeout not over)
while another runs on: the stalled source's states must not expire on the other source's event time.

Fault suite, "4 partitions, one of two workers killed", 2026-11-30: 40 of 41 detections, the missing one a
brute force on `klantportaal` whose first failures were applied before the kill and the rest after it."""

from datetime import timedelta
from types import SimpleNamespace

from incidents.rules import Engine
from streams import route
from streams.app import GONE, Staged
from streams.expire import StreamExpiry
from tests.unit.test_rules_engine import T0, ev, rule

PARTITIONS = 1  # every state on by-key partition 0: one partition, two sources
ATTACKER, OTHER = "203.0.113.7", "198.51.100.20"


def copy(source, offset, events):
    """A by-key message as the detection stage sees it: its source position in a header."""
    message = SimpleNamespace(topic="by-key", partition=0, offset=offset)
    return SimpleNamespace(message=message, headers={route.HEADER: route.header(source, offset)}, events=events)


def run(engine, copies):
    """The detection stage on partition 0, one batch per copy (as streams.app.detect_events runs it)."""
    table, found = {}, []
    expiry = StreamExpiry(engine.rules, table, partitions=PARTITIONS)
    for message in copies:
        found += batch(engine, expiry, table, message)
    return sorted({d.key for d in found}), table


def batch(engine, expiry, table, *messages, written=True, generation=1):
    """One batch; ``written=False``: its partitions moved before the write, nothing of it is kept."""
    staged, found = Staged(table), []
    expiry.begin()
    for message in messages:
        staged.source = message
        source, _ = route.source_of(message.headers)
        expiry.observe(0, message.events, source=source)
        found += engine.detect(staged, message.events)
    expiry.restart(generation)
    expiry.stage(staged, {0: messages[-1]})
    if not written:
        return found
    for key, value in staged.items():
        if value is GONE:
            table.pop(key, None)
        else:
            table[key] = value
    expiry.written()
    return found


def brute_force(first, count, *, start):
    """``count`` failures 10 s apart from the attacker on `portal` (threshold 10 in 5 minutes)."""
    return [ev(first + n, at=start + timedelta(seconds=10 * (first + n)), **{"source.ip": ATTACKER})
            for n in range(count)]


def quiet(n, *, at):
    """One failure of another source on another asset, hours later in event time."""
    return [ev(1000 + n, at=at, **{"source.ip": OTHER, "datalek.asset": "crm"})]


def stalled_copies():
    """Source 1 sends the first half of a brute force, stalls while source 0 runs two hours ahead,
    then sends the second half."""
    return [copy("1", 0, brute_force(0, 6, start=T0)),
            copy("0", 0, quiet(0, at=T0 + timedelta(hours=2))),
            copy("1", 1, brute_force(6, 6, start=T0))]


def test_a_stalled_source_keeps_its_state_while_another_source_runs_ahead():
    engine = Engine([rule(count=10)])
    in_order = sorted((e for c in stalled_copies() for e in c.events), key=lambda e: e.timestamp)
    expected = sorted({d.key for d in engine.detect({}, in_order)})
    assert len(expected) == 1  # the brute force, as replay finds it
    assert run(engine, stalled_copies())[0] == expected


def test_with_one_clock_for_both_sources_the_attack_is_missed():
    """What one stream clock per by-key partition (before) did: the other source's event time expired the
    stalled source's half-counted state, and the second half started a count of its own."""
    engine = Engine([rule(count=10)])
    one = [copy("1", n, c.events) for n, c in enumerate(stalled_copies())]
    assert run(engine, one)[0] == []


def test_each_source_still_expires_the_states_it_wrote():
    engine = Engine([rule(count=10)])
    copies = [*stalled_copies(), copy("1", 2, quiet(1, at=T0 + timedelta(hours=2)))]
    _, table = run(engine, copies)
    assert [k for k in table if ATTACKER in k] == []  # source 1 passed the attack's horizon: gone
    assert [k for k in table if OTHER in k] != []  # the other source's newest state stays


def restarted(engine):
    """A worker restarted with a half-counted attack of source 1 in its table, fed by sources 0 and 1."""
    table = {}
    staged = Staged(table)
    engine.detect(staged, brute_force(0, 3, start=T0))
    table.update(staged)
    table[route.SOURCE + "0"] = {"0": 4, "1": 6}  # streams.route.SourceView: both fed partition 0
    expiry = StreamExpiry(engine.rules, table, partitions=PARTITIONS)
    expiry.restart(2)
    return table, expiry


def staged_deletions(expiry, table, message):
    staged = Staged(table)
    count = expiry.stage(staged, {0: message})
    assert count == len([k for k, v in staged.items() if v is GONE])
    return count


def test_states_found_in_the_table_wait_for_every_source_that_fed_the_partition():
    """After a restart the index is built from the table, which does not say which source wrote a key."""
    engine = Engine([rule(count=10)])
    table, expiry = restarted(engine)
    ahead = copy("0", 5, quiet(0, at=T0 + timedelta(hours=2)))
    expiry.observe(0, ahead.events, source="0")
    assert staged_deletions(expiry, table, ahead) == 0  # source 1 not seen again yet: it may lag
    expiry.observe(0, brute_force(3, 1, start=T0), source="1")
    assert staged_deletions(expiry, table, ahead) == 0  # seen, still at the attack's time
    behind = copy("1", 7, quiet(1, at=T0 + timedelta(hours=2)))
    expiry.observe(0, behind.events, source="1")
    assert staged_deletions(expiry, table, behind) == 1  # every source past it: gone


def test_after_a_restart_with_one_source_the_state_goes_on_its_time():
    engine = Engine([rule(count=10)])
    table, expiry = restarted(engine)
    table[route.SOURCE + "0"] = {"1": 6}
    behind = copy("1", 7, quiet(1, at=T0 + timedelta(hours=2)))
    expiry.observe(0, behind.events, source="1")
    assert staged_deletions(expiry, table, behind) == 1


def test_a_batch_that_is_not_written_does_not_move_stream_time():
    """A batch whose partitions moved before its write (streams.app: not settled) is run again, maybe in
    smaller batches. Had its event times counted, the re-run's first batch would expire a half-counted attack
    on event time it has not applied yet, and the attack's rest, from a source that lags, would start a count
    of its own."""
    engine = Engine([rule(count=10)])
    table = {}
    expiry = StreamExpiry(engine.rules, table, partitions=PARTITIONS)
    assert not batch(engine, expiry, table, copy("1", 0, brute_force(0, 6, start=T0)))
    near = copy("1", 1, quiet(0, at=T0 + timedelta(minutes=1)))
    later = copy("1", 2, quiet(1, at=T0 + timedelta(hours=2)))
    assert not batch(engine, expiry, table, near, later, written=False)  # the generation changed meanwhile
    # the next generation (the same worker kept the partition) runs it again from its marker, in two batches
    assert not batch(engine, expiry, table, near, generation=2)
    found = batch(engine, expiry, table, later, copy("0", 0, brute_force(6, 6, start=T0)), generation=2)
    assert len(found) == 1  # the brute force, as replay finds it
