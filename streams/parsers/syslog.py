"""Linux syslog files (auth.log, secure, messages, journald text) as events: the ``syslog`` format.

Lines of the authentication programs (sshd, PAM modules, su, login, sudo, passwd, unix_chkpwd, the
shadow-utils account tools; see ``syslog_programs``) become events. Lines of other programs (cron,
kernel, postfix, ...) are Skipped and counted per program: they are not bad input. Only a line without
a syslog header, or an authentication program's line that no rule knows, is Rejected.

rsyslog's "message repeated N times: [ msg ]" becomes N events of ``msg``; sysklogd's "last message
repeated N times" repeats the previous line N more times (host and program from that line).
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
MAX_REPEAT = 100_000  # a corrupt count must not turn one line into millions of results
_JOURNAL_MARKER = re.compile(r"^-- .* --$")  # journalctl's "-- Boot 3f1c... --", "-- No entries --"
JOURNALCTL = "journalctl"
_NO_USER = frozenset({"UNKNOWN", "(unknown)"})  # login's placeholders for a name it will not log


@dataclass(frozen=True, slots=True)
class _Previous:
    line: SyslogLine
    message: str


def parse(lines: Iterable[str], *, context: ParseContext) -> Iterator[ParseResult]:
    """Events for auth lines, Skipped for other programs' lines, Rejected (with the reason) for bad ones."""
    previous: _Previous | None = None
    for number, text in numbered(lines, context):
        position = context.position(number)
        if _JOURNAL_MARKER.match(text):
            yield Skipped(JOURNALCTL, position)
            continue
        try:
            times, line, message = _repetition(split_line(text, context), previous)
            previous = _Previous(line, message)
            results = _results(line, message, times, text, position, context)
        except Unparseable as e:
            yield Rejected(str(e), position, text)
            continue
        yield from results


def _repetition(line: SyslogLine, previous: _Previous | None) -> tuple[int, SyslogLine, str]:
    """How often the line's message counts, the line to read it as, and the message itself."""
    if line.program == LAST_REPEATED:
        times = _count(_LAST.match(line.message))
        if previous is None:
            raise Unparseable("\"last message repeated\" without a previous line in this input")
        earlier = previous.line
        return times, SyslogLine(line.timestamp, line.host or earlier.host, earlier.program, earlier.pid,
                                 previous.message), previous.message
    match = _REPEATED.match(line.message)
    return (_count(match), line, match["inner"]) if match else (1, line, line.message)


def _count(match: re.Match[str] | None) -> int:
    times = int(match["times"]) if match else 0
    if not 1 <= times <= MAX_REPEAT:
        raise Unparseable("repetition count out of range")
    return times


def _results(line: SyslogLine, message: str, times: int, text: str, position: str,
             context: ParseContext) -> list[ParseResult]:
    name, reader = program(line.program)
    fields = classify(message, reader.rules)
    if fields is None:
        if reader.strict:
            raise Unparseable(f"unrecognised {name} message")
        return [Skipped(name, position)]  # one per line, however often the line repeats
    if fields.get("user.name") in _NO_USER:
        del fields["user.name"]
    event = {"@timestamp": iso_utc(line.timestamp), "event.dataset": reader.dataset, "host.name": line.host,
             "process.name": name, "process.pid": line.pid, **fields}
    return [Parsed(finish(event, context=context, position=position, raw=text, index=index), position)
            for index in range(times)]
