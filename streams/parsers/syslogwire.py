"""Syslog on the wire, without I/O: RFC 5424 and RFC 3164 messages, and RFC 6587 TCP framing.

``SyslogMessage.line()`` rewrites a received message as a syslog file line ("TIMESTAMP HOST APP[PID]:
MSG"), the form the line parsers (e.g. ``openssh``) read, so forwarded logs and log files share one path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PRI = re.compile(r"^<(?P<pri>\d{1,3})>")
_RFC5424 = re.compile(r"^(?P<version>[1-9]\d?) (?P<ts>\S+) (?P<host>\S+) (?P<app>\S+) (?P<procid>\S+) \S+ "
                      r"(?P<rest>.*)$", re.DOTALL)
_RFC3164_TIME = re.compile(r"^(?P<ts>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\S+) (?P<rest>.*)$",
                           re.DOTALL)
_TAG = re.compile(r"^(?P<app>[^\s\[:]+)(?:\[(?P<procid>[^\]]*)\])?: ?(?P<msg>.*)$", re.DOTALL)
NIL = "-"
BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class SyslogMessage:
    """The parts of one syslog message; the timestamp is kept as sent (RFC 3164 stamps lack a year)."""

    facility: int | None
    severity: int | None
    timestamp: str | None
    hostname: str | None
    app_name: str | None
    procid: str | None
    message: str

    def line(self, *, default_host: str, default_time: str) -> str:
        """The message as a syslog file line; missing parts come from the receiver (peer, arrival time)."""
        tag = self.app_name or NIL
        if self.procid and self.procid.isdigit():
            tag = f"{tag}[{self.procid}]"
        return f"{self.timestamp or default_time} {self.hostname or default_host} {tag}: {self.message}"


def parse_message(text: str) -> SyslogMessage:
    """RFC 5424 when a version follows the PRI, otherwise RFC 3164 (with or without PRI, as best effort)."""
    text = text.rstrip("\r\n\x00")
    match = _PRI.match(text)
    pri = int(match["pri"]) if match and int(match["pri"]) < 192 else None
    body = text[match.end():] if match else text
    facility, severity = (pri // 8, pri % 8) if pri is not None else (None, None)
    rfc5424 = _RFC5424.match(body)
    if rfc5424:
        return _from_5424(rfc5424, facility, severity)
    return _from_3164(body, facility, severity)


def _from_5424(match: re.Match[str], facility: int | None, severity: int | None) -> SyslogMessage:
    message = after_structured_data(match["rest"])
    return SyslogMessage(facility, severity, _nil(match["ts"]), _nil(match["host"]), _nil(match["app"]),
                         _nil(match["procid"]), message.removeprefix(BOM))


def after_structured_data(rest: str) -> str:
    """MSG after STRUCTURED-DATA ("-" or "[id k="v"]..."; "]" and quotes may be escaped inside values)."""
    if rest.startswith(NIL):
        return rest[2:]
    if not rest.startswith("["):
        return rest  # malformed STRUCTURED-DATA: keep everything rather than guess
    index, quoted = 0, False
    while index < len(rest) and rest[index] == "[":
        index += 1
        while index < len(rest) and (quoted or rest[index] != "]"):
            if rest[index] == "\\":
                index += 1
            elif rest[index] == '"':
                quoted = not quoted
            index += 1
        index += 1
    return rest[index + 1:] if index < len(rest) else ""


def _from_3164(body: str, facility: int | None, severity: int | None) -> SyslogMessage:
    stamped = _RFC3164_TIME.match(body)
    timestamp, rest = (stamped["ts"], stamped["rest"]) if stamped else (None, body)
    hostname = None
    first, _, remainder = rest.partition(" ")
    if stamped and remainder and not first.endswith(":") and "[" not in first:
        hostname, rest = first, remainder
    tag = _TAG.match(rest)
    if not tag:
        return SyslogMessage(facility, severity, timestamp, hostname, None, None, rest)
    return SyslogMessage(facility, severity, timestamp, hostname, tag["app"], tag["procid"], tag["msg"])


def _nil(value: str) -> str | None:
    return None if value == NIL else value


class FramingError(Exception):
    """A TCP stream breaks RFC 6587 framing (an octet count that is not a number): it cannot be resynchronised."""


@dataclass(frozen=True, slots=True)
class Oversized:
    """A message over the size limit, skipped unread (never buffered whole); ``size`` in bytes."""

    size: int


class StreamFramer:
    """Splits a TCP byte stream into messages: octet counting ("LEN SP MSG") or LF/NUL-terminated lines.

    A message over ``max_bytes`` is not kept: its bytes are dropped as they arrive and an ``Oversized`` takes
    its place in the output, so the messages after it on the same connection are still read.
    """

    def __init__(self, *, max_bytes: int) -> None:
        self._buffer = bytearray()
        self._max = max_bytes
        self._discard = 0  # bytes of an oversized octet-counted message still to drop
        self._skipped: int | None = None  # bytes dropped so far of an oversized line, until its end

    def feed(self, data: bytes) -> list[bytes | Oversized]:
        """The messages completed by ``data``, in order."""
        self._buffer += data
        frames: list[bytes | Oversized] = []
        while self._buffer:
            frame = self._next()
            if frame is None:
                break
            if isinstance(frame, Oversized) or frame.strip():
                frames.append(frame)
        return frames

    def close(self) -> list[bytes | Oversized]:
        """At end of stream: a last LF-less line counts; an incomplete counted message does not."""
        rest, self._buffer = bytes(self._buffer), bytearray()
        if self._skipped is not None:
            return [Oversized(self._skipped + len(rest))]
        if self._discard:
            return []  # already reported when its count was read
        if rest[:1].isdigit():
            raise FramingError("stream ended inside an octet-counted message")
        return [rest.rstrip(b"\r")] if rest.strip() else []

    def _next(self) -> bytes | Oversized | None:
        """The next frame, or None when the buffer holds no complete one (or only bytes being dropped)."""
        if self._discard:
            dropped = min(self._discard, len(self._buffer))
            del self._buffer[:dropped]
            self._discard -= dropped
            return None if not self._buffer else self._next()
        if self._skipped is not None:
            return self._skip_line()
        return self._octet_counted() if self._buffer[:1].isdigit() else self._terminated()

    def _octet_counted(self) -> bytes | Oversized | None:
        space = self._buffer.find(b" ", 0, 12)
        if space < 0:
            if len(self._buffer) >= 12:
                raise FramingError("invalid octet count")
            return None
        count = bytes(self._buffer[:space])
        if not count.isdigit():
            raise FramingError("invalid octet count")
        if int(count) > self._max:
            del self._buffer[:space + 1]
            self._discard = int(count)
            return Oversized(int(count))
        end = space + 1 + int(count)
        if len(self._buffer) < end:
            return None
        frame = bytes(self._buffer[space + 1:end])
        del self._buffer[:end]
        return frame

    def _terminated(self) -> bytes | Oversized | None:
        end = self._line_end()
        if end < 0:
            if len(self._buffer) > self._max:
                self._skipped = 0
                return self._skip_line()
            return None
        if end > self._max:
            del self._buffer[:end + 1]
            return Oversized(end)
        frame = bytes(self._buffer[:end]).rstrip(b"\r")
        del self._buffer[:end + 1]
        return frame

    def _skip_line(self) -> Oversized | None:
        skipped, end = self._skipped or 0, self._line_end()
        if end < 0:
            self._skipped = skipped + len(self._buffer)
            self._buffer.clear()
            return None
        size, self._skipped = skipped + end, None
        del self._buffer[:end + 1]
        return Oversized(size)

    def _line_end(self) -> int:
        ends = [index for index in (self._buffer.find(b"\n"), self._buffer.find(b"\x00")) if index >= 0]
        return min(ends) if ends else -1
