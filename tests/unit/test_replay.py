"""Offline replay: the same engine and correlation as the stream, deterministic JSON lines, no Kafka/DB."""

import json

from typer.testing import CliRunner

from datalek.cli import SCENARIO, app
from datalek.replay import BATCH, ReplayOptions, replay, run
from datalek.rules import DEFAULT_RULES


def kinds(records):
    return [r["kind"] for r in records]


def test_the_shipped_scenario_replays_to_one_brute_force_incident_with_inventory_data():
    records = list(replay(SCENARIO))
    assert kinds(records) == ["detection", "incident", "summary"]
    detection, incident, summary = records
    assert detection["rule_id"] == "auth.repeated_failures" and detection["entity"] == "source.ip=203.0.113.77"
    assert incident["asset"] == "klantportaal" and incident["detections"] == [detection["key"]]
    assert "access_credentials" in incident["inventory"]["data_categories"]
    assert "minors" in incident["inventory"]["subject_groups"]
    assert summary == {"kind": "summary", "events": 155, "rejected": 0, "skipped": 0, "detections": 1,
                       "skipped_programs": {}, "incidents": 1, "rules": 14, "unknown_assets": []}


def test_replay_is_deterministic_and_independent_of_the_batch_size(monkeypatch):
    first = list(replay(SCENARIO))
    assert list(replay(SCENARIO)) == first
    monkeypatch.setattr("datalek.replay.BATCH", 7)
    assert list(replay(SCENARIO)) == first and BATCH != 7


def test_replay_with_only_a_sigma_folder(tmp_path):
    records = list(run(SCENARIO, ReplayOptions(rules_dirs=(DEFAULT_RULES / "examples" / "sigma",),
                                               default_rules=False)))
    assert records[-1]["rules"] == 5 and records[-1]["incidents"] == 0  # 30 failures, but no success after


def test_replay_command_prints_json_lines():
    result = CliRunner().invoke(app, ["replay", str(SCENARIO), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert kinds(lines) == ["detection", "incident", "summary"]


def test_replay_command_reports_an_unknown_format():
    result = CliRunner().invoke(app, ["replay", str(SCENARIO), "--format", "nope"])
    assert result.exit_code == 2 and "unknown format" in result.output
