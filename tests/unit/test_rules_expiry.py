"""Rule-state keys expire when their windows have passed: bounded memory, the same detections."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from datalek.replay import ReplayOptions, _events
from datalek.rules import load_rules
from incidents.rules import Engine, rule_from_dict
from incidents.rules.examples import event_from_fields
from incidents.rules.expiry import ExpiringStates, Expiry, horizon, newest
from tests.datasets import LOGHUB_OPENSSH

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
FAIL = {"event.category": ["authentication"], "event.outcome": "failure", "datalek.asset": "portal"}


def brute(**overrides):
    doc = {"id": "t.brute", "title": "Brute force", "breach_type": "confidentiality", "kind": "count",
           "count": 3, "window": "5m", "lateness": "5m", "suppress": "10m", "group_by": ["source.ip"],
           "match": {"event.category": "authentication", "event.outcome": "failure"}, **overrides}
    return rule_from_dict(doc, source="test.yml")


def fail(n, at, ip):
    return event_from_fields({**FAIL, "source.ip": ip}, at, f"e{n}")


def run(engine, states, events, batch=50):
    found = []
    for start in range(0, len(events), batch):
        chunk = events[start:start + batch]
        found += engine.detect(states, chunk)
        if isinstance(states, ExpiringStates):
            states.advance(max(int(e.timestamp.timestamp()) for e in chunk))
    return found


def test_the_horizon_covers_window_lateness_suppression_and_a_baseline_history():
    assert horizon(brute()) == 300 + 300 + 600
    baseline = rule_from_dict({
        "id": "t.volume", "title": "Volume", "breach_type": "confidentiality", "kind": "baseline",
        "window": "1h", "lateness": "5m", "suppress": "0s", "group_by": ["user.name"], "sum": "n",
        "baseline": {"history": 24, "factor": 5, "min_volume": 100}, "match": {"event.action": "export"}},
        source="test.yml")
    assert horizon(baseline) == 25 * 3600 + 300


def test_newest_reads_every_shape_of_state():
    assert newest({"w": [[100, 2, [], []], [400, 1, [], []]], "f": 100}) == 400
    assert newest({"s": [[[50, "a", None]], [[70, "b", None]]]}) == 70
    assert newest({"b": [[3600, 5.0, []]]}) == 3600 and newest({"b": 99}) == 99
    assert newest({"l": [1234, 52.1, 4.3, "e1"]}) == 1234
    assert newest({}) is None and newest(None) is None and newest({"applied": {"0": 3}}) is None


def test_keys_are_due_only_after_the_horizon_and_one_more_lateness():
    expiry = Expiry([brute()])
    expiry.file("t.brute|portal|source.ip=a", {"w": [[1000, 1, ["e1"], []]]})
    expiry.file("@source|0", {"0": 5})  # not a rule's state: never filed
    assert len(expiry) == 1
    due_at = 1000 + 1200 + 300
    assert expiry.due(due_at) == []
    assert expiry.due(due_at + 60) == ["t.brute|portal|source.ip=a"] and len(expiry) == 0


def test_a_state_written_again_is_refiled_under_its_new_time():
    expiry = Expiry([brute()])
    expiry.file("t.brute|-|x", {"w": [[0, 1, [], []]]})
    expiry.file("t.brute|-|x", {"w": [[0, 1, [], []], [6000, 1, [], []]]})
    assert expiry.due(3000) == [] and expiry.due(6000 + 1500 + 60) == ["t.brute|-|x"]


def test_many_one_off_sources_leave_no_state_behind_and_a_real_attack_still_fires():
    """Ten hours of scanners (3,000 sources, two failures each: near misses) then one brute force."""
    engine = Engine([brute()])
    noise = [fail(n, T0 + timedelta(seconds=12 * n), f"198.51.{n // 250}.{n % 250}") for n in range(3000)]
    noise = [e for pair in zip(noise, noise, strict=True) for e in pair]
    attack = [fail(10_000 + n, T0 + timedelta(hours=10, seconds=5 * n), "203.0.113.7") for n in range(4)]
    plain, expiring = {}, ExpiringStates(engine.rules)
    assert run(engine, plain, noise + attack) == run(engine, expiring, noise + attack)
    assert [d.entity for d in run(Engine([brute()]), {}, noise + attack)] == ["source.ip=203.0.113.7"]
    assert len(plain) == 3001
    assert len(expiring) <= 1 + 1500 // 12  # the attack's key and the sources still within the horizon


def test_an_event_late_within_the_bound_still_finds_its_state():
    engine = Engine([brute(suppress="0s")])
    states = ExpiringStates(engine.rules)
    run(engine, states, [fail(0, T0, "203.0.113.7"), fail(1, T0 + timedelta(seconds=10), "203.0.113.7")])
    states.advance(int((T0 + timedelta(minutes=12)).timestamp()))  # another group moved stream time on
    [d] = engine.detect(states, [fail(2, T0 + timedelta(seconds=20), "203.0.113.7")])  # 12 minutes late
    assert d.count == 3 and d.event_ids == ("e0", "e1", "e2")


@pytest.mark.skipif(not LOGHUB_OPENSSH.exists(), reason="loghub dataset not available")
def test_real_auth_log_gives_the_same_detections_with_far_fewer_states():
    options = ReplayOptions(fmt="openssh", year=2026)
    events = list(_events(LOGHUB_OPENSSH, options, Counter(), Counter()))
    engine = Engine(load_rules(()))
    plain, expiring = {}, ExpiringStates(engine.rules)
    expected = [d.key for d in run(engine, plain, events, batch=100)]
    assert [d.key for d in run(engine, expiring, events, batch=100)] == expected and len(expected) >= 8
    assert len(expiring) < len(plain) / 2
