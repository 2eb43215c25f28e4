"""Parsers that normalise real log and audit formats into the datalek event schema v1.

Each format is a pure function ``parse(lines, *, context) -> Iterator[Parsed | Rejected | Skipped]``:
every non-blank input line ends up in an event (or several, for "message repeated N times"), in a
rejection with its reason and position (bad input: callers dead-letter it), or, for the syslog formats
(``syslog``, ``openssh``, ``journald``), skipped as another program's line (counted per program, never
dead-lettered).

    from streams.parsers import FORMATS, ParseContext, Parsed
    for result in FORMATS["syslog"](open("auth.log"), context=ParseContext(source="auth.log", year=2026)):
        ...
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from streams.parsers import cloudtrail, dlp, ecs, edr, journald, m365, okta, openssh, syslog, weblog
from streams.parsers.base import SCHEMA_VERSION, ParseContext, Parsed, Parser, ParseResult, Rejected, Skipped

FORMATS: Mapping[str, Parser] = MappingProxyType({
    "syslog": syslog.parse,
    "openssh": openssh.parse,
    "journald": journald.parse,
    "combined": weblog.parse,
    "ecs": ecs.parse,
    "m365": m365.parse,
    "cloudtrail": cloudtrail.parse,
    "okta": okta.parse,
    "edr": edr.parse,
    "dlp": dlp.parse,
})

__all__ = ["FORMATS", "SCHEMA_VERSION", "ParseContext", "ParseResult", "Parsed", "Parser", "Rejected",
           "Skipped"]
