"""State where its key lives (streams.route): the two-stage pipeline (route by key, then detect per
partition) gives replay's detections whatever the source partitioning, and a route stage that sends a
range again changes nothing.

The stream is the fault suite's seeded day (portal logins and CRM record views with brute force, spraying
and stuffing bursts and their near misses) plus every attack and near miss of the detection corpus (vendor
formats, cross-asset attacks on one user among them), events put on source partitions round-robin, as a
producer without keys does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from datalek.replay import ReplayOptions, _events
from datalek.rules import load_inventory, load_rules
from incidents.rules import Engine
from streams import route, schema
from tests.corpus.corpus import load
from tests.corpus.generate import materialise
from tests.faults.stream import generate

SOURCES, PARTITIONS, ENVELOPE = 3, 4, 5


@pytest.fixture(scope="module")
def engine():
    return Engine(load_rules(()), inventory=load_inventory())


@pytest.fixture(scope="module")
def events():
    found = [schema.to_event(doc) for doc in generate(4000, seed=11)]
    materialise()
    for case in load():
        counts, programs = Counter(), Counter()
        found += _events(Path(case.path), ReplayOptions(fmt=case.format, **case.options), counts, programs)
    return sorted(found, key=lambda e: e.timestamp)


def replayed(engine, events):
    return sorted(d.key for d in engine.detect({}, events))


def source_messages(events):
    """(source partition, offset, events): envelopes put on the source partitions round-robin."""
    offsets = [0] * SOURCES
    out = []
    for n in range(0, len(events), ENVELOPE):
        p = (n // ENVELOPE) % SOURCES
        out.append((p, offsets[p], events[n:n + ENVELOPE]))
        offsets[p] += 1
    return out


class Staged(dict):
    source = None


def detect_copy(engine, states, sources, home, position, value):
    """The detection stage for one copy on partition ``home`` (as streams.app.detect_events does it)."""
    if not sources.admit(str(home), position, event=None):
        return []
    copies = list(schema.decode(value, normalised=True))
    return engine.detect(states, copies, holds=route.holds(home, PARTITIONS, lambda k: False))


def pipeline(engine, messages, *, resend=()):
    """Route every message, then run each by-key partition with its own state; ``resend`` names messages
    (by index) whose copies the route stage sends a second time, later (a re-run after a crash)."""
    queues = [[] for _ in range(PARTITIONS)]
    for index in [*range(len(messages)), *resend]:
        p, offset, events = messages[index]
        for home, fields in route.copies(engine, events, partitions=PARTITIONS).items():
            queues[home].append(((str(p), offset), schema.encode_envelope(fields)))
    found = []
    for home, queue in enumerate(queues):
        states, staged = {}, Staged()
        sources = route.SourceView(states)
        for position, value in queue:
            found += detect_copy(engine, states, sources, home, position, value)
        sources.stage(staged)
        assert all(route.partition_of(k.split("|", 1)[1], PARTITIONS) == home
                   for k in states if not k.startswith("@"))  # every state key on its home partition
    return sorted(d.key for d in found)


def test_the_stream_spans_many_route_keys_and_cross_asset_attacks(engine, events):
    keys = Counter(k for e in events for k in engine.route_keys(e))
    assert len(keys) > 100
    assert any(k.startswith("*|") for k in keys)  # rules across assets: one user on several systems
    assert {d.rule_id for d in engine.detect({}, events)} >= {
        "auth.repeated_failures", "auth.password_spraying", "iam.privilege_then_access", "auth.impossible_travel"}


def test_routed_per_key_partitions_give_replays_detections(engine, events):
    expected = replayed(engine, events)
    assert len(expected) > 30
    assert pipeline(engine, source_messages(events)) == expected


def test_copies_sent_again_by_the_route_stage_change_nothing(engine, events):
    messages = source_messages(events)
    again = range(len(messages) // 3, len(messages) // 3 + 400)  # a range re-sent after a crash
    assert pipeline(engine, messages, resend=again) == replayed(engine, events)


def test_without_the_source_offsets_a_re_sent_range_counts_twice(engine, events):
    messages = source_messages(events)
    again = range(len(messages) // 3, len(messages) // 3 + 400)

    class Forgetful(route.SourceView):
        def admit(self, key, source, event):
            return True

    original, route.SourceView = route.SourceView, Forgetful
    try:
        assert pipeline(engine, messages, resend=again) != replayed(engine, events)
    finally:
        route.SourceView = original


def test_each_partition_alone_without_routing_misses_attacks(engine, events):
    """Today's failure, kept as the reason for the design: state split over partitions by producer key."""
    found = []
    for p in range(SOURCES):
        states = {}
        for source, _, batch in source_messages(events):
            if source == p:
                found += engine.detect(states, batch)
    assert len({d.key for d in found}) < len(set(replayed(engine, events)))


