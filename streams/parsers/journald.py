"""The systemd journal as JSON (``journalctl -o json``, also Vector's ``journald`` source): the ``journald`` format.

Hosts without rsyslog (Debian 12 and later by default) have no auth.log: the journal is the only record of
sshd and PAM, and ``journalctl -o json -f`` (or ``--since``) is its machine-readable form. Each line is one
entry whose fields are strings (systemd.journal-fields(7), "JSON format" in systemd's journal export docs):

* ``MESSAGE``: the message; an array of byte values when it is not valid UTF-8, an array of values when the
  field occurs more than once, ``null`` when it is over 4096 bytes and ``--all`` was not given;
* ``SYSLOG_IDENTIFIER`` (the syslog tag, e.g. ``sshd``, ``sshd-session``) or else ``_COMM``: the program;
* ``SYSLOG_PID`` or ``_PID``; ``_HOSTNAME``;
* ``_SOURCE_REALTIME_TIMESTAMP`` (when the program logged it) or ``__REALTIME_TIMESTAMP`` (when journald got
  it): microseconds since the epoch, as a decimal string.

Vector's ``journald`` source renames three of them (``message``, ``host``, ``timestamp`` as RFC 3339) and keeps
the rest. The message then goes through the ``syslog`` format's program readers (``streams.parsers.syslog``),
so an entry of sshd or a PAM module gives the event its auth.log line gives, another program's entry is
Skipped, and an entry that is not a journal entry is Rejected with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from streams.parsers.base import ParseContext, ParseResult, Rejected, Skipped, Unparseable, parse_time
from streams.parsers.jsondocs import documents, first, records
from streams.parsers.syslog import results
from streams.parsers.syslogline import SyslogLine

MAX_MESSAGE_BYTES = 64 * 1024  # a journal MESSAGE as byte values: longer is not a log line
NO_PROGRAM = "journald"  # the program of an entry that names none (counted as skipped)


def parse(lines: Iterable[str], *, context: ParseContext) -> Iterator[ParseResult]:
    for item in documents(lines, context=context):
        if isinstance(item, Rejected):
            yield item
            continue
        for position, record, raw in records(item):
            try:
                yield from _entry(record, position, raw, context)
            except Unparseable as e:
                yield Rejected(str(e), position, raw)


def _entry(record: Any, position: str, raw: str, context: ParseContext) -> list[ParseResult]:
    if not isinstance(record, Mapping):
        raise Unparseable("journal entry is not a JSON object")
    program = _text(first(record, "SYSLOG_IDENTIFIER", "_COMM"), "SYSLOG_IDENTIFIER")
    if "MESSAGE" in record or "message" in record:
        message = _message(record.get("MESSAGE", record.get("message")))
    elif program:
        return [Skipped(program, position)]  # an entry without a message (e.g. a coredump's metadata)
    else:
        raise Unparseable("not a journal entry (no MESSAGE, SYSLOG_IDENTIFIER or _COMM)")
    if not program:
        return [Skipped(NO_PROGRAM, position)]
    line = SyslogLine(_moment(record, context), _text(first(record, "_HOSTNAME", "host"), "_HOSTNAME") or "",
                      program, _pid(first(record, "SYSLOG_PID", "_PID")), message.rstrip())
    return results(line, line.message, 1, raw, position, context)


def _text(value: Any, name: str) -> str | None:
    if isinstance(value, list) and value:  # the field occurs more than once: its first value
        value = value[0]
    if value is None or isinstance(value, str):
        return value or None
    raise Unparseable(f"{name} is not text")


def _message(value: Any) -> str:
    if value is None:
        raise Unparseable("MESSAGE is null: over 4096 bytes and not exported (journalctl -o json --all)")
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, int) and 0 <= v <= 255 for v in value):
        if len(value) > MAX_MESSAGE_BYTES:
            raise Unparseable("MESSAGE too long")
        return bytes(value).decode("utf-8", errors="replace")  # not valid UTF-8: journalctl's byte array
    if isinstance(value, list) and value:  # repeated field: the first value
        return _message(value[0])
    raise Unparseable("MESSAGE is not text")


def _moment(record: Mapping[str, Any], context: ParseContext) -> datetime:
    micros = first(record, "_SOURCE_REALTIME_TIMESTAMP", "__REALTIME_TIMESTAMP")
    if micros is not None:
        if not (isinstance(micros, str) and micros.isdigit()) or len(micros) > 19:
            raise Unparseable("journal timestamp is not microseconds since the epoch")
        try:
            return datetime.fromtimestamp(int(micros) / 1_000_000, UTC)
        except (OverflowError, ValueError, OSError) as e:
            raise Unparseable("journal timestamp out of range") from e
    stamp = record.get("timestamp")  # Vector
    if stamp is None:
        raise Unparseable("journal entry without a time (__REALTIME_TIMESTAMP)")
    try:
        return parse_time(stamp, tz=context.tz)
    except (ValueError, OverflowError) as e:
        raise Unparseable("journal timestamp is not ISO 8601") from e


def _pid(value: Any) -> int | None:
    value = value[0] if isinstance(value, list) and value else value
    if isinstance(value, str) and value.isdigit() and len(value) <= 10:
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**32:
        return value
    return None
