import json

import pytest

from incidents.errors import InvalidEvent
from incidents.security_event import Outcome
from streams import schema

GOOD = {"@timestamp": "2026-11-20T09:00:00Z", "event": {"category": ["authentication"], "action": "login",
        "outcome": "failure", "id": "x1"}, "user": {"name": "klant1"}, "source": {"ip": "203.0.113.7"},
        "datalek": {"schema": 1, "asset": "klantportaal"}}


def test_nested_ecs_event_becomes_a_security_event():
    e = schema.to_event(GOOD)
    assert (e.id, e.action, e.outcome, e.user, e.source_ip, e.asset) == (
        "x1", "login", Outcome.FAILURE, "klant1", "203.0.113.7", "klantportaal")
    assert e.timestamp.utcoffset().total_seconds() == 0
    assert e.get("event.category") == ["authentication"]


def test_dotted_keys_are_accepted_like_nested_ones():
    dotted = schema.flatten(GOOD)
    assert schema.to_event(dotted) == schema.to_event(GOOD)


def test_event_without_id_gets_a_stable_content_id():
    raw = {k: v for k, v in GOOD.items()}
    raw["event"] = {k: v for k, v in GOOD["event"].items() if k != "id"}
    assert schema.to_event(raw).id == schema.to_event(json.loads(json.dumps(raw))).id
    other = {**raw, "source": {"ip": "203.0.113.8"}}
    assert schema.to_event(other).id != schema.to_event(raw).id


@pytest.mark.parametrize("change, reason", [
    ({"@timestamp": None}, "@timestamp: required"),
    ({"@timestamp": "yesterday"}, "@timestamp: the text is not ISO 8601"),
    ({"@timestamp": "2026-11-20T09:00:00"}, "has no UTC offset"),
    ({"@timestamp": True}, "@timestamp: expected ISO 8601 text or an epoch number"),
    ({"datalek": {"schema": 2}}, "datalek.schema: unsupported version"),
])
def test_invalid_events_are_rejected_with_the_field_and_reason(change, reason):
    with pytest.raises(InvalidEvent, match=reason.replace("(", r"\(").replace(".", r"\.")):
        schema.to_event({**GOOD, **change})


def test_envelope_decodes_each_event_and_rejects_only_the_bad_one():
    bad = {**GOOD, "@timestamp": "nope"}
    items = list(schema.decode(schema.encode_envelope([GOOD, bad, GOOD])))
    assert [type(i).__name__ for i in items] == ["SecurityEvent", "Rejected", "SecurityEvent"]
    assert items[1].index == 1 and "not ISO 8601" in items[1].reason


def test_bad_json_rejects_the_message_with_the_reason():
    [item] = schema.decode(b"{not json")
    assert isinstance(item, schema.Rejected)
    assert item.reason.startswith("message is not valid JSON") and item.payload == "{not json"


def test_non_object_event_is_rejected():
    [item] = schema.decode(b"[1, 2]")
    assert isinstance(item, schema.Rejected) and "JSON object" in item.reason


@pytest.mark.parametrize("change, check", [
    # event.action optional (the core action is "")
    ({"event": {"category": ["authentication"], "outcome": "failure"}}, lambda e: e.action == ""),
    # a category that is not ECS is replaced by the mapping's (action "login"), the original kept
    ({"event": {"category": 5, "action": "login"}},
     lambda e: e.categories == {"authentication"} and e.get("datalek.original.category") == [5]),
    ({"event": {"category": 5, "action": "something_else"}},
     lambda e: e.categories == frozenset() and e.get("event.category") == [5]),
    # an outcome outside ECS: kept in datalek.original.outcome, the core outcome unknown
    ({"event": {"category": "authentication", "action": "login", "outcome": "maybe"}},
     lambda e: e.outcome is Outcome.UNKNOWN and e.get("datalek.original.outcome") == "maybe"),
    # numeric user names and ids become text
    ({"user": {"name": 42}}, lambda e: e.user == "42"),
    # epoch seconds are a usable timestamp
    ({"@timestamp": 1732000000}, lambda e: e.timestamp.year == 2024),
])
def test_what_the_old_schema_rejected_is_now_accepted(change, check):
    assert check(schema.to_event({**GOOD, **change}))


PERSONAL = "jan.jansen@example.nl"


@pytest.mark.parametrize("value", [
    json.dumps({**GOOD, "@timestamp": PERSONAL}).encode(),
    json.dumps({**GOOD, "@timestamp": f"2026-11-20T09:00:00 {PERSONAL}"}).encode(),
    json.dumps({**GOOD, "@timestamp": "2026-11-20T09:00:00", "user": {"name": PERSONAL}}).encode(),
    json.dumps({**GOOD, "@timestamp": 10 ** 30, "user": {"name": PERSONAL}}).encode(),
    json.dumps({**GOOD, "datalek": {"schema": PERSONAL}}).encode(),
    json.dumps({"events": [PERSONAL]}).encode(),
    f'{{"user": "{PERSONAL}", oops}}'.encode(),
    f'{{"user": "{PERSONAL}\xff"}}'.encode("latin-1"),
    PERSONAL.encode(),
], ids=["timestamp", "timestamp-suffix", "no-offset", "epoch", "version", "not-object", "json", "utf8", "bare"])
def test_rejection_reasons_name_the_field_and_problem_never_the_value(value):
    from streams.guard import read_message

    valid, rejected = read_message(value, limit=1_000_000)
    assert not valid and len(rejected) == 1
    assert PERSONAL not in rejected[0].reason and "jan" not in rejected[0].reason
    assert PERSONAL in str(rejected[0].payload)  # the payload stays in the dead-letter record


HOSTILE = "\u202e\x1b[31mlt-0042\x1b[0m\u2066"


def test_control_and_bidi_characters_are_removed_from_event_text_where_events_enter():
    raw = {**GOOD, "user": {"name": f"jan\u200f{HOSTILE}"}, "host": {"name": HOSTILE},
           "datalek": {"schema": 1, "asset": f"klant\x85portaal{HOSTILE}"},
           "file": {"name": ["a\u202ecod.exe", 7, {"x": "\x1b"}]}, "message": "Failed\tpassword\r\nfor jan"}
    kept = json.loads(json.dumps(raw))
    event = schema.to_event(raw)
    assert (event.user, event.host, event.asset) == ("jan[31mlt-0042[0m", "[31mlt-0042[0m",
                                                     "klant portaal[31mlt-0042[0m")
    assert event.get("user.name") == event.user and event.get("host.name") == event.host
    assert event.get("file.name") == ["acod.exe", 7, {"x": "\x1b"}]  # text in lists; deeper shapes are not shown
    assert event.get("message") == "Failed password  for jan"
    assert raw == kept  # the payload as received (a dead letter's) is not touched


def test_an_event_without_id_keeps_the_id_of_its_text_as_received():
    plain = {k: v for k, v in GOOD.items() if k != "event"} | {"user": {"name": "jan"}}
    hostile = plain | {"user": {"name": "ja\u202en"}}
    assert schema.to_event(hostile).user == schema.to_event(plain).user == "jan"
    assert schema.to_event(hostile).id == schema.event_id(schema.flatten(hostile)) != schema.to_event(plain).id


def test_a_rejected_event_keeps_its_control_characters_in_the_dead_letter_payload():
    bad = {**GOOD, "@timestamp": "nope", "user": {"name": HOSTILE}}
    [item] = schema.decode(schema.encode_envelope([bad]))
    assert isinstance(item, schema.Rejected) and item.payload["user"]["name"] == HOSTILE
