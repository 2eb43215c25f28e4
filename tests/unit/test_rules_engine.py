"""The rule engine: event-time windows, lateness, suppression, compact JSON state, batch invariance."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from incidents.rules import Engine, RuleError, rule_from_dict
from incidents.rules.conditions import required_values
from incidents.rules.examples import event_from_fields

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
FAIL = {"event.category": ["authentication"], "event.action": "login", "event.outcome": "failure",
        "datalek.asset": "portal"}


def rule(**overrides):
    doc = {"id": "t.brute", "title": "Brute force", "breach_type": "confidentiality", "kind": "count",
           "count": 3, "window": "5m", "lateness": "5m", "suppress": "0s", "group_by": ["source.ip"],
           "match": {"event.category": "authentication", "event.outcome": "failure"}, **overrides}
    return rule_from_dict(doc, source="test.yml")


def ev(n, *, at, **fields):
    return event_from_fields({**FAIL, "source.ip": "203.0.113.7", **fields}, at, f"e{n}")


def failures(count, *, start=T0, step=timedelta(seconds=10), **fields):
    return [ev(n, at=start + n * step, **fields) for n in range(count)]


def test_threshold_failures_from_one_source_in_a_window_fire_once_with_the_evidence():
    [d] = Engine([rule()]).detect({}, failures(6))
    assert d.entity == "source.ip=203.0.113.7" and d.asset == "portal" and d.count == 3
    assert d.event_ids == ("e0", "e1", "e2")
    assert d.key == f"t.brute|portal|source.ip=203.0.113.7|{int(T0.timestamp())}"
    assert d.window_end - d.window_start == timedelta(minutes=5)


def test_failures_below_threshold_or_spread_over_windows_do_not_fire():
    assert Engine([rule()]).detect({}, failures(2)) == []
    assert Engine([rule()]).detect({}, failures(5, step=timedelta(minutes=6))) == []


def test_successes_and_other_categories_are_not_counted():
    events = failures(5, **{"event.outcome": "success"}) + failures(5, **{"event.category": ["web"]})
    assert Engine([rule()]).detect({}, events) == []


def test_events_without_the_group_field_are_skipped():
    events = [event_from_fields(FAIL, T0 + timedelta(seconds=n), f"e{n}") for n in range(5)]
    assert Engine([rule()]).detect({}, events) == []


def test_state_carried_between_batches_gives_the_same_result_as_one_batch():
    events = failures(12, step=timedelta(minutes=1))
    states: dict = {}
    engine = Engine([rule()])
    split = [d for n in range(0, 12, 5) for d in engine.detect(states, events[n:n + 5])]
    assert split == Engine([rule()]).detect({}, events) and len(split) == 2


def test_state_is_plain_json_with_string_keys():
    states: dict = {}
    Engine([rule()]).detect(states, failures(6))
    assert json.loads(json.dumps(states)) == states
    assert all(isinstance(k, str) for k in states)


def test_state_survives_a_json_round_trip_between_batches():
    engine, events = Engine([rule()]), failures(3)
    states: dict = {}
    engine.detect(states, events[:2])
    restored = json.loads(json.dumps(states))  # as the Faust changelog would give it back
    assert [d.key for d in engine.detect(restored, events[2:])] == [d.key for d in Engine([rule()]).detect({}, events)]


def test_an_event_later_than_the_allowed_lateness_is_ignored():
    states: dict = {}
    engine = Engine([rule()])
    engine.detect(states, failures(2, start=T0 + timedelta(hours=1)))
    assert engine.detect(states, failures(3)) == []


def test_an_event_within_the_allowed_lateness_still_counts():
    states: dict = {}
    engine = Engine([rule()])
    engine.detect(states, failures(1, start=T0 + timedelta(minutes=6)))
    assert len(engine.detect(states, failures(3))) == 1


def test_old_windows_are_pruned_to_keep_state_compact():
    states: dict = {}
    Engine([rule()]).detect(states, failures(50, step=timedelta(minutes=5)))
    [state] = states.values()
    assert len(state["w"]) <= 3


def test_suppression_keeps_a_group_quiet_for_the_configured_time():
    events = failures(36, step=timedelta(seconds=100))  # 3 per 5-minute window for an hour
    assert len(Engine([rule()]).detect({}, events)) == 12
    assert len(Engine([rule(suppress="30m")]).detect({}, events)) == 2


def test_detection_keys_are_stable_across_replays():
    events = failures(4)
    assert [d.key for d in Engine([rule()]).detect({}, events)] == [d.key for d in Engine([rule()]).detect({}, events)]


def test_events_no_rule_can_match_are_filtered_before_any_condition_runs():
    engine = Engine([rule(match={"event.category": "authentication", "event.outcome": "failure"})])
    assert engine.candidates(ev(1, at=T0, **{"event.category": ["web"], "event.action": "page_view"})) == []
    assert engine.candidates(ev(1, at=T0, **{"event.outcome": "success"})) == []
    assert engine.candidates(ev(1, at=T0, **{"event.category": [], "event.outcome": "failure"})) == []
    assert len(engine.candidates(ev(1, at=T0, **{"event.category": ["Authentication"]}))) == 1
    assert len(engine.candidates(ev(1, at=T0, **{"event.category": ["iam", "authentication"]}))) == 1
    assert len(engine.candidates(ev(1, at=T0, **{"event.category": "authentication"}))) == 1


def test_the_pre_filter_keys_on_categorisation_not_on_the_action():
    engine = Engine([rule(match={"event.category": "authentication", "event.outcome": "failure"})])
    no_action = {k: v for k, v in FAIL.items() if k != "event.action"}
    for fields in (no_action, {**FAIL, "event.action": ""}, {**FAIL, "event.action": "logon-failed"}):
        events = [event_from_fields({**fields, "source.ip": "203.0.113.7"}, T0 + timedelta(seconds=n), f"e{n}")
                  for n in range(3)]
        assert len(Engine([rule()]).detect({}, events)) == 1
        assert len(engine.candidates(events[0])) == 1


def test_a_step_needing_two_categories_is_a_candidate_for_an_event_with_both():
    both = rule(match={"event.category": "iam", "all": [{"event.category": ["authentication", "session"]}]})
    engine = Engine([both])
    assert len(engine.candidates(ev(1, at=T0, **{"event.category": ["iam", "authentication"]}))) == 1
    assert engine.candidates(ev(1, at=T0, **{"event.category": ["authentication"]})) == []
    assert len(Engine([both]).detect({}, failures(3, **{"event.category": ["authentication", "iam"]}))) == 1


def test_the_kind_is_indexed_and_odd_values_never_break_the_pre_filter():
    alerts = Engine([rule(match={"event.kind": ["alert", "signal"], "event.category": "malware"})])
    assert alerts.candidates(ev(1, at=T0, **{"event.category": "malware", "event.kind": "event"})) == []
    assert alerts.candidates(ev(1, at=T0, **{"event.category": "malware"})) == []
    assert len(alerts.candidates(ev(1, at=T0, **{"event.category": "malware", "event.kind": "ALERT"}))) == 1
    assert len(alerts.candidates(ev(1, at=T0, **{"event.category": "malware", "event.kind": ["alert"]}))) == 1
    assert len(alerts.candidates(ev(1, at=T0, **{"event.category": ["malware", 7],
                                                  "event.kind": ["alert", {"y": 2}]}))) == 1


def test_rules_without_categorisation_conditions_see_every_event():
    by_action = Engine([rule(match={"event.action": ["login", "ssh_login"], "event.outcome": "failure"})])
    assert len(by_action.candidates(ev(1, at=T0, **{"event.category": ["web"]}))) == 1
    wildcard = Engine([rule(match={"event.category": "auth*"})])
    assert len(wildcard.candidates(ev(1, at=T0))) == 1
    negated = Engine([rule(match={"not": {"event.category": "web"}})])
    assert len(negated.candidates(ev(1, at=T0, **{"event.category": ["web"]}))) == 1


def test_distinct_counts_values_and_keeps_only_hashes_in_state():
    spray = rule(kind="distinct", distinct="user.name")
    states: dict = {}
    events = [ev(n, at=T0 + timedelta(seconds=n), **{"user.name": f"klant{n % 2}"}) for n in range(10)]
    assert Engine([spray]).detect(states, events) == []
    assert "klant0" not in json.dumps(states)
    more = [ev(20, at=T0 + timedelta(seconds=30), **{"user.name": "klant9"})]
    assert len(Engine([spray]).detect(states, more)) == 1


def test_a_sum_counts_the_reported_volume():
    deletes = rule(count=500, sum="datalek.records")
    events = [ev(n, at=T0 + timedelta(seconds=n), **{"datalek.records": 200}) for n in range(3)]
    [d] = Engine([deletes]).detect({}, events)
    assert d.count == 600


def sequence_rule():
    return rule_from_dict({"id": "t.seq", "title": "Seq", "breach_type": "confidentiality", "kind": "sequence",
                           "window": "30m", "group_by": ["source.ip"], "steps": [
                               {"match": {"event.outcome": "failure"}, "count": 3},
                               {"match": {"event.outcome": "success"}}]})


def test_a_sequence_fires_only_in_order():
    success = ev(9, at=T0 + timedelta(minutes=5), **{"event.outcome": "success"})
    assert len(Engine([sequence_rule()]).detect({}, failures(3) + [success])) == 1
    early = ev(9, at=T0 - timedelta(minutes=5), **{"event.outcome": "success"})
    assert Engine([sequence_rule()]).detect({}, [early, *failures(3)]) == []


def test_a_late_earlier_step_completes_a_sequence_already_under_way():
    success = ev(9, at=T0 + timedelta(minutes=5), **{"event.outcome": "success"})
    first, second, late = failures(3)
    [d] = Engine([sequence_rule()]).detect({}, [first, second, success, late])
    assert set(d.event_ids) == {"e0", "e1", "e2", "e9"}


def test_a_later_step_alone_leaves_no_state_behind():
    states: dict = {}
    Engine([sequence_rule()]).detect(states, [ev(9, at=T0, **{"event.outcome": "success"})])
    assert states == {}


def test_duplicate_rule_ids_are_refused_naming_both_files():
    with pytest.raises(RuleError, match="duplicate rule id"):
        Engine([rule(), rule()])


def test_required_values_are_a_necessary_condition_for_list_valued_fields():
    def need(match, name="event.category"):
        return required_values(rule(match=match).steps[0].condition, name)

    assert need({"event.category": ["Database", "file"]}) == {"database", "file"}
    assert need({"event.category": "iam", "all": [{"event.category": ["authentication", "session"]}]}) == {"iam"}
    assert need({"any": [{"event.category": "web"}, {"event.category": "file"}]}) == {"web", "file"}
    assert need({"any": [{"event.category": "web"}, {"event.action": "x"}]}) is None
    assert need({"not": {"event.category": "web"}}) is None
    assert need({"event.category|contains": "auth"}) is None
    assert need({"event.kind": "alert", "event.category": "malware"}, "event.kind") == {"alert"}
