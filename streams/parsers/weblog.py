"""Web server access logs in the combined (and common) log format of Apache httpd and nginx.

Marks, in this order of precedence for ``event.action`` (all that apply are also listed in ``tags``):
- ``web_login``: POST/PUT to a login/token endpoint (AUTH_PATH); category authentication is added.
- ``bulk_download``: a 2xx response that is an export (BULK_PATH, BULK_QUERY), a data file
  (DATA_FILE), or at least BULK_BYTES large.
- ``admin_access``: an administration path (ADMIN_PATH).
- ``http_request`` otherwise.
Outcome: status >= 400 is a failure; a redirect from a login endpoint is unknown (it may be the success or
the "try again" page); anything else is a success. Category authentication: a login endpoint, or a 401 to
a request that named a user (HTTP Basic/Digest credentials tried: ``%u`` logged). A 401 without one is no
password tried: the Basic challenge before the browser sends credentials, an expired token that a
single-page app keeps polling with (tests/corpus: ``brute-force/web-combined.expired-session.near.log``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from streams.parsers.base import (
    ParseContext,
    ParseResult,
    Rejected,
    Unparseable,
    address_fields,
    iso_utc,
    numbered,
    parsed,
)
from streams.parsers.syslogline import MONTHS

DATASET = "web.access"
BULK_BYTES = 10 * 1024 * 1024
_SEG = r"(?:[/.?;]|$)"
ADMIN_PATH = re.compile(r"^/(?:[^/]+/)?(?:admin|administrator|wp-admin|wp-login\.php|phpmyadmin|pma|manager|"
                        r"beheer|backoffice|cpanel|_admin|adminer(?:\.php)?)" + _SEG, re.IGNORECASE)
AUTH_PATH = re.compile(r"/(?:login|log-in|signin|sign-in|sign_in|logon|inloggen|auth|authenticate|"
                       r"oauth2?/token|token|sessions?|wp-login\.php|j_security_check)" + _SEG, re.IGNORECASE)
BULK_PATH = re.compile(r"/(?:exports?|dump|backups?|bulk)" + r"(?:[/._-]|$)", re.IGNORECASE)
BULK_QUERY = re.compile(r"(?:^|&)(?:export(?:=[^&]*)?|format=(?:csv|xlsx?)|all=(?:1|true))(?:&|$)",
                        re.IGNORECASE)
DATA_FILE = re.compile(r"\.(?:csv|xlsx?|sql|bak|zip|tar|tgz|gz|7z)$", re.IGNORECASE)



def _quoted(name: str) -> str:
    """A double-quoted field; Apache escapes a quote inside as \\" (nginx writes \\x22)."""
    return rf'"(?P<{name}>(?:[^"\\]|\\.)*)"'


_LINE = re.compile(rf"^(?P<client>\S+) \S+ (?P<user>\S+) \[(?P<time>[^\]]+)\] {_quoted('request')} "
                   rf"(?P<status>\d{{3}}) (?P<bytes>\d+|-)(?: {_quoted('referrer')} {_quoted('agent')})?")
_TIME = re.compile(r"^(\d{1,2})/([A-Z][a-z]{2})/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$")
_REQUEST = re.compile(r"^(?P<method>[A-Z][A-Z_-]*) (?P<target>\S+)(?: HTTP/(?P<version>[\d.]+))?$")


def parse(lines: Iterable[str], *, context: ParseContext) -> Iterator[ParseResult]:
    """One web event per access-log line; Rejected for lines that are not in the format."""
    for number, text in numbered(lines, context):
        position = context.position(number)
        try:
            event = _event(text)
        except Unparseable as e:
            yield Rejected(str(e), position, text)
        else:
            yield parsed(event, context=context, position=position, raw=text)


def _event(text: str) -> dict[str, Any]:
    match = _LINE.match(text)
    if not match:
        raise Unparseable("not a combined/common log format line")
    status = int(match["status"])
    size = int(match["bytes"]) if match["bytes"] != "-" else None
    request = _request(match["request"])
    tags = _tags(request, status, size)
    if status == 401 and match["user"] != "-":
        tags.add("credentials_refused")
    return {
        "@timestamp": iso_utc(_time(match["time"])), "event.dataset": DATASET,
        "event.category": ["web", "authentication"] if "auth_endpoint" in tags or "credentials_refused" in tags
        else ["web"],
        "event.action": _action(tags), "event.outcome": _outcome(status, tags),
        "http.response.status_code": status, "http.response.bytes": size,
        "user.name": match["user"] if match["user"] != "-" else None,
        "http.request.referrer": _dash(match["referrer"]), "user_agent.original": _dash(match["agent"]),
        "tags": sorted(tags), **request, **address_fields(match["client"]),
    }


def _request(line: str) -> dict[str, Any]:
    match = _REQUEST.match(line)
    if not match:
        return {"event.reason": "malformed request line"}
    target = match["target"]
    try:
        parts = urlsplit(target)
    except ValueError:
        return {"http.request.method": match["method"], "url.path": target}
    return {"http.request.method": match["method"], "http.version": match["version"],
            "url.path": parts.path or target, "url.query": parts.query, "url.domain": parts.hostname}


def _tags(request: dict[str, Any], status: int, size: int | None) -> set[str]:
    path, query = request.get("url.path", ""), request.get("url.query", "")
    tags = set()
    if AUTH_PATH.search(path) and request.get("http.request.method") in ("POST", "PUT"):
        tags.add("auth_endpoint")
    if ADMIN_PATH.search(path):
        tags.add("admin_path")
    exported = bool(BULK_PATH.search(path) or BULK_QUERY.search(query) or DATA_FILE.search(path))
    if 200 <= status < 300 and (exported or (size or 0) >= BULK_BYTES):
        tags.add("bulk_download")
    return tags


def _action(tags: set[str]) -> str:
    for tag, action in (("auth_endpoint", "web_login"), ("bulk_download", "bulk_download"),
                        ("admin_path", "admin_access")):
        if tag in tags:
            return action
    return "http_request"


def _outcome(status: int, tags: set[str]) -> str:
    if status >= 400:
        return "failure"
    if 300 <= status < 400 and "auth_endpoint" in tags:
        return "unknown"
    return "success"


def _time(text: str) -> datetime:
    match = _TIME.match(text)
    month = MONTHS.get(match[2]) if match else None
    if not match or month is None:
        raise Unparseable("invalid access-log timestamp")
    day, year, hour, minute, second = (int(match[i]) for i in (1, 3, 4, 5, 6))
    offset = timedelta(hours=int(match[8]), minutes=int(match[9])) * (-1 if match[7] == "-" else 1)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=timezone(offset))
    except ValueError as e:
        raise Unparseable("invalid date in access-log timestamp") from e


def _dash(value: str | None) -> str | None:
    return None if value in (None, "-") else value
