"""JSON framing and the ECS pass-through format."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from streams.parsers.base import ParseContext, Rejected
from streams.parsers.jsondocs import Document, documents
from tests.unit.parsers.support import one, run, run_sample


def _documents(text: str) -> list[Document | Rejected]:
    return list(documents(text.splitlines(keepends=True), context=ParseContext(source="in.json")))


def test_json_lines_give_one_document_per_line() -> None:
    found = _documents('{"a": 1}\n\n{"b": 2}\n')
    assert [(d.value, d.position) for d in found if isinstance(d, Document)] == [({"a": 1}, "in.json:1"),
                                                                                 ({"b": 2}, "in.json:3")]


def test_pretty_printed_documents_are_joined() -> None:
    text = json.dumps({"Records": [{"x": 1}]}, indent=2) + "\n" + json.dumps([{"y": 2}], indent=2)
    found = _documents(text)
    assert [d.value for d in found] == [{"Records": [{"x": 1}]}, [{"y": 2}]]
    assert found[1].position == "in.json:8"


def test_array_with_one_record_per_line_is_one_document() -> None:
    assert [d.value for d in _documents('[\n{"x": 1},\n{"y": 2}\n]\n')] == [[{"x": 1}, {"y": 2}]]


def test_a_broken_line_does_not_swallow_the_next_record() -> None:
    found = _documents('{"broken": 1,\n{"ok": 2}\n')
    assert isinstance(found[0], Rejected) and found[0].reason == "incomplete JSON document"
    assert found[1].value == {"ok": 2}


def test_non_json_and_truncated_input_are_rejected_with_positions() -> None:
    found = _documents('garbage\n{"a": tru}\n{\n  "tail": 1\n')
    assert [(r.reason, r.position) for r in found] == [
        ("not JSON (expected an object or array)", "in.json:1"),
        ("invalid JSON: Expecting value", "in.json:2"),
        ("incomplete JSON document at end of input", "in.json:3")]


def test_nested_ecs_is_flattened_and_normalised() -> None:
    event = one("ecs", json.dumps({
        "@timestamp": "2026-03-03T11:00:00+01:00",
        "event": {"category": "authentication", "action": "portal_login", "outcome": "failure"},
        "source": {"ip": "203.0.113.45", "port": "51515"}, "datalek": {"records": "0", "asset": "portal"}}))
    assert event["@timestamp"] == "2026-03-03T10:00:00+00:00"
    assert event["event.category"] == ["authentication"]
    assert (event["source.port"], event["datalek.records"], event["datalek.asset"]) == (51515, 0, "portal")
    assert event["datalek.schema"] == 1 and event["event.kind"] == "event"


def test_ecs_event_keeps_its_own_id_or_gets_a_stable_one() -> None:
    line = '{"@timestamp":"2026-03-03T10:00:00Z","event.category":["web"],"event.action":"http_request"}'
    assert one("ecs", line)["event.id"] == one("ecs", line)["event.id"]
    assert one("ecs", line.replace("{", '{"event.id":"abc",', 1))["event.id"] == "abc"


def test_ecs_naive_timestamp_is_read_in_the_context_zone() -> None:
    line = '{"@timestamp":"2026-07-01T12:00:00","event.category":["file"],"event.action":"file_read"}'
    assert one("ecs", line, tz=ZoneInfo("Europe/Amsterdam"))["@timestamp"] == "2026-07-01T10:00:00+00:00"


def test_ecs_record_without_a_usable_timestamp_is_rejected() -> None:
    line = '{"@timestamp":"yesterday","event":{"category":["telepathy"],"outcome":"maybe"}}'
    _, rejected = run("ecs", [line])
    assert rejected[0].reason == "@timestamp: required ISO 8601 text or epoch number"


def test_ecs_values_outside_ecs_are_kept_with_notes_not_rejected() -> None:
    line = '{"@timestamp":"2026-03-03T10:00:00Z","event":{"category":["telepathy"],"outcome":"maybe"}}'
    [result], rejected = run("ecs", [line])
    assert rejected == []
    assert result.event["event.category"] == ["telepathy"] and "event.outcome" not in result.event
    assert result.event["datalek.original.outcome"] == "maybe"
    assert result.notes == ("event.outcome: 'maybe' is not an ECS outcome (kept as datalek.original.outcome)",
                            "event.category: 'telepathy' is not an ECS category (kept)")


def test_ecs_nested_and_dotted_forms_must_agree() -> None:
    _, rejected = run("ecs", ['{"@timestamp":"2026-03-03T10:00:00Z","event.category":["web"],'
                              '"event":{"action":"x"},"event.action":"y"}'])
    assert rejected[0].reason == "conflicting values for field event.action"


def test_ecs_unsupported_schema_version_is_rejected() -> None:
    _, rejected = run("ecs", ['{"@timestamp":"2026-03-03T10:00:00Z","event.category":["web"],'
                              '"event.action":"x","datalek.schema":2}'])
    assert rejected[0].reason == "datalek.schema: unsupported version"


def test_ecs_sample_with_envelope_and_bad_records() -> None:
    parsed, rejected = run_sample("ecs", "ecs.jsonl")
    # 4#1 has no event.action: accepted since the schema made it optional
    assert [p.position for p in parsed] == ["ecs.jsonl:1", "ecs.jsonl:2", "ecs.jsonl:3", "ecs.jsonl:4#0",
                                            "ecs.jsonl:4#1"]
    assert [r.position for r in rejected] == ["ecs.jsonl:5", "ecs.jsonl:6", "ecs.jsonl:7#0",
                                              "ecs.jsonl:7#1", "ecs.jsonl:7#2"]
    assert rejected[-1].reason == "record is not a JSON object"


def test_a_truncated_array_line_does_not_swallow_the_json_lines_after_it() -> None:
    """Found by the fuzz tests (issue 12): "[", "[[[" or "[1,2," kept every later line in an open array."""
    record = '{"a": 1}'
    for broken in ("[", "[[[", "[1, 2,", '[{"a": 1}', "[\n[", f"[\n{record},"):
        found = _documents(f"{broken}\n{record}\n{record}\n")
        assert [d.value for d in found if isinstance(d, Document)] == [{"a": 1}, {"a": 1}], broken
        assert isinstance(found[0], Rejected) and found[0].position == "in.json:1", broken
    assert [d.value for d in _documents(f"[\n{record}\n") if isinstance(d, Document)] == [{"a": 1}]  # at the end
