"""The header of a syslog file line: "Dec 10 06:55:46 host prog[pid]: message", an ISO 8601 stamp, or RFC 5424.

Accepts the classic BSD stamp (year and zone from the context, see ParseContext), the ISO 8601 stamp
of rsyslog's high-precision template and ``journalctl -o short-iso``, an optional leading ``<PRI>``
when raw syslog was written to a file, RFC 5424 lines ("<86>1 2023-10-17T18:20:49+02:00 host sshd
97522 - - msg", as rsyslog's RSYSLOG_SyslogProtocol23Format writes them), and sysklogd's
"last message repeated N times" (no program; the host may be missing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from streams.parsers.base import ParseContext, Unparseable, parse_time, syslog_year
from streams.parsers.syslogwire import after_structured_data

MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}

_CLASSIC = re.compile(
    r"^(?:<\d{1,3}>)?(?P<month>[A-Z][a-z]{2}) +(?P<day>\d{1,2}) (?P<hms>\d\d:\d\d:\d\d)(?:\.\d+)? +(?P<rest>.*)$")
_ISO = re.compile(r"^(?:<\d{1,3}>(?:1 )?)?(?P<iso>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d\S*) +(?P<rest>.*)$")
_RFC5424 = re.compile(r"^(?:<\d{1,3}>)?1 (?P<iso>\d{4}-\d\d-\d\dT\S+) (?P<host>\S+) (?P<program>\S+) "
                      r"(?P<pid>\d+|-) \S+ (?P<rest>(?:-|\[).*)$")
_TAG = re.compile(r"^(?P<host>\S+) (?P<program>[^\s\[:]+)(?:\[(?P<pid>\d+)\])?: ?(?P<message>.*)$")
_LAST_REPEATED = re.compile(r"^(?:(?P<host>\S+) +)?(?P<message>last message repeated \d+ times?)$")
LAST_REPEATED = ""  # the program of a "last message repeated N times" line: it names none


@dataclass(frozen=True, slots=True)
class SyslogLine:
    timestamp: datetime
    host: str
    program: str
    pid: int | None
    message: str


def split_line(text: str, context: ParseContext) -> SyslogLine:
    """The parts of one syslog line; raise Unparseable when the header is not syslog."""
    if match := _RFC5424.match(text):
        pid = match["pid"]
        return SyslogLine(_iso_time(match["iso"], context), match["host"], match["program"],
                          int(pid) if pid.isdigit() else None, after_structured_data(match["rest"]).rstrip())
    if match := _CLASSIC.match(text):
        moment = _classic_time(match["month"], match["day"], match["hms"], context)
    elif match := _ISO.match(text):
        moment = _iso_time(match["iso"], context)
    else:
        raise Unparseable("not a syslog line (no timestamp/host/program header)")
    return _tagged(moment, match["rest"])


def _tagged(moment: datetime, rest: str) -> SyslogLine:
    if repeated := _LAST_REPEATED.match(rest):
        return SyslogLine(moment, repeated["host"] or "", LAST_REPEATED, None, repeated["message"])
    tag = _TAG.match(rest)
    if not tag:
        raise Unparseable("not a syslog line (no timestamp/host/program header)")
    pid = tag["pid"]
    return SyslogLine(moment, tag["host"], tag["program"], int(pid) if pid else None, tag["message"].rstrip())


def _classic_time(month_name: str, day: str, hms: str, context: ParseContext) -> datetime:
    month = MONTHS.get(month_name)
    if month is None:
        raise Unparseable("not a syslog line (unknown month name)")
    year = syslog_year(month, context)
    if year is None:
        raise Unparseable("timestamp has no year and the context gives neither year nor reference")
    hour, minute, second = (int(part) for part in hms.split(":"))
    try:
        return datetime(year, month, int(day), hour, minute, second, tzinfo=context.tz)
    except ValueError as e:
        raise Unparseable("invalid date in syslog timestamp") from e


def _iso_time(text: str, context: ParseContext) -> datetime:
    try:
        return parse_time(text, tz=context.tz)
    except ValueError as e:
        raise Unparseable("invalid ISO 8601 syslog timestamp") from e
