"""Hypothesis strategies for hostile input (issue 12): events with wrong types, control characters and deep
nesting, malformed and truncated JSON, invalid UTF-8, oversized lines and messages.

Every hostile string carries MARKER, a stand-in for personal data: a rejection's reason must never contain
it (the reason goes to logs and dead-letter records; the payload stays in the record only). GOOD holds one
line per format that its parser turns into exactly one event (from tests/unit/parsers/samples), to be placed
after the hostile input: it must still come out as an event.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

from hypothesis import Phase, given, settings
from hypothesis import strategies as st

MARKER = "Jan-Jansen-NL91ABNA0417164300"
SCALE = 20 if os.environ.get("HYPOTHESIS_PROFILE") == "deep" else 1  # examples per test: ci's bounded count


def examples(count: int) -> int:
    return count * SCALE


MAX_REASON = 200  # a reason is a short sentence; an echoed value or key would make it long
SAMPLES = Path(__file__).parent / "unit" / "parsers" / "samples"

C0 = [chr(c) for c in range(0x20) if chr(c) != "\n"] + ["\x7f"]
C1 = [chr(c) for c in range(0x80, 0xA0)]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
        "\u200f", "\u061c", "\ufeff", "\u2028", "\u2029"]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
ECS_FIELDS = ["@timestamp", "event.id", "event.action", "event.category", "event.type", "event.outcome",
              "event.kind", "event.dataset", "event.module", "user.name", "user.id", "user.target.name",
              "source.ip", "source.port", "destination.ip", "host.name", "datalek.asset", "datalek.schema",
              "datalek.records", "url.path", "file.name", "process.command_line", "message", "related.user",
              "event", "user", "source", "host", "datalek", "event.category.name"]


def _line(path: str, *, index: int = 0) -> str:
    return (SAMPLES / path).read_text().splitlines()[index]


GOOD: dict[str, str] = {
    "syslog": _line("auth.log"),
    "openssh": _line("auth.log"),
    "combined": _line("access.log"),
    "ecs": _line("ecs.jsonl"),
    "m365": json.dumps(json.loads((SAMPLES / "m365.json").read_text())[0]),
    "cloudtrail": _line("cloudtrail.jsonl"),
    "okta": _line("okta.jsonl"),
    "edr": _line("edr.jsonl"),
    "dlp": _line("dlp.jsonl"),
    "journald": _line("journal.jsonl", index=1),  # sshd's "Failed password" entry
}
JSON_FORMATS = ("ecs", "m365", "cloudtrail", "okta", "edr", "dlp", "journald")

# a valid worker event (event schema v1) to place after hostile ones in the same envelope
GOOD_EVENT: dict[str, Any] = {
    "@timestamp": "2026-11-20T09:00:14Z", "datalek": {"schema": 1, "asset": "klantportaal"},
    "event": {"kind": "event", "category": ["authentication"], "action": "login", "outcome": "failure",
              "id": "fuzz-good-0001"},
    "user": {"name": "klant3991"}, "source": {"ip": "198.51.100.57"}, "host": {"name": "portal-web-01"},
}

# text: any characters, weighted towards the controls, bidi overrides and lone surrogates, always with MARKER
chars = st.one_of(st.sampled_from(C0 + C1 + BIDI + SURROGATES), st.characters(), st.sampled_from('"\\{}[]:,*?'))
noise = st.text(chars, max_size=12)
hostile_text = st.builds(lambda a, b: a + MARKER + b, noise, noise)
hostile_keys = st.one_of(st.sampled_from(ECS_FIELDS), st.text(chars, min_size=1, max_size=10))
scalars = st.one_of(
    hostile_text,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.sampled_from(["", " ", "2026-11-20T09:00:14Z", "2026-11-20T09:00:14", "99999-01-01T00:00:00Z", "-1",
                     "1e400", "NaN", "0", "::1", "256.1.1.1", "fe80::1%eth0"]),
)
hostile_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(hostile_keys, inner, max_size=3)),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if not isinstance(value, dict):
        return [prefix]
    found = [prefix] if prefix else []
    for key, item in value.items():
        found += _paths(item, (*prefix, key))
    return found


def _set(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target: Any = record
    for key in path[:-1]:
        if not isinstance(target, dict) or not isinstance(target.get(key), dict):
            return
        target = target[key]
    target[path[-1]] = value


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` with one to three of its fields (leaves or whole objects) replaced by hostile values, and
    maybe hostile extra fields (ECS names, dotted twins of nested ones, or control characters)."""
    record = copy.deepcopy(base)
    paths = _paths(record)
    for _ in range(draw(st.integers(1, 3))):
        _set(record, draw(st.sampled_from(paths)), draw(hostile_values))
    record.update(draw(st.dictionaries(hostile_keys, hostile_values, max_size=2)))
    return record


def dumps(value: Any, *, ascii_only: bool) -> bytes:
    """JSON as a producer might write it: NaN allowed, lone surrogates raw (CESU bytes) unless escaped."""
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


