"""Fuzzed hostile input through every entry (issue 12): `datalek parse` with every format, `datalek replay`,
the worker's per-message path (decode, route, rules), the HTTP events entry and the syslog receiver.

The property everywhere: nothing raises; each bad input is rejected with a short reason that does not contain
its value (tests.hostile.MARKER); a good event after the bad input is still read. The "ci" Hypothesis profile
(tests/conftest.py) draws the same bounded examples on every run; HYPOTHESIS_PROFILE=deep searches longer.
The live worker on a broker: tests/integration/test_hostile_messages.py.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from datalek import cli_parse
from datalek.replay import ReplayOptions, run
from datalek.rules import load_inventory, load_rules
from datalek.web.api.events import items_of
from incidents.rules import Engine
from streams import guard, jsontext, route, schema
from streams.http_events import judge
from streams.normalise import default_normaliser
from streams.parsers import FORMATS, ParseContext, Parsed, Rejected
from streams.syslog_receiver import SyslogReceiver
from tests.hostile import GOOD, GOOD_EVENT, examples, hostile_events, hostile_lines, hostile_messages, reason_problems

CAP = 4096  # line and message size limit in these tests (the shipped defaults are larger)
SCENARIO = Path(__file__).parents[2] / "datalek" / "scenarios" / "24online-password-guessing.jsonl"
ENGINE = Engine(load_rules((), defaults=True), inventory=load_inventory(None))


def _written(data: bytes) -> Path:
    with tempfile.NamedTemporaryFile("wb", suffix=".log", delete=False) as handle:
        handle.write(data)
    return Path(handle.name)


@st.composite
def format_and_lines(draw: st.DrawFn) -> tuple[str, list[bytes]]:
    fmt = draw(st.sampled_from(sorted(FORMATS)))
    return fmt, draw(st.lists(hostile_lines(fmt, cap=CAP), min_size=1, max_size=3))


@settings(max_examples=examples(150))
@given(format_and_lines())
@example(("ecs", [b"[[["]))  # an open array swallowed the JSON Lines after it (fixed in streams.parsers.jsondocs)
@example(("ecs", [b"[" * 50_000 + b"]" * 50_000]))
@example(("syslog", [b"Dec 10 06:55:46 h sshd[1]: message repeated 99999999999999 times: [ Invalid user x ]"]))
@example(("journald", [b'{"MESSAGE": [255, 254, 0], "SYSLOG_IDENTIFIER": "sshd", "__REALTIME_TIMESTAMP": "9999999999"}',
                       b'{"MESSAGE": null, "_COMM": "sshd"}']))
def test_parse_reads_every_hostile_line_and_the_good_line_after_it(case: tuple[str, list[bytes]]) -> None:
    """`datalek parse` (streams.lines, the format's parser, the schema), then the rules over its events."""
    fmt, lines = case
    path = _written(b"\n".join([*lines, GOOD[fmt].encode()]) + b"\n")
    try:
        found = list(cli_parse.records(str(path), fmt=fmt, year=2026, max_line_bytes=CAP))
    finally:
        path.unlink()
    good_line = f"{path.name}:{len(lines) + 1}"
    assert [r for r in found if r["kind"] == "event" and r["position"] == good_line], found[-3:]
    rejected = [r for r in found if r["kind"] == "rejected"]
    assert not [(r["reason"], p) for r in rejected for p in reason_problems(r["reason"])]
    assert found[-1]["kind"] == "summary"  # a non-JSON line after an open "{" is part of that rejected document
    events = [schema.to_event(r["event"]) for r in found if r["kind"] == "event"]
    assert not isinstance(guard.detect(ENGINE, {}, events), schema.Rejected)  # the rules take what parse gives


def _incidents(records: list[dict]) -> dict[tuple[str, tuple[str, ...]], set[str]]:
    return {(r["asset"], tuple(r["rule_ids"])): set(r["event_ids"]) for r in records if r["kind"] == "incident"}


CLEAN = list(run(SCENARIO, ReplayOptions(fmt="ecs", max_line_bytes=CAP)))
SCENARIO_LINES = SCENARIO.read_bytes().splitlines()


@settings(max_examples=examples(15))
@given(lines=st.lists(hostile_lines("ecs", cap=CAP), min_size=1, max_size=4),
       places=st.lists(st.integers(0, len(SCENARIO_LINES)), min_size=4, max_size=4))
def test_replay_opens_the_incidents_of_the_good_events_between_hostile_lines(lines: list[bytes],
                                                                             places: list[int]) -> None:
    """`datalek replay` (the parse path, then the rules and the correlation) over the scenario with hostile
    lines inserted: every incident of the clean replay opens with all of its events."""
    mixed = list(SCENARIO_LINES)
    for line, place in sorted(zip(lines, places, strict=False), key=lambda pair: -pair[1]):
        mixed.insert(place, line)
    path = _written(b"\n".join(mixed) + b"\n")
    try:
        records = list(run(path, ReplayOptions(fmt="ecs", max_line_bytes=CAP)))
    finally:
        path.unlink()
    assert records[-1]["events"] >= CLEAN[-1]["events"]
    found = _incidents(records)
    for key, event_ids in _incidents(CLEAN).items():  # each incident still opens, with every good event
        assert key in found and event_ids <= found[key], key


SURROGATE_EVENT = {"@timestamp": "2026-03-03T10:00:00Z", "event": {"action": "portal_login", "outcome": "failure"},
                   "user": {"name": "\ud800jan@example.nl"}, "source": {"ip": "203.0.113.45"}}
LONE_SURROGATE = json.dumps({"events": [SURROGATE_EVENT, GOOD_EVENT]}).encode()


def _ends_with_the_good_event(message: bytes) -> bool:
    try:
        events = jsontext.loads(message)["events"]  # a message that is not UTF-8 is rejected whole
    except (ValueError, RecursionError, TypeError, KeyError):
        return False
    return isinstance(events, list) and events[-1:] == [GOOD_EVENT]


@settings(max_examples=examples(100))
@given(hostile_messages(limit=CAP))
@example(b'{"events": [' + b"[" * 50_000 + b"]" * 50_000 + b"]}")
@example(b'{"events": [{"@timestamp": "2026-11-20T09:00:14Z", "event": {"action": "login"}, "a": '
         + b"[" * 990 + b"]" * 990 + b"}]}")
# a lone surrogate (CESU-8 bytes, or an escape without its pair) made the rules' hash raise UnicodeEncodeError
@example(LONE_SURROGATE.replace(b"\\ud800", b"\xed\xa0\x80"))
@example(LONE_SURROGATE)
def test_a_worker_message_costs_at_most_its_own_dead_letters(message: bytes) -> None:
    valid, rejected = guard.read_message(message, limit=CAP, normaliser=default_normaliser())
    assert not [(r.reason, p) for r in rejected for p in reason_problems(r.reason)]
    assert valid or rejected
    if len(message) <= CAP and _ends_with_the_good_event(message):
        assert any(e.id == "fuzz-good-0001" for e in valid)  # the good event after the hostile ones
    route.copies(ENGINE, valid, partitions=4)  # the route stage runs the rules' keys over every event
    found = guard.detect(ENGINE, {}, valid)
    assert not isinstance(found, schema.Rejected), found.reason  # the rules never fail on what the schema let in


@settings(max_examples=examples(150))
@given(st.lists(hostile_events(), min_size=1, max_size=4), st.booleans())
@example([SURROGATE_EVENT], False)
def test_the_http_entry_judges_every_hostile_event_and_accepts_the_good_one_after(items: list, envelope: bool
                                                                                  ) -> None:
    body = json.dumps({"events": [*items, GOOD_EVENT]} if envelope else [*items, GOOD_EVENT]).encode()
    verdicts = judge(items_of(jsontext.loads(body)), normaliser=default_normaliser())  # as the handler reads it
    events = [schema.to_event(v.event) for v in verdicts if v.event is not None]
    assert not isinstance(guard.detect(ENGINE, {}, events), schema.Rejected)
    assert len(verdicts) == len(items) + 1 and verdicts[-1].event_id == "fuzz-good-0001"
    reasons = [v.reason for v in verdicts if v.reason is not None]
    assert not [(r, p) for r in reasons for p in reason_problems(r)]


SYSLOG_GOOD = b"<38>Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186"


async def _through_receiver(messages: list[bytes]) -> tuple[list[Parsed], list[str], SyslogReceiver]:
    parsed: list[Parsed] = []
    reasons: list[str] = []
    count = 0

    def on_line(line: str, peer: str) -> None:
        nonlocal count
        count += 1
        context = ParseContext(source="syslog", first_line=count, year=2026)
        for result in FORMATS["syslog"]([line], context=context):  # as streams.ingest.SyslogForwarder does
            if isinstance(result, Parsed):
                parsed.append(result)
            elif isinstance(result, Rejected):
                reasons.append(result.reason)

    receiver = SyslogReceiver(on_line, port=0, udp=False, max_message_bytes=CAP,
                              clock=lambda: datetime(2026, 12, 10, 8, 0, tzinfo=UTC),
                              on_reject=lambda reason, cut, peer: reasons.append(reason))
    ports = await receiver.start()
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", ports.tcp)
        writer.write(b"".join(b"%d %s" % (len(m), m) for m in [*messages, SYSLOG_GOOD]))  # RFC 6587 counting
        await writer.drain()
        writer.close()
        for _ in range(200):
            if receiver.stats.received > len(messages):
                break
            await asyncio.sleep(0.01)
    finally:
        await receiver.stop()
    return parsed, reasons, receiver


syslog_messages = st.one_of(
    hostile_lines("syslog", cap=CAP).map(lambda line: b"<38>" + line),
    hostile_lines("syslog", cap=CAP),
    st.binary(max_size=64),
    st.builds(lambda n: b"<13>1 2026-12-10T07:08:30Z h app - - [x a=\"" + b"\\" * n, st.integers(0, 3 * CAP)),
)


@settings(max_examples=examples(50))
@given(st.lists(syslog_messages, min_size=1, max_size=4))
@example([b"", b" \r"])
def test_the_syslog_receiver_reads_every_hostile_message_and_the_good_one_after(messages: list[bytes]) -> None:
    parsed, reasons, receiver = asyncio.run(_through_receiver(messages))
    delivered = sum(1 for m in messages if m.strip()) + 1  # an empty or blank frame is no message (RFC 6587)
    assert receiver.stats.received == delivered and receiver.stats.failed == 0
    assert parsed and parsed[-1].event["user.name"] == "webmaster"
    assert not [(r, p) for r in reasons for p in reason_problems(r)]
