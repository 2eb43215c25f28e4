"""OpenSSH and PAM authentication logs (/var/log/auth.log, /var/log/secure, journald text) as events.

Every line becomes events or one rejection: messages are classified by the table in
``openssh_rules``; a line is rejected only when its syslog header or its message is unknown.
"message repeated N times: [ msg ]" (rsyslog's reduction of N identical messages) becomes N events of
``msg`` with the line's timestamp and distinct ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from streams.parsers.base import (
    Event,
    ParseContext,
    Parsed,
    ParseResult,
    Rejected,
    Unparseable,
    finish,
    iso_utc,
    numbered,
)
from streams.parsers.openssh_rules import classify
from streams.parsers.syslogline import split_line

DATASET = "openssh.auth"
_REPEATED = re.compile(r"^message repeated (?P<times>\d+) times?: \[ ?(?P<inner>.*?) ?\]$")
MAX_REPEAT = 100_000  # a corrupt count must not turn one line into millions of events


def parse(lines: Iterable[str], *, context: ParseContext) -> Iterator[ParseResult]:
    """Events for sshd/PAM lines; Rejected (with the reason) for lines that are not."""
    for number, text in numbered(lines, context):
        position = context.position(number)
        try:
            events = _events(text, position, context)
        except Unparseable as e:
            yield Rejected(str(e), position, text)
        else:
            yield from (Parsed(event, position) for event in events)


def _events(text: str, position: str, context: ParseContext) -> list[Event]:
    line = split_line(text, context)
    times, message = _repetition(line.message)
    fields = classify(message)
    if fields is None:
        raise Unparseable(f"unrecognised {line.program} message")
    event = {
        "@timestamp": iso_utc(line.timestamp), "event.dataset": DATASET, "host.name": line.host,
        "process.name": line.program, "process.pid": line.pid, **fields,
    }
    return [finish(event, context=context, position=position, raw=text, index=index)
            for index in range(times)]


def _repetition(message: str) -> tuple[int, str]:
    match = _REPEATED.match(message)
    if not match:
        return 1, message
    times = int(match["times"])
    if not 1 <= times <= MAX_REPEAT:
        raise Unparseable("repetition count out of range")
    return times, match["inner"]