@st.composite
def nested(draw: st.DrawFn) -> bytes:
    """Arrays or objects nested from just under to far over the decoder's recursion limit, closed or not."""
    depth = draw(st.one_of(st.integers(300, 1200), st.sampled_from([5_000, 50_000])))
    opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}"), (b'[{"a":', b"}]")]))
    closed = draw(st.booleans())
    inner = draw(st.sampled_from([b"1", b'"' + MARKER.encode() + b'"', b"[]", b"{}"]))
    wrapper = draw(st.sampled_from([(b"", b""), (b'{"events": [', b"]}"), (b'{"@timestamp": "2026-11-20T09:00:14Z",'
                                                                            b' "event": ', b"}")]))
    return wrapper[0] + opener * depth + inner + (closer * depth if closed else b"") + wrapper[1]


@st.composite
def broken(draw: st.DrawFn, document: bytes) -> bytes:
    """``document`` truncated, or with bytes inserted, replaced or deleted (malformed JSON, invalid UTF-8)."""
    kind = draw(st.sampled_from(["truncate", "insert", "replace", "delete"]))
    at = draw(st.integers(0, max(len(document) - 1, 0)))
    if kind == "truncate":
        return document[:at]
    junk = draw(st.one_of(st.binary(min_size=1, max_size=4),
                          st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80",
                                           b'"', b"{", b"]", b",", b"\\", b"\x00", b"\x1b[2J"]))).replace(b"\n", b" ")
    if kind == "insert":
        return document[:at] + junk + document[at:]
    if kind == "replace":
        return document[:at] + junk + document[at + len(junk):]
    return document[:at] + document[at + draw(st.integers(1, 8)):]


def text_lines(fmt: str) -> st.SearchStrategy[bytes]:
    """Lines of the format's own shape (or near it) with hostile values inside."""
    good = GOOD[fmt].encode()
    head = {"combined": b'203.0.113.9 - - [10/Dec/2026:06:55:46 +0000] "'}.get(
        fmt, b"Dec 10 06:55:46 portal-01 sshd[4242]: ")
    tails = st.sampled_from([b"Invalid user %s from 203.0.113.9 port 4242",
                             b"Failed password for %s from %s port 22 ssh2",
                             b"message repeated 99999999999999 times: [ Failed password for %s from 1.2.3.4 ]",
                             b"pam_unix(sshd:auth): authentication failure; user=%s rhost=%s",
                             b"POST /login?u=%s HTTP/1.1\" 401 %s \"-\" \"%s\"", b"%s"])
    values = hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass").replace(b"\n", b" "))
    return st.one_of(
        st.builds(lambda t, v: head + t.replace(b"%s", v), tails, values),
        st.builds(lambda v, cut: good[:cut] + v, values, st.integers(0, len(good))),
    )


def hostile_lines(fmt: str, *, cap: int) -> st.SearchStrategy[bytes]:
    """One hostile input line (no line feed) for format ``fmt``; ``cap``: the line size limit in bytes."""
    good = GOOD[fmt].encode()
    bases = [json.loads(GOOD[fmt])] if fmt in JSON_FORMATS else [json.loads(GOOD["ecs"])]
    events = st.builds(dumps, st.sampled_from(bases).flatmap(mutated), ascii_only=st.booleans())
    oversized = st.builds(lambda n, fill: (good + fill * n)[: cap + n], st.integers(1, 2 * cap),
                          st.sampled_from([b"A", b"[", b"\xff", MARKER.encode()]))
    line = st.one_of(events, nested(), broken(good), text_lines(fmt), events.flatmap(broken),
                     oversized, st.binary(min_size=1, max_size=64))
    return line.map(lambda raw: raw.replace(b"\n", b" ").replace(b"\r", b" ")).filter(lambda raw: raw.strip())


def hostile_events() -> st.SearchStrategy[Any]:
    """A decoded event for the worker and the HTTP entry: a mutated good event, or any other JSON value."""
    return st.one_of(mutated(GOOD_EVENT), mutated(json.loads(GOOD["ecs"])), hostile_values)


@st.composite
def hostile_messages(draw: st.DrawFn, *, limit: int) -> bytes:
    """One Kafka message for the events topic: hostile events (alone or in an envelope before a good one),
    broken or nested JSON, invalid UTF-8, or a message over ``limit`` bytes."""
    ascii_only = draw(st.booleans())
    envelope = dumps({"events": [*draw(st.lists(hostile_events(), min_size=1, max_size=3)), GOOD_EVENT]},
                     ascii_only=ascii_only)
    kind = draw(st.sampled_from(["envelope", "event", "broken", "nested", "binary", "oversized"]))
    if kind == "envelope":
        return envelope
    if kind == "event":
        return dumps(draw(hostile_events()), ascii_only=ascii_only)
    if kind == "broken":
        return draw(broken(envelope))
    if kind == "nested":
        return draw(nested())
    if kind == "binary":
        return draw(st.binary(max_size=64))
    return envelope + b" " * (limit + 1 - len(envelope)) if len(envelope) <= limit else envelope


def reason_problems(reason: str) -> list[str]:
    """What is wrong with a rejection's reason: the marker (a value) in it, or a reason that is not short."""
    problems = []
    if MARKER in reason or MARKER[:12] in reason:
        problems.append("the reason contains the value")
    if len(reason) > MAX_REASON:
        problems.append(f"the reason has {len(reason)} characters")
    return problems


def drawn(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """A fixed sample of ``count`` values of ``strategy`` (derandomized: the same on every run), for tests
    that cannot run Hypothesis themselves (one live worker per test)."""
    found: list[Any] = []

    @settings(max_examples=count, derandomize=True, database=None, phases=[Phase.generate], deadline=None)
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found
