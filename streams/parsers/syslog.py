"""Linux syslog files (auth.log, secure, messages, journald text) as events: the ``syslog`` format.

Lines of the authentication programs (sshd, PAM modules, su, login, sudo, passwd, unix_chkpwd, the
shadow-utils account tools; see ``syslog_programs``) become events. Lines of other programs (cron,
kernel, postfix, ...) are Skipped and counted per program: they are not bad input. Only a line without
a syslog header, or an authentication program's line that no rule knows, is Rejected.

rsyslog's "message repeated N times: [ msg ]" becomes N events of ``msg``; sysklogd's "last message
repeated N times" repeats the previous line N more times (host and program from that line; skipped,
as program ``syslogd``, when that line is not in the input). Both expand into at most
``context.max_repeats`` events, each carrying the line's N in ``datalek.repeated``, so a crafted count
cannot turn three short lines into 300,000 events; a count over MAX_REPEAT is rejected as corrupt.
journalctl's "-- Boot ... --" separators are skipped (program ``journalctl``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from streams.parsers.authrules import classify
from streams.parsers.base import (
    ParseContext,
    Parsed,
    ParseResult,
    Rejected,
    Skipped,
    Unparseable,
    finish,
    iso_utc,
    numbered,
)
from streams.parsers.syslog_programs import program
from streams.parsers.syslogline import LAST_REPEATED, SyslogLine, split_line

_REPEATED = re.compile(r"^message repeated (?P<times>\d+) times?: \[ ?(?P<inner>.*?) ?\]$")
_LAST = re.compile(r"^last message repeated (?P<times>\d+) times?$")
MAX_REPEAT = 100_000  # a larger count is corrupt input: rejected (a smaller one expands to max_repeats at most)
_JOURNAL_MARKER = re.compile(r"^-- .* --$")  # journalctl's "-- Boot 3f1c... --", "-- No entries --"
JOURNALCTL = "journalctl"
SYSLOGD = "syslogd"  # the writer of a "last message repeated" whose message is not in the input
_NO_USER = frozenset({"UNKNOWN", "(unknown)"})  # login's placeholders for a name it will not log


@dataclass(frozen=True, slots=True)
class _Previous:
    line: SyslogLine
    message: str


def parse(lines: Iterable[str], *, context: ParseContext) -> Iterator[ParseResult]:
    """Events for auth lines, Skipped for other programs' lines, Rejected (with the reason) for bad ones."""
    reader = _Reader(context)
    for number, text in numbered(lines, context):
        position = context.position(number)
        try:
            yield from reader.read(text, position)
        except Unparseable as e:
            yield Rejected(str(e), position, text)


class _Reader:
    """Reads lines in order; remembers the last one for sysklogd's "last message repeated"."""

    def __init__(self, context: ParseContext) -> None:
        self.context = context
        self.previous: _Previous | None = None

    def read(self, text: str, position: str) -> list[ParseResult]:
        if _JOURNAL_MARKER.match(text):
            return [Skipped(JOURNALCTL, position)]
        line = split_line(text, self.context)
        if line.program == LAST_REPEATED:
            if self.previous is None:  # it repeats a line before this input (or another datagram)
                return [Skipped(SYSLOGD, position)]
            times, line, message = self._last_repeated(line, self.previous)
        else:
            times, message = _repetition(line.message)
        self.previous = _Previous(line, message)
        return results(line, message, times, text, position, self.context)

    @staticmethod
    def _last_repeated(line: SyslogLine, previous: _Previous) -> tuple[int, SyslogLine, str]:
        earlier = previous.line
        repeated = SyslogLine(line.timestamp, line.host or earlier.host, earlier.program, earlier.pid,
                              previous.message)
        return _count(_LAST.match(line.message)), repeated, previous.message


def _repetition(message: str) -> tuple[int, str]:
    """rsyslog's "message repeated N times: [ msg ]" as (N, msg); any other message once."""
    match = _REPEATED.match(message)
    return (_count(match), match["inner"]) if match else (1, message)


def _count(match: re.Match[str] | None) -> int:
    times = int(match["times"]) if match else 0
    if not 1 <= times <= MAX_REPEAT:
        raise Unparseable("repetition count out of range")
    return times


def results(line: SyslogLine, message: str, times: int, text: str, position: str,
             context: ParseContext) -> list[ParseResult]:
    name, reader = program(line.program)
    if reader.ignored and reader.ignored.match(message):
        return [Skipped(name, position)]
    fields = classify(message, reader.rules(message))
    if fields is None:
        if reader.strict:
            raise Unparseable(f"unrecognised {name} message")
        return [Skipped(name, position)]  # one per line, however often the line repeats
    if fields.get("user.name") in _NO_USER:
        del fields["user.name"]
    event = {"@timestamp": iso_utc(line.timestamp), "event.dataset": reader.dataset, "host.name": line.host,
             "process.name": name, "process.pid": line.pid, **fields}
    if times > 1:
        event["datalek.repeated"] = times
    return [Parsed(finish(event, context=context, position=position, raw=text, index=index), position)
            for index in range(min(times, context.max_repeats))]
