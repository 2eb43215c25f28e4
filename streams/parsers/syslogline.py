"""The header of a syslog file line: "Dec 10 06:55:46 host prog[pid]: message" or an ISO 8601 stamp.

Accepts the classic BSD stamp (year and zone from the context, see ParseContext), the ISO 8601 stamp
of rsyslog's high-precision template and ``journalctl -o short-iso``, and an optional leading
``<PRI>`` when raw syslog was written to a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from streams.parsers.base import ParseContext, Unparseable, parse_time, syslog_year

MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}

_TAG = r"(?P<host>\S+) (?P<program>[^\s\[:]+)(?:\[(?P<pid>\d+)\])?: ?(?P<message>.*)$"
_CLASSIC = re.compile(
    r"^(?:<\d{1,3}>)?(?P<month>[A-Z][a-z]{2}) +(?P<day>\d{1,2}) (?P<hms>\d\d:\d\d:\d\d)(?:\.\d+)? " + _TAG)
_ISO = re.compile(r"^(?:<\d{1,3}>(?:1 )?)?(?P<iso>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d\S*) " + _TAG)


@dataclass(frozen=True, slots=True)
class SyslogLine:
    timestamp: datetime
    host: str
    program: str
    pid: int | None
    message: str


def split_line(text: str, context: ParseContext) -> SyslogLine:
    """The parts of one syslog line; raise Unparseable when the header is not syslog."""
    match = _CLASSIC.match(text)
    if match:
        moment = _classic_time(match["month"], match["day"], match["hms"], context)
    elif match := _ISO.match(text):
        moment = _iso_time(match["iso"], context)
    else:
        raise Unparseable("not a syslog line (no timestamp/host/program header)")
    pid = match["pid"]
    return SyslogLine(moment, match["host"], match["program"], int(pid) if pid else None,
                      match["message"].rstrip())


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
