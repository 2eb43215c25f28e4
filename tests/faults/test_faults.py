"""The fault suite: the stream gives replay's incidents and detections, exactly, whatever happens around it.

Each case starts `datalek run` on fresh topics and a fresh PostgreSQL database, produces the seeded stream
(tests/faults/stream.py, 30,000 events in 300 messages at 40 messages/s) to the suite's own Apache Kafka
broker, injects its fault from a second thread, waits until the worker has committed everything, then
compares the database with `datalek replay` of the same file. Every case prints a row: expected/found,
missing, extra and duplicated incidents and detections, recovery seconds (fault over -> caught up).
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.faults import harness
from tests.faults.harness import Case

pytestmark = [pytest.mark.faults, pytest.mark.kafka, pytest.mark.postgres]
MESSAGES = 300  # of the default stream


def no_fault(case: Case) -> None:
    pass


def kill_while_events_arrive(case: Case) -> None:
    """kill -9 a third into the stream (an uncommitted range of up to a commit interval), restart 3 s later."""
    case.wait_produced(MESSAGES // 3)
    case.worker.kill()
    case.wait_produced(MESSAGES // 3 + 75)
    started = time.monotonic()
    case.worker.start()
    case.measure_recovery(started)


def kill_after_a_detection(case: Case) -> None:
    """kill -9 the moment a new detection reaches its topic: state and detections written, offsets not
    yet committed (Faust commits every 2.8 s); restart at once."""
    case.wait_produced(MESSAGES // 2)
    seen = case.end_offsets("detections")
    deadline = time.monotonic() + 60
    while case.end_offsets("detections") == seen and time.monotonic() < deadline:
        time.sleep(0.05)
    case.worker.kill()
    started = time.monotonic()
    case.worker.start()
    case.measure_recovery(started)


def kill_twice_during_recovery(case: Case) -> None:
    """kill -9 two-thirds in, restart, and kill -9 again as soon as it is ready (while it re-runs)."""
    case.wait_produced(2 * MESSAGES // 3)
    case.worker.kill()
    case.worker.start()
    case.worker.kill()
    started = time.monotonic()
    case.worker.start()
    case.measure_recovery(started)


def broker_restarted(case: Case) -> None:
    """The broker stopped (SIGTERM) and started again on its data, halfway; the producer waits meanwhile."""
    case.wait_produced(MESSAGES // 2)
    case.hold.set()
    case.broker.restart()
    started = time.monotonic()
    case.hold.clear()
    case.measure_recovery(started)


def broker_paused(case: Case) -> None:
    """The broker frozen (SIGSTOP) for 20 s halfway: longer than the worker's session timeout."""
    case.wait_produced(MESSAGES // 2)
    case.hold.set()
    case.broker.signal(signal.SIGSTOP)
    try:
        time.sleep(20)
    finally:
        case.broker.signal(signal.SIGCONT)
    started = time.monotonic()
    case.hold.clear()
    case.measure_recovery(started)


OUTAGE = 30  # seconds the database is away


def postgres_stopped(case: Case) -> None:
    """The database gone for 30 s a third into the stream: connections reset, new ones refused."""
    case.wait_produced(MESSAGES // 3)
    assert case.proxy is not None
    case.proxy.stop()
    time.sleep(OUTAGE)
    case.proxy.resume()
    case.measure_recovery(time.monotonic())


def postgres_paused(case: Case) -> None:
    """The database frozen for 30 s (bytes held, as SIGSTOP of the server would): no errors, no answers."""
    case.wait_produced(MESSAGES // 3)
    assert case.proxy is not None
    case.proxy.pause()
    time.sleep(OUTAGE)
    case.proxy.resume()
    case.measure_recovery(time.monotonic())


NESTED = b"[" * 200_000 + b"]" * 200_000  # valid JSON, deeper than any decoder's recursion limit
OVERSIZED = os.urandom(900_000)  # not UTF-8 nor JSON; as text with escapes its dead letter exceeds 1 MB
BAD = {40: NESTED, 41: OVERSIZED, 150: b'{"events": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}", 151: OVERSIZED}

CASES = [
    pytest.param(no_fault, None, id="no fault"),
    pytest.param(kill_while_events_arrive, None, id="kill -9 while events arrive"),
    pytest.param(kill_after_a_detection, None, id="kill -9 after a detection"),
    pytest.param(kill_twice_during_recovery, None, id="kill -9 twice, during recovery"),
    pytest.param(broker_restarted, None, id="broker restarted, data kept"),
    pytest.param(broker_paused, None, id="broker paused 20 s"),
    pytest.param(no_fault, BAD, id="nested and oversized messages"),
]


@pytest.mark.parametrize(("scenario", "bad"), CASES)
def test_the_stream_gives_exactly_the_replayed_incidents(case, fault_stream, scenario, bad):
    path, truth = fault_stream
    case.run(harness.messages(path, bad=bad), scenario)
    settled = case.settle()
    row = harness.compare(case, truth, settled=settled)
    assert harness.exact(row), f"{harness.table([row])}\n{case.logs()}"


@pytest.mark.parametrize("scenario", [
    pytest.param(kill_while_events_arrive, id="kill -9 while events arrive"),
    pytest.param(kill_after_a_detection, id="kill -9 after a detection"),
])
def test_the_embedded_broker_gives_them_too_through_kills(tansu_broker, case, fault_stream, scenario):
    path, truth = fault_stream
    case.run(harness.messages(path), scenario)
    row = harness.compare(case, truth, settled=case.settle())
    assert harness.exact(row), f"{harness.table([row])}\n{case.logs()}"


@pytest.mark.parametrize("scenario", [
    pytest.param(postgres_stopped, id="PostgreSQL stopped 30 s"),
    pytest.param(postgres_paused, id="PostgreSQL paused 30 s"),
])
def test_a_database_outage_delays_the_incidents_and_loses_none(db_proxy, case, fault_stream, scenario):
    path, truth = fault_stream
    case.run(harness.messages(path), scenario)
    row = harness.compare(case, truth, settled=case.settle())
    assert harness.exact(row), f"{harness.table([row])}\n{case.logs()}"


def second_worker_joins(case: Case) -> None:
    """A second worker joins a third into the stream: partitions, and the rule state with them, move."""
    case.wait_produced(MESSAGES // 3)
    started = time.monotonic()
    case.add_worker()
    case.measure_recovery(started)


def one_of_two_killed(case: Case) -> None:
    """Two workers from the start; kill -9 the second halfway: its partitions and state move to the first."""
    case.add_worker()
    case.wait_produced(MESSAGES // 2)
    case.others[0].kill()
    started = time.monotonic()
    case.measure_recovery(started)


def one_of_two_frozen(case: Case) -> None:
    """Two workers; the second frozen (SIGSTOP) for 30 s, past the session timeout, while its batches run: the
    first takes its partitions and runs them on; the second wakes with a batch in hand, its partitions gone.
    Then the first is killed and started again, so the rule state comes back from the changelog both wrote."""
    other = case.add_worker()
    case.wait_produced(MESSAGES // 2)
    other.freeze()
    time.sleep(OUTAGE)
    other.thaw()
    case.measure_recovery(time.monotonic())
    case.worker.kill()
    case.worker.start()


@pytest.mark.partitions(4)
@pytest.mark.parametrize("scenario", [
    pytest.param(no_fault, id="4 partitions, one worker"),
    pytest.param(second_worker_joins, id="4 partitions, a second worker joins"),
    pytest.param(one_of_two_killed, id="4 partitions, one of two workers killed"),
])
def test_several_partitions_and_workers_give_them_too(case, fault_stream, scenario):
    """Keyed by asset as `datalek ingest` sends them; the route stage puts each group's events on the
    partition of its state (streams.route), so workers joining and dying move state, never split it."""
    path, truth = fault_stream
    case.run(harness.keyed_messages(path), scenario)
    row = harness.compare(case, truth, settled=case.settle())
    assert harness.exact(row), f"{harness.table([row])}\n{case.logs()}"


def older_states_written_late(case: Case) -> None:
    """What a frozen worker's late write can leave, made certain: three times (with 12, 24 and 34 of the 41
    detections sent), older records of the rule-state keys (the first state of a key, or its deletion) are
    written again at the end of the changelog, without a marker, and the worker is killed and restarted, so
    it recovers from that changelog (streams/fence.py). Without the fence an attack counted in part when it
    happens loses that part. The stream comes at 8 messages a second, so that the worker, once it caught
    up, runs small batches and a key has many records (at 40 a second it runs the backlog in a few large
    batches, and the injection lost a detection without the fence in one of four runs)."""
    case.rate = 8
    for sent in (12, 24, 34):
        deadline = time.monotonic() + 120
        while case.end_offsets("detections") < sent and time.monotonic() < deadline:
            time.sleep(0.05)
        written = case.write_older_states_again()
        assert written, "no rule-state record to write again"
        case.worker.kill()
        started = time.monotonic()
        case.worker.start()
    case.measure_recovery(started)


@pytest.mark.partitions(4)
@pytest.mark.parametrize("scenario", [
    pytest.param(one_of_two_frozen, id="4 partitions, one of two frozen 30 s, the other restarted"),
    pytest.param(older_states_written_late, id="4 partitions, older states written again, then a restart"),
])
def test_a_worker_frozen_past_its_session_timeout_comes_back_and_changes_nothing(case, fault_stream, scenario):
    """The frozen worker wakes with a batch in hand and its partitions gone: what it writes then must not
    change what the other recovers from the changelog, and it must rejoin, not crash (it did: Faust's
    recovery sought to offset -2, streams/recovery_fix.py)."""
    path, truth = fault_stream
    case.run(harness.keyed_messages(path), scenario)
    row = harness.compare(case, truth, settled=case.settle())
    assert harness.exact(row), f"{harness.table([row])}\n{case.logs()}"
    for frozen in case.others:
        assert frozen.alive, f"the frozen worker did not come back:\n{frozen.errors()}"


@pytest.mark.partitions(4, standby=0)
@pytest.mark.parametrize("scenario", [
    pytest.param(one_of_two_killed, id="4 partitions, one of two killed, no standby copy"),
])
def test_a_takeover_without_a_standby_copy_gives_them_too(case, fault_stream, scenario):
    """The survivor has no copy of the dead worker's state: it reads the changelog from its start. This case
    lost detections until the agent stopped acking by-key messages it had discarded (tests/faults/README.md)."""
    path, truth = fault_stream
    case.run(harness.keyed_messages(path), scenario)
    row = harness.compare(case, truth, settled=case.settle())
    assert harness.exact(row), f"{harness.table([row])}\n{case.logs()}"
