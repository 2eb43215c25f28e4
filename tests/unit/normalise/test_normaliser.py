"""The normaliser's own rules: fill only what is missing, keep and report what is not ECS, idempotent, and
users' mapping folders (settings, composition root, replay)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from datalek.bootstrap import Container
from datalek.replay import ReplayError, ReplayOptions, run
from datalek.settings import DetectionSettings, Settings
from streams import schema
from streams.normalise import MappingError, default_normaliser, load_normaliser
from streams.parsers import FORMATS, ParseContext, Parsed

T = "2026-11-20T23:40:00Z"


def parse_ecs(document: dict, **context) -> Parsed:
    [result] = FORMATS["ecs"]([json.dumps(document)], context=ParseContext(source="t", **context))
    assert isinstance(result, Parsed), result
    return result


@pytest.mark.parametrize("outcome, expected", [("FAILURE", "failure"), ("Success", "success"),
                                               (" failure ", "failure"), ("UNKNOWN", "unknown")])
def test_outcomes_are_lower_cased(outcome, expected):
    assert parse_ecs({"@timestamp": T, "event": {"outcome": outcome}}).event["event.outcome"] == expected
    assert schema.to_event({"@timestamp": T, "event": {"outcome": outcome}}).outcome.value == expected


def test_invalid_kind_is_kept_with_a_note():
    result = parse_ecs({"@timestamp": T, "event": {"kind": "Finding", "category": "Malware"}})
    assert (result.event["event.kind"], result.event["event.category"]) == ("finding", ["malware"])
    assert result.notes == ("event.kind: 'finding' is not an ECS kind (kept)",)


def test_outcome_outside_ecs_is_moved_to_the_original_and_reported():
    result = parse_ecs({"@timestamp": T, "event": {"action": "export", "outcome": "deny"}})
    assert "event.outcome" not in result.event and result.event["datalek.original.outcome"] == "deny"
    assert result.notes == ("event.outcome: 'deny' is not an ECS outcome (kept as datalek.original.outcome)",)
    assert schema.to_event(result.event).outcome.value == "unknown"


def test_valid_categorisation_of_the_producer_is_respected_and_only_the_missing_part_filled():
    # 24 Online's CRM names its export "export" and files it under database/access itself; outcome missing
    event = parse_ecs({"@timestamp": T, "event": {"action": "export", "category": ["database"]}}).event
    assert (event["event.category"], event["event.type"]) == (["database"], ["access"])
    event = parse_ecs({"@timestamp": T, "event": {"action": "export", "category": ["file"], "type": "info"}}).event
    assert (event["event.category"], event["event.type"]) == (["file"], ["info"])


def test_invalid_category_is_replaced_when_a_mapping_knows_the_event_and_the_original_kept():
    result = parse_ecs({"@timestamp": T, "event": {"action": "logon", "category": "Login", "outcome": "FAILURE"}})
    assert (result.event["event.category"], result.event["datalek.original.category"]) == (
        ["authentication"], ["login"])
    assert result.notes and "datalek.original.category" in result.notes[0]


def test_numbers_and_numeric_text_are_accepted():
    event = parse_ecs({"@timestamp": T, "event": {"id": 991, "code": 4625, "action": "record_export"},
                       "user": {"name": 1001}, "datalek": {"records": "12000"},
                       "source": {"port": 51515.0}}).event
    assert (event["event.id"], event["event.code"], event["user.name"]) == ("991", "4625", "1001")
    assert (event["datalek.records"], event["source.port"]) == (12000, 51515)


def test_a_count_that_is_no_number_is_kept_aside_and_reported():
    result = parse_ecs({"@timestamp": T, "event": {"action": "record_export"}, "datalek": {"records": "12,000"}})
    assert "datalek.records" not in result.event and result.event["datalek.original.datalek.records"] == "12,000"
    assert result.notes == ("datalek.records: '12,000' is not an integer (kept as datalek.original.datalek.records)",)


def test_epoch_timestamps_and_unknown_fields_are_kept():
    event = parse_ecs({"@timestamp": 1763681999000, "vendor": {"risk": {"score": 88}}}).event
    assert event["@timestamp"] == "2025-11-20T23:39:59+00:00" and event["vendor.risk.score"] == 88


@pytest.mark.parametrize("document", [
    {"@timestamp": T, "event": {"code": "4740"}, "winlog": {"channel": "Security"}},
    {"@timestamp": T, "event": {"action": "logon", "category": "Login", "outcome": "deny", "kind": "ALERT"}},
    {"@timestamp": T, "event": {"dataset": "system.auth"}, "process": {"name": "sshd"},
     "message": "pam_unix(sshd:auth): authentication failure; rhost=203.0.113.9", "event.outcome": "failure"},
])
def test_normalising_twice_changes_nothing(document):
    once = default_normaliser()(schema.flatten(document))
    assert default_normaliser()(once.event).event == once.event


PORTAL = """\
name: portal
order: 10
match: {event.dataset: portal.auth}
keys: [event.action]
outcomes:
  fields: [portal.result]
  values: {ok: success, nok: failure}
