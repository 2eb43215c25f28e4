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
    """A TCP stream breaks RFC 6587 framing (bad octet count, or a message over the size limit)."""


class StreamFramer:
    """Splits a TCP byte stream into messages: octet counting ("LEN SP MSG") or LF/NUL-terminated lines."""

    def __init__(self, *, max_bytes: int) -> None:
        self._buffer = bytearray()
        self._max = max_bytes

    def feed(self, data: bytes) -> list[bytes]:
        """The messages completed by ``data``, in order."""
        self._buffer += data
        frames: list[bytes] = []
        while self._buffer:
            frame = self._octet_counted() if self._buffer[:1].isdigit() else self._terminated()
            if frame is None:
                break
            if frame.strip():
                frames.append(frame)
        return frames

    def close(self) -> list[bytes]:
        """At end of stream: a last LF-less line counts; an incomplete counted message does not."""
        rest, self._buffer = bytes(self._buffer), bytearray()
        if rest[:1].isdigit():
            raise FramingError("stream ended inside an octet-counted message")
        return [rest.rstrip(b"\r")] if rest.strip() else []

    def _octet_counted(self) -> bytes | None:
        space = self._buffer.find(b" ", 0, 12)
        if space < 0:
            if len(self._buffer) >= 12:
                raise FramingError("invalid octet count")
            return None
        count = bytes(self._buffer[:space])
        if not count.isdigit() or int(count) > self._max:
            raise FramingError("invalid or oversized octet count")
        end = space + 1 + int(count)
        if len(self._buffer) < end:
            return None
        frame = bytes(self._buffer[space + 1:end])
        del self._buffer[:end]
        return frame

    def _terminated(self) -> bytes | None:
        ends = [index for index in (self._buffer.find(b"\n"), self._buffer.find(b"\x00")) if index >= 0]
        if not ends:
            if len(self._buffer) > self._max:
                raise FramingError("message over the size limit without a line end")
            return None
        end = min(ends)
        frame = bytes(self._buffer[:end]).rstrip(b"\r")
        del self._buffer[:end + 1]
        return frame
