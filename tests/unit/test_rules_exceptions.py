"""Exceptions (incidents.rules.exceptions): reviewed events taken out of named rules, on event time, with a
reason and an owner; a mistake in one is an error at load, never an exception that silently takes out
nothing or everything."""

from __future__ import annotations

from datetime import timedelta

import pytest

from datalek.rules import load_rules
from incidents.rules import Engine, RuleError
from incidents.rules.exceptions import apply_exceptions, exceptions_from_dict
from tests.unit.test_rules_engine import T0, failures, rule

SCANNER = "198.51.100.200"  # the vulnerability scanner, whose login checks fail by design


def excepting(**entry):
    return exceptions_from_dict({"exceptions": [{"rules": ["t.brute"], "match": {"source.ip": SCANNER},
                                                 "reason": "weekly authenticated scan", "owner": "soc", **entry}]},
                                source="exceptions.yml")


def test_the_excepted_events_do_not_count_and_the_others_still_do():
    [brute] = apply_exceptions([rule()], excepting())
    engine = Engine([brute])
    assert engine.detect({}, failures(6, **{"source.ip": SCANNER})) == []
    assert len(engine.detect({}, failures(6))) == 1  # another source: the rule as before


def test_until_is_event_time_so_a_replay_gives_what_the_stream_gave():
    until = (T0 + timedelta(days=1)).date()
    [brute] = apply_exceptions([rule()], excepting(until=until.isoformat()))
    assert Engine([brute]).detect({}, failures(6, **{"source.ip": SCANNER})) == []
    later = failures(6, start=T0 + timedelta(days=2), **{"source.ip": SCANNER})
    assert len(Engine([brute]).detect({}, later)) == 1  # from ``until`` on the scanner counts again


@pytest.mark.parametrize(("entry", "problem"), [
    ({"reason": ""}, "reason: required"),
    ({"owner": None}, "owner: required"),
    ({"rules": "*"}, "no wildcard"),
    ({"rules": []}, "expected a rule id"),
    ({"match": {}}, "expected a mapping of field: value"),
    ({"until": "next spring"}, "expected a date"),
    ({"ticket": "CHG-1"}, "unknown key"),
])
def test_a_mistake_in_an_exception_is_an_error_that_names_it(entry, problem):
    with pytest.raises(RuleError, match=problem):
        excepting(**entry)


def test_an_exception_for_a_rule_that_is_not_loaded_is_an_error():
    with pytest.raises(RuleError, match="not loaded: t.brute"):
        apply_exceptions([rule(id="t.other")], excepting())


def test_exceptions_live_in_a_rules_folder_beside_rules(tmp_path):
    (tmp_path / "scan.yml").write_text(
        "exceptions:\n"
        "  - rules: [auth.repeated_failures, auth.password_spraying]\n"
        f"    match: {{source.ip: {SCANNER}}}\n"
        "    reason: weekly authenticated scan\n"
        "    owner: soc@24online.nl\n", encoding="utf-8")
    loaded = {r.id: r for r in load_rules([tmp_path])}
    shipped = {r.id: r for r in load_rules()}
    assert loaded.keys() == shipped.keys()
    changed = {i for i in loaded if loaded[i] != shipped[i]}
    assert changed == {"auth.repeated_failures", "auth.password_spraying"}
    events = failures(12, **{"source.ip": SCANNER, "datalek.asset": "klantportaal"})
    assert [d.rule_id for d in Engine(list(shipped.values())).detect({}, events)] == ["auth.repeated_failures"]
    assert Engine(list(loaded.values())).detect({}, events) == []
    from datalek.cli import _excepted  # what `datalek run` says at start

    assert _excepted(tuple(loaded.values())) == (", 2 with reviewed exceptions (auth.repeated_failures, "
                                                 "auth.password_spraying)")
    assert _excepted(tuple(shipped.values())) == ""
