"""Fuzzed hostile input through the live worker on the real broker (issue 12): a fixed sample drawn from the
strategies of tests/hostile.py (derandomized, so the same on every run), sent between the good events of the
shipped scenario, straight to the events topic and through `datalek ingest`.

Each bad message costs exactly one dead letter, with the reason the unit-level path gives it (streams.guard),
and the scenario's incident still opens. The unit fuzz tests (tests/unit/test_fuzz_hostile.py) search wider.
"""

import pytest

from datalek.cli import SCENARIO
from datalek.replay import ReplayOptions, run
from streams import guard
from streams.records import DEAD_LETTER_BYTES
from tests.conftest import wait_until
from tests.hostile import drawn, hostile_lines, hostile_messages, reason_problems
from tests.integration.test_pipeline import count_incidents, produce, read_topic, wait_consumed

pytestmark = pytest.mark.kafka
SAMPLE = 8  # bad messages (or lines) per test
LIMIT = DEAD_LETTER_BYTES  # the worker's message limit; test_hostile_messages.py sends one over it (5 MB)
CAP = 4096  # the line cap `datalek ingest` is run with here (DATALEK_INPUT__MAX_LINE_BYTES)


def all_records(bootstrap: str, topic: str, *, expect: int) -> list[dict]:
    """Every record on ``topic`` once the stages are done (read until idle, so one too many is seen)."""
    return read_topic(bootstrap, topic, expect=expect, timeout=10)


def bad_messages() -> list[tuple[bytes, str]]:
    """Distinct drawn messages that hold no valid event at all, with the reason the worker's guard gives."""
    found: dict[bytes, str] = {}
    for message in drawn(hostile_messages(limit=LIMIT), 80):
        valid, rejected = guard.read_message(message, limit=LIMIT)
        if message and len(message) < 65536 and not valid and len(rejected) == 1 and message not in found:
            found[message] = rejected[0].reason
    assert len(found) >= SAMPLE, "the strategies no longer give enough distinct bad messages"
    kinds: dict[str, tuple[bytes, str]] = {}  # one of each kind of reason first, then the rest in drawn order
    for message, reason in found.items():
        kinds.setdefault(reason[:24], (message, reason))
    return [*kinds.values(), *[item for item in found.items() if item not in kinds.values()]][:SAMPLE]


def test_fuzzed_messages_between_good_events_cost_one_dead_letter_each(worker_factory, database_url,
                                                                         kafka_bootstrap):
    bad = bad_messages()
    good = SCENARIO.read_bytes().splitlines()
    step = len(good) // (len(bad) + 1)
    values, expected = [], []
    for n, (message, reason) in enumerate(bad):  # bad message n after the n-th slice of good events
        values += good[n * step:(n + 1) * step]
        expected.append((len(values), reason))
        values.append(message)
    values += good[len(bad) * step:]
    worker = worker_factory(database_url)
    worker.start()
    produce(kafka_bootstrap, worker.topic("events"), values)

    dead = sorted(read_topic(kafka_bootstrap, worker.topic("dead-letter"), expect=len(bad)),
                  key=lambda d: d["offset"])
    assert [(d["offset"], d["reason"]) for d in dead] == expected
    assert not [p for d in dead for p in reason_problems(d["reason"])]
    wait_until(lambda: count_incidents(database_url) == 1, message="the incident of the good events")
    wait_consumed(worker, ["events"])
    assert len(all_records(kafka_bootstrap, worker.topic("dead-letter"), expect=len(bad))) == len(bad)
    assert worker.process is not None and worker.process.poll() is None


def test_ingest_of_fuzzed_lines_between_good_ones_dead_letters_each_bad_line_and_opens_the_incident(
        worker_factory, database_url, kafka_bootstrap, tmp_path):
    lines = list(dict.fromkeys(drawn(hostile_lines("ecs", cap=CAP), 40)))[:SAMPLE]
    good = SCENARIO.read_bytes().splitlines()
    step = len(good) // (len(lines) + 1)
    mixed = [line for n, bad in enumerate(lines) for line in [*good[n * step:(n + 1) * step], bad]]
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join([*mixed, *good[len(lines) * step:]]) + b"\n")
    offline = list(run(path, ReplayOptions(fmt="ecs", max_line_bytes=CAP)))  # the same parsers, rules, schema
    summary = offline[-1]
    worker = worker_factory(database_url, DATALEK_INPUT__MAX_LINE_BYTES=str(CAP))
    worker.start()
    ingest = worker.cli("ingest", str(path), "--format", "ecs")
    assert ingest.returncode == 0, ingest.stderr[-2000:]

    # every line is an event, a dead letter of ingest (bad line) or of the worker (bad event in an envelope)
    dead = read_topic(kafka_bootstrap, worker.topic("dead-letter"), expect=summary["rejected"])
    assert len(dead) == summary["rejected"] and summary["events"] >= len(good)
    assert not [p for d in dead for p in reason_problems(d["reason"])]
    wait_until(lambda: count_incidents(database_url) == summary["incidents"] >= 1,
               message="the incidents the offline replay of the same file opens")
    wait_consumed(worker, ["events", "detections"])
    assert count_incidents(database_url) == summary["incidents"]
    assert len(all_records(kafka_bootstrap, worker.topic("dead-letter"), expect=summary["rejected"])) \
        == summary["rejected"]  # and not one more
    assert worker.process is not None and worker.process.poll() is None