events:
  aanmelden: {category: [authentication], type: [start]}
  login: {category: [web], type: [info]}
"""


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    (tmp_path / "portal.yml").write_text(PORTAL, encoding="utf-8")
    return tmp_path


def test_users_mappings_fill_their_own_words_and_run_before_the_shipped_ones(user_dir):
    normalise = load_normaliser([user_dir])
    doc = {"@timestamp": T, "event.dataset": "portal.auth", "event.action": "aanmelden", "portal.result": "NOK"}
    assert parse_ecs(doc, normaliser=normalise).event["event.outcome"] == "failure"
    assert schema.to_event(doc, normaliser=normalise).categories == {"authentication"}
    # "login" is in the shipped fallback too; the user's mapping decides for its producer
    login = {**doc, "event.action": "login"}
    assert schema.to_event(login, normaliser=normalise).categories == {"web"}
    assert schema.to_event(login).categories == {"authentication"}


def test_settings_and_composition_root_pass_the_users_folders(user_dir, monkeypatch):
    monkeypatch.setenv("DATALEK_DETECTION__NORMALISE_DIRS", json.dumps([str(user_dir)]))
    settings = Settings()
    assert settings.detection.normalise_dirs == (user_dir,)
    names = [m.name for m in Container(settings).normaliser.mappings]
    assert names[0] == "portal" and "windows-security" in names
    assert [m.name for m in Container(Settings(detection=DetectionSettings())).normaliser.mappings][0] != "portal"


@pytest.mark.parametrize("text, message", [
    ("name: x\nevents:\n  a: {category: [login]}\n", "category not an ECS allowed value"),
    ("name: x\nevents:\n  a: {outcome: deny}\n", "outcome not an ECS allowed value"),
    ("name: x\nfilters: []\n", "unknown keys ['filters']"),
    ("name: x\nmatch: {event.action|like: a}\n", "unknown modifier 'like'"),
    ("events: {}\n", "a mapping is a YAML mapping with a name"),
    ("name: [\n", "not YAML"),
    ("name: x\nrules:\n  - then: {type: [info]}\n", "missing key 'if'"),
    ("name: x\nmatch: {message|re: '(unclosed'}\n", "missing ), unterminated subpattern"),
])
def test_a_broken_mapping_file_is_refused_with_its_name_and_reason(tmp_path, text, message):
    (tmp_path / "broken.yml").write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match="broken.yml") as e:
        load_normaliser([tmp_path])
    assert message in str(e.value)


def test_replay_refuses_a_missing_mappings_folder(tmp_path):
    log = tmp_path / "events.jsonl"
    log.write_text(json.dumps({"@timestamp": T}) + "\n", encoding="utf-8")
    with pytest.raises(ReplayError, match="normalise folder does not exist"):
        list(run(log, ReplayOptions(normalise_dirs=(tmp_path / "nope",))))


ODD = {"@timestamp": T, "event": {"category": [5, {"a": 1}], "type": "X", "kind": ["a"], "action": ["x"],
                                  "outcome": ["failure", "x"], "code": {"x": 1}, "dataset": ["a", ["b"]]},
       "datalek": {"records": [1, 2]}, "user": {"name": {"first": "x"}}, "source": {"ip": ["192.0.2.1"]},
       "winlog": {"channel": ["Security"]}, "host": {"hostname": ["a", "b"]}}


def test_odd_shapes_are_kept_and_reported_never_a_crash():
    result = parse_ecs(ODD)
    assert result.event["datalek.original.outcome"] == ["failure", "x"] and "event.outcome" not in result.event
    assert result.event["event.category"] == [5, {"a": 1}] and result.event["event.type"] == ["x"]
    assert any(note.startswith("datalek.records: [1, 2] is not an integer") for note in result.notes)
    event = schema.to_event(ODD)
    assert (event.action, event.categories, event.outcome.value, event.user, event.host) == (
        "", frozenset(), "unknown", None, None)


def test_cached_results_are_not_shared_between_events():
    normalise = load_normaliser()
    doc = {"@timestamp": T, "event.action": "logon", "event.category": "Login", "event.id": "a"}
    first = normalise(doc).event
    first["event.category"].append("tampered")
    first["datalek.original.category"].append("tampered")
    second = normalise({**doc, "event.id": "b"}).event
    assert (second["event.category"], second["datalek.original.category"]) == (["authentication"], ["login"])
    assert second["event.id"] == "b"


def test_a_cached_normaliser_gives_what_a_fresh_one_gives():
    docs = [{"@timestamp": T, "event.code": code, "winlog.channel": "Security", "event.outcome": outcome}
            for code in (4624, 4625, 4740, "4625") for outcome in ("failure", "FAILURE", "deny", None)]
    warm = load_normaliser()
    results = [warm(schema.flatten(d)) for d in docs * 2]
    assert results == [load_normaliser()(schema.flatten(d)) for d in docs * 2]
