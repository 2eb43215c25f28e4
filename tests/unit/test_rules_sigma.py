"""Sigma rules load through pySigma, map onto the engine and fire; unsupported features are refused."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from datalek.rules import DEFAULT_RULES, load_rules
from incidents.rules import Engine, Kind, RuleError
from incidents.rules.examples import event_from_fields

SIGMA = DEFAULT_RULES / "examples" / "sigma"
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def engine():
    return Engine(load_rules([SIGMA], defaults=False))


def events(*specs):
    """(seconds after T0, fields) pairs as events."""
    return [event_from_fields(f, T0 + timedelta(seconds=s), f"e{n}") for n, (s, f) in enumerate(specs)]


def login(outcome, ip, user, action="login"):
    """A login attempt as ECS categorises it; ``ssh_login`` ones come from sshd."""
    ssh = {"process.name": "sshd"} if action == "ssh_login" else {}
    return {"event.category": ["authentication"], "event.type": ["start"], "event.action": action,
            "event.outcome": outcome, "source.ip": ip, "user.name": user, "datalek.asset": "klantportaal", **ssh}


def fired(engine, evs):
    return sorted(d.rule_id for d in engine.detect({}, evs))


def test_the_example_sigma_rules_map_to_the_engine_shapes(engine):
    kinds = {r.id: r.kind for r in engine.rules}
    assert kinds == {"sigma.ssh_brute_force": Kind.COUNT, "sigma.failures_then_success": Kind.SEQUENCE,
                     "sigma.password_spraying": Kind.DISTINCT, "sigma.grant_and_export": Kind.ALL,
                     "sigma.export_without_approval": Kind.ABSENCE}


def test_base_rules_behind_a_correlation_do_not_alert_on_their_own(engine):
    assert fired(engine, events((0, login("failure", "198.51.100.1", "a", "ssh_login")))) == []


def test_event_count_correlation_fires_at_the_threshold(engine):
    attempts = [(n, login("failure", "203.0.113.5", "root", "ssh_login")) for n in range(10)]
    assert fired(engine, events(*attempts)) == ["sigma.ssh_brute_force"]
    assert fired(engine, events(*attempts[:9])) == []


def test_side_notes_without_an_outcome_and_lockouts_are_not_attempts_or_logins(engine):
    failed = [(n * 2, login("failure", "203.0.113.6", "root", "ssh_login")) for n in range(9)]
    note = {k: v for k, v in failed[0][1].items() if k not in ("event.outcome", "event.action")}
    notes = [(n * 2 + 1, {**note, "event.type": ["info"]}) for n in range(9)]  # pam_unix(sshd:auth) beside each
    assert fired(engine, events(*failed, *notes)) == []
    failures = [(n * 10, login("failure", "192.0.2.10", "klant1")) for n in range(5)]
    lockout = (600, {**login("success", "192.0.2.10", "klant1"), "event.category": ["iam", "authentication"],
                     "event.type": ["user", "change"], "event.action": "user.account.lock"})
    assert fired(engine, events(*failures, lockout)) == []


def test_temporal_ordered_correlation_chained_on_event_count_fires_only_in_order(engine):
    failures = [(n * 10, login("failure", "192.0.2.9", "klant1")) for n in range(5)]
    success = (600, login("success", "192.0.2.9", "klant1"))
    assert fired(engine, events(*failures, success)) == ["sigma.failures_then_success"]
    assert fired(engine, events((0, success[1]), *[(s + 60, f) for s, f in failures])) == []
    internal = (600, login("success", "10.1.2.3", "klant1"))  # the filter in the base rule
    assert fired(engine, events(*[(s, {**f, "source.ip": "10.1.2.3"}) for s, f in failures], internal)) == []


def test_value_count_correlation_counts_distinct_accounts(engine):
    spray = [(n, login("failure", "198.51.100.77", f"klant{n}")) for n in range(10)]
    assert "sigma.password_spraying" in fired(engine, events(*spray))
    same = [(n, login("failure", "198.51.100.78", "klant1")) for n in range(10)]
    assert "sigma.password_spraying" not in fired(engine, events(*same))


def test_temporal_correlation_with_aliases_joins_different_fields(engine):
    grant = {"event.category": ["iam"], "event.type": ["group", "change"], "event.action": "role_member_added",
             "user.name": "admin", "user.target.name": "medewerker6"}
    export = {"event.category": "database", "event.type": "access", "user.name": "medewerker6",
              "datalek.records": 500}
    assert fired(engine, events((0, export), (600, grant))) == ["sigma.grant_and_export"]
    other = {**export, "user.name": "medewerker7"}
    assert fired(engine, events((0, other), (600, grant))) == []


def test_extended_temporal_condition_a_and_not_b(engine):
    export = {"event.category": ["database"], "event.type": ["access"], "user.name": "medewerker5",
              "datalek.records": 5000}
    approved = {"event.category": ["process"], "event.action": "export_approved", "user.name": "medewerker5"}
    assert fired(engine, events((0, export))) == ["sigma.export_without_approval"]
    assert fired(engine, events((0, approved), (3600, export))) == []


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "r.yml").write_text(text)
    return tmp_path


BASE = """title: Base
id: 11111111-1111-4111-8111-111111111111
name: base
status: experimental
logsource: {category: authentication}
detection:
  selection: {event.action: login}
  condition: selection
