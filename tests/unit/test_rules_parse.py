"""Native rule files: conditions (lists, wildcards, CIDR, comparisons, office hours) and load-time errors
that name the file, the rule and the field."""

from datetime import UTC, datetime

import pytest
import yaml

from datalek.rules import load_rules
from incidents.rules import RuleError, rule_from_dict
from incidents.rules.conditions import compile_condition
from incidents.rules.examples import event_from_fields
from incidents.rules.parse import _Where, condition

WHERE = _Where("t.yml", "t.rule")
AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # Friday 10:00 in Amsterdam


def matches(cond, at=AT, **fields):
    event = event_from_fields({"event.action": "x", **{k.replace("__", "."): v for k, v in fields.items()}}, at, "e")
    return compile_condition(condition(yaml.safe_load(cond), "match", WHERE))(event)


def test_a_list_of_values_matches_any_of_them_case_insensitively():
    assert matches("{event.action: [login, ssh_login]}", event__action="SSH_Login")
    assert not matches("{event.action: [login, ssh_login]}", event__action="logout")


def test_wildcards_and_string_modifiers():
    assert matches("{user.name: 'adm*'}", user__name="admin2")
    assert matches("{user.name: 'klant?'}", user__name="klant7") and not matches("{user.name: 'klant?'}",
                                                                               user__name="klant77")
    assert matches("{url.path|contains: export}", url__path="/api/v1/export/all")
    assert matches("{file.name|endswith: .csv}", file__name="klanten.CSV")
    assert not matches("{user.name|cased: Admin}", user__name="admin")


def test_cidr_and_numeric_comparisons():
    assert matches("{source.ip|cidr: 10.0.0.0/8}", source__ip="10.20.30.40")
    assert not matches("{source.ip|cidr: 10.0.0.0/8}", source__ip="203.0.113.7")
    assert matches("{datalek.records|gte: 100}", datalek__records=100)
    assert not matches("{datalek.records|gt: 100}", datalek__records="lots")


def test_list_valued_fields_match_on_any_element():
    assert matches("{event.category: authentication}", event__category=["session", "authentication"])


def test_any_all_not_and_exists():
    cond = "{any: [{user.name: a}, {user.name: b}], not: {event.outcome: failure}, source.ip|exists: true}"
    assert matches(cond, user__name="b", source__ip="1.2.3.4")
    assert not matches(cond, user__name="b", source__ip="1.2.3.4", event__outcome="failure")
    assert not matches(cond, user__name="b")


def test_office_hours_are_read_in_amsterdam_time():
    hours = "{outside_hours: {tz: Europe/Amsterdam, start: '07:00', end: '19:00'}}"
    assert not matches(hours)  # Friday 10:00 local
    assert matches(hours, at=datetime(2026, 11, 20, 18, 30, tzinfo=UTC))  # 19:30 local
    assert matches(hours, at=datetime(2026, 11, 21, 10, 0, tzinfo=UTC))  # Saturday


BASE = {"id": "t.rule", "title": "T", "breach_type": "integrity", "kind": "match", "match": {"event.action": "x"}}


@pytest.mark.parametrize(("change", "field", "problem"), [
    ({"kind": "often"}, "kind", "is not one of"),
    ({"breach_type": "privacy"}, "breach_type", "is not one of"),
    ({"title": ""}, "title", "required text is missing"),
    ({"window": "5 minutes"}, "window", "not a duration"),
    ({"colour": "red"}, "colour", "unknown key"),
    ({"match": {"source.ip|cidr": "10.0.0.300/8"}}, "match.source.ip|cidr", "invalid value"),
    ({"match": {"user.name|sounds_like": "x"}}, "match.user.name|sounds_like", "unknown or conflicting"),
    ({"kind": "count"}, "count", "needs a threshold"),
    ({"kind": "sequence"}, "match", "takes 'steps'"),
    ({"kind": "match", "steps": [{"match": {"a": 1}}, {"match": {"b": 2}}]}, "steps", "takes 'match'"),
    ({"match": {"outside_hours": {"tz": "Mars/Olympus"}}}, "match.outside_hours", "time zone"),
])
def test_invalid_rules_name_file_rule_and_field(change, field, problem):
    with pytest.raises(RuleError) as caught:
        rule_from_dict({**BASE, **change}, source="rules/t.yml")
    e = caught.value
    assert (e.source, e.rule, e.field) == ("rules/t.yml", "t.rule", field) and problem in e.problem
    assert str(e).startswith("rules/t.yml: rule 't.rule': ")


def test_a_yaml_syntax_error_names_the_file(tmp_path):
    (tmp_path / "bad.yml").write_text("id: [unclosed\n")
    with pytest.raises(RuleError, match="bad.yml"):
        load_rules([tmp_path], defaults=False)


def test_user_rules_load_beside_the_shipped_ones_and_may_not_reuse_their_ids(tmp_path):
    (tmp_path / "mine.yml").write_text(yaml.safe_dump({**BASE, "id": "mine.rule"}))
    assert "mine.rule" in {r.id for r in load_rules([tmp_path])}
    (tmp_path / "clash.yml").write_text(yaml.safe_dump({**BASE, "id": "auth.repeated_failures"}))
    from incidents.rules import Engine
    with pytest.raises(RuleError, match="duplicate rule id"):
        Engine(load_rules([tmp_path]))
