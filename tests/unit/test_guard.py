"""One bad message costs one dead letter: nested, oversized and rule-breaking messages are rejected alone."""

import json

from streams import guard, schema
from tests.unit.test_schema import GOOD


def test_deeply_nested_json_is_a_rejection_not_a_crash():
    line = b"[" * 50_000 + b"]" * 50_000  # the hostile line of the security review
    valid, [rejected] = guard.read_message(line, limit=1_000_000)
    assert valid == [] and rejected.reason == "message is nested too deeply to decode"
    assert rejected.index == -1 and len(rejected.payload) == 100_000
    [item] = schema.decode(line)
    assert item == rejected


def test_nesting_inside_an_envelope_rejects_that_message_only_with_its_text():
    deep = json.dumps(GOOD)[:-1] + ', "labels": ' + '{"a": ' * 5000 + "1" + "}" * 5001
    message = f'{{"events": [{json.dumps(GOOD)}, {deep}]}}'.encode()
    valid, [rejected] = guard.read_message(message, limit=1_000_000)
    assert valid == [] and rejected.payload == message.decode()
    assert guard.read_message(schema.encode_envelope([GOOD]), limit=1_000_000)[0][0].id == "x1"


def test_a_message_over_the_limit_is_rejected_unread_with_its_size():
    big = schema.encode_envelope([GOOD] * 3000)
    valid, [rejected] = guard.read_message(big, limit=100_000)
    assert valid == [] and rejected.reason == f"message of {len(big)} bytes is over the limit of 100000 bytes"
    assert rejected.payload == big.decode()
    valid, rejected = guard.read_message(big, limit=len(big))  # at the limit: read as usual
    assert len(valid) == 3000 and rejected == []


class Broken:
    """A rule engine that fails on one event: a bug, or input the schema let through."""

    def detect(self, state, events, holds=None):
        for e in events:
            if e.user == "klant-bad":
                raise KeyError(e.user)
            state[e.id] = 1
        return []


def test_rules_failing_on_a_message_give_a_rejection_without_the_values(caplog):
    bad = schema.to_event({**GOOD, "user": {"name": "klant-bad"}})
    good = schema.to_event(GOOD)
    assert guard.detect(Broken(), {}, [good]) == []
    rejected = guard.detect(Broken(), {}, [good, bad])
    assert isinstance(rejected, schema.Rejected) and rejected.reason == "rules failed on this message (KeyError)"
    assert [e["user.name"] for e in rejected.payload] == ["klant1", "klant-bad"]  # kept in the dead letter
    assert "klant-bad" not in caplog.text and "KeyError" in caplog.text
