"""Ingest envelopes: sent when full, after the linger, or when their asset falls behind in event time."""

import json
from datetime import UTC, datetime, timedelta

from streams.envelopes import Envelopes, FlushPolicy, event_time
from streams.records import dead_letter, fit

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def ev(n: int, seconds: float, asset: str) -> dict:
    stamp = (T0 + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")
    return {"@timestamp": stamp, "event.id": f"e{n}", "datalek.asset": asset}


def ids(envelopes) -> list[tuple[str, list[str]]]:
    return [(key, [e["event.id"] for e in events]) for key, events in envelopes]


def test_a_full_envelope_is_sent_at_once():
    env = Envelopes(FlushPolicy(size=3, linger=10, max_lag=600), clock=Clock())
    assert env.add("web", ev(1, 0, "web")) == [] and env.add("web", ev(2, 1, "web")) == []
    assert ids(env.add("web", ev(3, 2, "web"))) == [("web", ["e1", "e2", "e3"])]
    assert env.pending == {}


def test_an_envelope_waits_no_longer_than_the_linger():
    clock = Clock()
    env = Envelopes(FlushPolicy(size=200, linger=0.2, max_lag=600), clock=clock)
    env.add("idp", ev(1, 0, "idp"))
    clock.now = 0.19
    assert env.add("web", ev(2, 1, "web")) == []  # neither has waited 0.2 s yet
    clock.now = 0.21
    assert ids(env.add("web", ev(3, 2, "web"))) == [("idp", ["e1"])]  # web's started at 0.19
    clock.now = 0.5
    assert ids(env.due()) == [("web", ["e2", "e3"])]


def test_a_quiet_asset_is_sent_once_the_input_is_max_lag_past_its_oldest_event():
    env = Envelopes(FlushPolicy(size=200, linger=3600, max_lag=60), clock=Clock())
    env.add("idp", ev(0, 0, "idp"))  # one privilege grant, then a busy web server for two minutes
    sent = {n: ids(env.add("web", ev(n, n, "web"))) for n in range(1, 120)}
    assert sent[61] == [("idp", ["e0"])]  # at second 61, not at the end of the file
    assert [n for n, out in sent.items() if out] == [61]
    assert len(env.pending["web"].events) == 119  # a key is never behind itself
    assert ids(env.add("idp", ev(200, 181, "idp"))) == [("web", [f"e{n}" for n in range(1, 120)])]


def test_a_late_event_of_a_quiet_asset_is_sent_at_once():
    env = Envelopes(FlushPolicy(size=200, linger=3600, max_lag=60), clock=Clock())
    env.add("web", ev(1, 300, "web"))
    assert ids(env.add("idp", ev(2, 100, "idp"))) == [("idp", ["e2"])]  # already 200 s behind web
    assert ids(env.add("idp", ev(3, 250, "idp"))) == []


def test_the_event_time_bound_is_exact_and_ignores_events_without_a_timestamp():
    env = Envelopes(FlushPolicy(size=200, linger=3600, max_lag=60), clock=Clock())
    env.add("idp", ev(0, 0, "idp"))
    env.add("mail", {"event.id": "x", "@timestamp": "not a time"})
    assert env.add("web", ev(1, 60, "web")) == []  # exactly max_lag behind: still within the bound
    assert ids(env.add("web", ev(2, 60.5, "web"))) == [("idp", ["e0"])]
    assert sorted(env.pending) == ["mail", "web"] and ids(env.drain())[0] == ("mail", ["x"])


def test_event_time_reads_iso_8601_with_an_offset_only():
    assert event_time({"@timestamp": "2026-11-20T09:00:00Z"}) == T0.timestamp()
    assert event_time({"@timestamp": "2026-11-20T10:00:00+01:00"}) == T0.timestamp()
    assert event_time({"@timestamp": "2026-11-20T09:00:00"}) is None
    assert event_time({"@timestamp": 1763629200}) is None


def test_an_oversized_dead_letter_is_cut_to_fit_and_says_how_big_it_was():
    payload = "x" * 2_000_000 + "é" * 1000
    record = dead_letter(reason="message too large", topic="t", partition=0, offset=7, payload=payload)
    encoded = fit(record, limit=100_000)
    assert len(encoded) <= 100_000
    data = json.loads(encoded)
    assert data["truncated"] is True and data["payload_bytes"] == len(payload.encode())
    assert payload.startswith(data["payload"]) and len(data["payload"]) > 90_000
    assert (data["reason"], data["offset"]) == ("message too large", 7)


def test_a_dead_letter_that_fits_is_unchanged_and_escapes_count_against_the_limit():
    small = dead_letter(reason="bad", topic="t", partition=0, offset=1, payload={"a": 1})
    assert json.loads(fit(small, limit=1000)) == small
    quotes = dead_letter(reason="bad", topic="t", partition=0, offset=1, payload='"\x01' * 50_000)
    assert len(fit(quotes, limit=20_000)) <= 20_000


def test_no_event_is_sent_after_another_assets_event_more_than_max_lag_later():
    import random

    rng = random.Random(7)
    for _ in range(50):
        clock = Clock()
        env = Envelopes(FlushPolicy(size=rng.choice([5, 50, 200]), linger=3600, max_lag=60), clock=clock)
        weights = [rng.random() ** 3 for _ in range(6)]  # a few busy assets, a few quiet ones
        at, sent = 0.0, []
        for n in range(600):
            at += rng.expovariate(0.2)
            key = rng.choices(range(6), weights)[0]
            sent += env.add(key, ev(n, at, str(key)))
        sent += env.drain()
        newest_sent: dict[str, float] = {}
        for key, events in sent:
            oldest = min(event_time(e) for e in events)
            others = max((t for k, t in newest_sent.items() if k != key), default=float("-inf"))
            assert others - oldest <= 60
            newest_sent[key] = max(newest_sent.get(key, oldest), *(event_time(e) for e in events))
        assert sorted(e["event.id"] for _, events in sent for e in events) == sorted(f"e{n}" for n in range(600))
