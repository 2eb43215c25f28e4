"""Input lines are capped before parsing: an oversized or non-UTF-8 line is one rejection naming its line,
read with bounded readline calls, and the lines after it are parsed with their own line numbers."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest

from streams.lines import SKIP_CHUNK, BoundedLines, parse_bounded
from streams.parsers import FORMATS, ParseContext, Parsed, Rejected
from streams.raw import RawLimits, read_raw

CONTEXT = ParseContext(source="auth.log", year=2026)
SSHD = "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186\n"
ECS = json.dumps({"@timestamp": "2026-11-20T09:00:00Z", "event": {"category": "authentication",
                                                                  "action": "logon-failed"}}) + "\n"


class Recording(io.BytesIO):
    """A real in-memory file that remembers how much each readline call asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int] = []

    def readline(self, size: int | None = -1, /) -> bytes:
        self.asked.append(-1 if size is None else size)
        return super().readline(size)


def _results(data: bytes, fmt: str = "openssh", *, max_bytes: int = 1024 * 1024) -> list:
    return list(parse_bounded(FORMATS[fmt], io.BytesIO(data), context=CONTEXT, max_bytes=max_bytes))


def test_a_5_mb_line_is_rejected_with_its_number_and_size_and_the_next_lines_still_parse() -> None:
    data = SSHD.encode() + b"Dec 10 06:55:47 LabSZ sshd[1]: " + b"A" * 5_000_000 + b"\n" + SSHD.encode() * 2
    results = _results(data)
    assert [type(r).__name__ for r in results] == ["Parsed", "Rejected", "Parsed", "Parsed"]
    size = len(data.splitlines()[1])
    assert results[1].reason == f"line 2 of {size:,} bytes is over the limit of 1,048,576 bytes"
    assert results[1].position == "auth.log:2" and len(results[1].raw) == 1024 * 1024
    assert [r.position for r in results if isinstance(r, Parsed)] == ["auth.log:1", "auth.log:3", "auth.log:4"]


def test_a_non_utf8_line_is_rejected_and_the_next_line_still_parses() -> None:
    results = _results(ECS.encode() + b'{"user": "\xff\xfe"}\n' + ECS.encode(), fmt="ecs")
    assert [type(r).__name__ for r in results] == ["Parsed", "Rejected", "Parsed"]
    assert results[1].reason == "line 2 is not UTF-8 text (invalid byte at offset 10)"
    assert results[2].position == "auth.log:3"


def test_an_oversized_line_is_read_in_bounded_chunks_never_whole() -> None:
    source = Recording(b"x" * 3_000_000 + b"\n" + SSHD.encode())
    lines = BoundedLines(source, context=CONTEXT, max_bytes=1000)
    assert list(lines) == ["\n", SSHD]
    assert max(source.asked) <= max(1002, SKIP_CHUNK) and -1 not in source.asked
    [rejected] = lines.take_rejected()
    assert rejected.reason == "line 1 of 3,000,000 bytes is over the limit of 1,000 bytes"


@pytest.mark.parametrize(("content", "ending", "accepted"), [
    (b"x" * 100, b"\n", True), (b"x" * 100, b"\r\n", True), (b"x" * 100, b"", True),
    (b"x" * 101, b"\n", False), (b"x" * 101, b"\r\n", False), (b"x" * 101, b"", False),
])
def test_the_cap_counts_the_line_without_its_ending(content: bytes, ending: bytes, accepted: bool) -> None:
    after = b"next\n" if ending else b""  # no ending: the last line of the input
    lines = BoundedLines(io.BytesIO(content + ending + after), context=CONTEXT, max_bytes=100)
    texts = list(lines)
    assert texts[1:] == (["next\n"] if after else [])
    assert (not list(lines.take_rejected())) is accepted


def test_an_oversized_last_line_without_an_ending_is_rejected_with_its_size() -> None:
    results = _results(SSHD.encode() + b"y" * 5000, max_bytes=1000)
    assert isinstance(results[-1], Rejected)
    assert results[-1].reason == "line 2 of 5,000 bytes is over the limit of 1,000 bytes"


def test_rejections_keep_counting_from_the_contexts_first_line() -> None:
    context = ParseContext(source="syslog-peer", year=2026, first_line=41)
    lines = BoundedLines(io.BytesIO(b"\xc3\x28\n"), context=context)
    list(lines)
    [rejected] = lines.take_rejected()
    assert rejected.position == "syslog-peer:41" and rejected.reason.startswith("line 41 is not UTF-8")


def test_a_raw_message_gets_the_same_line_caps() -> None:
    context = ParseContext(source="datalek.raw.openssh:0:7", reference=datetime(2026, 12, 31, tzinfo=UTC))
    value = SSHD.encode() + b"z" * 3000 + b"\n" + b"\xff\n" + SSHD.encode()
    results = list(read_raw("openssh", value, context=context, limits=RawLimits(line_bytes=1000)))
    assert [type(r).__name__ for r in results] == ["Parsed", "Rejected", "Rejected", "Parsed"]
    assert results[1].position == "datalek.raw.openssh:0:7:2" and "3,000 bytes" in results[1].reason
    assert results[2].reason == "line 3 is not UTF-8 text (invalid byte at offset 0)"


def test_a_raw_message_over_the_message_cap_is_one_rejection_with_its_size() -> None:
    context = ParseContext(source="datalek.raw.openssh:0:8", year=2026)
    value = SSHD.encode() * 100
    [rejected] = read_raw("openssh", value, context=context, limits=RawLimits(message_bytes=1000, line_bytes=500))
    assert rejected.reason == f"message of {len(value):,} bytes is over the limit of 1,000 bytes"
    assert len(rejected.raw) == 500