def test_a_copy_carries_its_source_position_in_a_header():
    headers = {route.HEADER: route.header(2, 41)}
    assert route.source_of(headers) == ("2", 41)
    assert route.source_of(list(headers.items())) == ("2", 41)
    assert route.source_of({}) is None and route.source_of([("other", b"x")]) is None
    assert route.source_of({route.HEADER: b"garbage"}) is None


def test_source_offsets_are_kept_per_by_key_partition_and_source_partition():
    table = {route.SOURCE + "2": {"0": 10}}
    view = route.SourceView(table)
    assert not view.admit("2", ("0", 10), event="e10")  # applied before
    assert view.admit("2", ("0", 11), event="e11")
    assert not view.admit("2", ("0", 11), event="again")  # a duplicate within the batch
    assert view.admit("2", ("1", 3), event="e3")  # another source partition
    assert view.admit("3", ("0", 5), event="e5")  # another by-key partition: its own offsets
    staged = Staged()
    view.stage(staged)
    assert staged == {route.SOURCE + "2": {"0": 11, "1": 3}, route.SOURCE + "3": {"0": 5}}


def test_an_event_goes_once_to_each_partition_its_state_lives_on(engine):
    event = schema.to_event({"@timestamp": "2026-11-20T09:00:00Z", "datalek.asset": "klantportaal",
                             "event": {"category": ["authentication"], "type": ["start"], "outcome": "failure"},
                             "user": {"name": "klant7"}, "source": {"ip": "203.0.113.7"}})
    keys = engine.route_keys(event)
    assert "klantportaal|source.ip=203.0.113.7" in keys
    out = route.copies(engine, [event, event], partitions=PARTITIONS)
    assert sorted(out) == sorted({route.partition_of(k, PARTITIONS) for k in keys})
    assert all(len(fields) == 2 and fields[0]["event.id"] == event.id for fields in out.values())
    assert route.copies(engine, [event], partitions=1) == {0: [out[next(iter(out))][0]]}


def test_a_copy_reads_back_as_the_event_it_copies(events):
    """What the detection stage decodes from a copy is the event the route stage read, field for field, for
    every vendor dialect of the corpus: the JSON hop through by-key changes nothing the rules see. The last
    event has no id of its own and a control character the decode strips: its id is a hash of what the
    producer sent, which the copy could not recompute, so the copy carries it."""
    no_id = schema.to_event({"@timestamp": "2026-11-20T09:00:00Z", "user": {"name": "klant7\u202e"},
                             "event": {"category": ["authentication"], "outcome": "failure"}})
    assert "event.id" not in no_id.fields
    for event in [*events, no_id]:
        fields = {**event.fields, "event.id": event.id}
        [again] = schema.decode(schema.encode_envelope([fields]), normalised=True)
        assert dict(again.fields) == fields
        assert replace(again, fields=event.fields) == event


def test_detections_that_may_join_one_incident_share_a_kafka_key(engine, events):
    """Two workers recording detections of one asset at once would each open an incident (the fault suite
    saw a split): detections are keyed by what correlation matches on, so one recorder takes them in order."""
    from streams import records

    found = engine.detect({}, events)
    by_asset = {}
    for d in found:
        by_asset.setdefault(d.asset or f"entity {d.entity}", set()).add(records.correlation_key(d))
    assert all(len(keys) == 1 for keys in by_asset.values())
    assert len({records.correlation_key(d) for d in found}) == len(by_asset) > 3
    updates = [d for d in found if d.extends]
    extended = {d.key: d for d in found}
    assert all(records.correlation_key(u) == records.correlation_key(extended[u.extends]) for u in updates)
