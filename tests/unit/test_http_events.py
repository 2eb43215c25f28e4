"""HTTP ingestion without a broker: each posted event judged as the worker judges it, envelopes per asset."""

import json

from streams import schema
from streams.http_events import ENVELOPE_BYTES, envelopes, judge
from streams.normalise import default_normaliser

LOGIN = {"@timestamp": "2026-11-20T09:00:00Z", "event": {"action": "user_login", "outcome": "failure"},
         "host": {"name": "web-01"}}


def test_each_event_is_accepted_with_its_worker_id_or_rejected_with_the_reason():
    verdicts = judge([LOGIN, {"event": {"action": "x"}}, 7, {**LOGIN, "event": {"id": "given-1"}}],
                     normaliser=default_normaliser())
    assert [v.answer()["accepted"] for v in verdicts] == [True, False, False, True]
    assert verdicts[0].event_id == schema.to_event(LOGIN).id  # the id the worker computes for it
    assert verdicts[0].event["event.id"] == verdicts[0].event_id and verdicts[3].event_id == "given-1"
    assert "@timestamp" in verdicts[1].reason and "JSON object" in verdicts[2].reason
    assert verdicts[1].answer() == {"index": 1, "accepted": False, "reason": verdicts[1].reason}


def test_an_accepted_event_reads_back_as_the_same_event_in_the_worker():
    [verdict] = judge([LOGIN], normaliser=default_normaliser())
    [decoded] = schema.decode(schema.encode_envelope([verdict.event]))
    assert decoded == schema.to_event(verdict.event) and decoded.id == verdict.event_id
    assert decoded.timestamp.isoformat() == "2026-11-20T09:00:00+00:00" and decoded.host == "web-01"


def test_an_event_too_large_for_one_kafka_message_is_rejected():
    [verdict] = judge([{**LOGIN, "message": "x" * ENVELOPE_BYTES}], normaliser=default_normaliser())
    assert not verdict.answer()["accepted"] and "larger than" in verdict.reason


def test_envelopes_are_keyed_by_asset_else_host_and_cut_by_count_and_size():
    events = [{"host.name": "a", "n": 1}, {"datalek.asset": "portal", "host.name": "a", "n": 2},
              {"host.name": "a", "n": 3}, {"n": 4}, {"host.name": "a", "n": 5}]
    out = [(key, [e["n"] for e in json.loads(value)["events"]]) for key, value in envelopes(events, size=2)]
    assert out == [(b"a", [1, 3]), (b"a", [5]), (b"portal", [2]), (None, [4])]
    big = [{"host.name": "a", "m": "x" * (ENVELOPE_BYTES // 3)} for _ in range(4)]
    sizes = [len(json.loads(v)["events"]) for _, v in envelopes(big, size=200)]
    assert sizes == [2, 2] and all(len(v) <= ENVELOPE_BYTES for _, v in envelopes(big, size=200))
