from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from incidents.detection import RepeatedAuthFailures, detect, observe
from incidents.security_event import Outcome, SecurityEvent

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
RULE = RepeatedAuthFailures(threshold=3, window=timedelta(minutes=5), allowed_lateness=timedelta(minutes=5))


def failure(n: int, *, at: datetime, ip: str = "203.0.113.7", user: str | None = None,
            outcome: Outcome = Outcome.FAILURE, category: str = "authentication") -> SecurityEvent:
    fields = {"source.ip": ip, **({"user.name": user} if user else {})}
    return SecurityEvent(id=f"e{n}", timestamp=at, categories=frozenset({category}), action="login",
                         outcome=outcome, source_ip=ip, user=user, asset="portal",
                         fields=MappingProxyType(fields))


def test_threshold_failures_from_one_source_in_a_window_fire_once():
    events = [failure(n, at=T0 + timedelta(seconds=10 * n)) for n in range(6)]
    found = detect(RULE, {}, events)
    assert [d.entity for d in found] == ["source.ip=203.0.113.7"]
    assert found[0].event_ids == ("e0", "e1", "e2")
    assert found[0].asset == "portal"


def test_failures_below_threshold_do_not_fire():
    assert detect(RULE, {}, [failure(n, at=T0 + timedelta(seconds=n)) for n in range(2)]) == []


def test_successes_and_other_categories_are_not_counted():
    events = [failure(n, at=T0, outcome=Outcome.SUCCESS) for n in range(5)]
    events += [failure(n, at=T0, category="web") for n in range(5, 10)]
    assert detect(RULE, {}, events) == []


def test_failures_against_one_account_from_many_sources_fire_for_the_account():
    events = [failure(n, at=T0 + timedelta(seconds=n), ip=f"198.51.100.{n}", user="klant2001") for n in range(3)]
    assert [d.entity for d in detect(RULE, {}, events)] == ["user.name=klant2001"]


def test_windows_are_event_time_so_spread_out_failures_do_not_fire():
    events = [failure(n, at=T0 + timedelta(minutes=6 * n)) for n in range(5)]
    assert detect(RULE, {}, events) == []


def test_detection_key_is_stable_across_replays():
    events = [failure(n, at=T0 + timedelta(seconds=n)) for n in range(4)]
    assert [d.key for d in detect(RULE, {}, events)] == [d.key for d in detect(RULE, {}, events)]


def test_state_carried_between_batches_gives_the_same_result_as_one_batch():
    events = [failure(n, at=T0 + timedelta(seconds=n)) for n in range(5)]
    states: dict = {}
    split = detect(RULE, states, events[:2]) + detect(RULE, states, events[2:])
    assert split == detect(RULE, {}, events)


def test_event_later_than_allowed_lateness_is_ignored():
    group = next(RULE.groups(failure(0, at=T0)))
    state: tuple = ()
    for n in range(2):
        state, _ = observe(RULE, state, failure(n, at=T0 + timedelta(hours=1)), group)
    state, fired = observe(RULE, state, failure(9, at=T0), group)
    assert fired is None
    assert all(start >= int((T0 + timedelta(minutes=50)).timestamp()) for start, _, _ in state)


def test_old_windows_are_pruned_to_keep_state_compact():
    group = next(RULE.groups(failure(0, at=T0)))
    state: tuple = ()
    for n in range(50):
        state, _ = observe(RULE, state, failure(n, at=T0 + timedelta(minutes=5 * n)), group)
    assert len(state) <= 3