"""


@pytest.mark.parametrize(("extra", "problem"), [
    ("---\ntitle: C\nname: c\ncorrelation: {type: event_count, rules: [base], group-by: [user.name], "
     "timespan: 5m, condition: {lt: 3}}\n", "only gte, gt and eq"),
    ("---\ntitle: C\nname: c\ncorrelation: {type: value_sum, rules: [base], group-by: [user.name], "
     "timespan: 5m, condition: {gte: 3, field: bytes}}\n", "not supported"),
    ("---\ntitle: C\nname: c\ncorrelation: {type: event_count, rules: [nothere], group-by: [user.name], "
     "timespan: 5m, condition: {gte: 3}}\n", "unresolved"),
])
def test_unsupported_or_broken_sigma_correlations_are_refused(tmp_path, extra, problem):
    with pytest.raises(RuleError, match=problem) as caught:
        load_rules([write(tmp_path, BASE + extra)], defaults=False)
    assert "r.yml" in str(caught.value)


def test_an_invalid_sigma_rule_is_refused_naming_file_and_rule(tmp_path):
    broken = BASE.replace("condition: selection", "condition: selection and missing")
    with pytest.raises(RuleError) as caught:
        load_rules([write(tmp_path, broken)], defaults=False)
    assert "r.yml" in str(caught.value) and "sigma.base" in str(caught.value)


def test_field_reference_modifier_is_refused_rather_than_weakened(tmp_path):
    ref = BASE.replace("selection: {event.action: login}", "selection: {user.name|fieldref: user.target.name}")
    with pytest.raises(RuleError, match="unsupported"):
        load_rules([write(tmp_path, ref)], defaults=False)


def test_a_standalone_sigma_rule_fires_on_each_match(tmp_path):
    [rule] = load_rules([write(tmp_path, BASE)], defaults=False)
    assert rule.kind is Kind.MATCH
    assert len(Engine([rule]).detect({}, events((0, login("success", "1.2.3.4", "a"))))) == 1


def test_a_correlation_may_reference_a_rule_in_another_file(tmp_path):
    (tmp_path / "base.yml").write_text(BASE)
    (tmp_path / "corr.yml").write_text("title: C\nname: c\ncorrelation: {type: event_count, rules: [base], "
                                       "group-by: [user.name], timespan: 5m, condition: {gte: 2}}\n")
    [rule] = load_rules([tmp_path], defaults=False)
    assert rule.id == "sigma.c" and rule.source.endswith("corr.yml")
