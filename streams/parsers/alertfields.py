"""Field aliases shared by the generic alert formats (EDR, DLP): each product names the same thing
differently, so a field is the first present value of a list of paths (dotted paths reach nested keys).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from streams.parsers.base import ParseContext, Unparseable, iso_utc, parse_time
from streams.parsers.jsondocs import first

TIME = ("@timestamp", "timestamp", "time", "detected_at", "detectedAt", "alertCreationTime",
        "createdDateTime", "CreationTime", "event.timestamp", "metadata.eventCreationTime", "firstEventTime")
ALERT_ID = ("event.id", "alert_id", "alertId", "id", "detection_id", "detectionId", "event.DetectId")
SEVERITY = ("severity", "severityName", "event.SeverityName", "level", "priority")
ASSET = ("datalek.asset", "asset", "asset_id")
# ECS event.severity is a number; these are the values Elastic's detection rules use.
SEVERITY_SCORES = {"informational": 1, "info": 1, "low": 21, "medium": 47, "moderate": 47, "high": 73,
                   "critical": 99}
BLOCKED = frozenset({"blocked", "block", "quarantined", "quarantine", "prevented", "prevent", "prevention",
                     "remediated", "removed", "cleaned", "killed", "deleted", "denied", "rejected"})
ALLOWED = frozenset({"allowed", "allow", "detected", "detect", "audit", "notified", "notify", "override",
                     "overridden", "encrypted", "logged", "monitor", "none"})


def text(record: Mapping[str, Any], *paths: str) -> str | None:
    """The first alias that holds a plain value (text or number), as text."""
    for path in paths:
        value = first(record, path)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
    return None


def timestamp(record: Mapping[str, Any], context: ParseContext) -> str:
    value = first(record, *TIME)
    try:
        return iso_utc(parse_time(value, tz=context.tz))
    except (ValueError, OverflowError, OSError) as e:
        raise Unparseable("missing or invalid alert time") from e


def severity(record: Mapping[str, Any]) -> int | None:
    value = first(record, *SEVERITY)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return SEVERITY_SCORES.get(str(value).strip().lower()) if value is not None else None


def enforcement(value: str | None) -> str | None:
    """"blocked" when the product stopped the activity, "allowed" when it let it happen, else None."""
    words = set(re.findall(r"[a-z]+", (value or "").lower()))
    if words & BLOCKED and not words & {"not", "failed"}:
        return "blocked"
    return "allowed" if words & (ALLOWED | {"not", "failed"}) else None


def common(record: Mapping[str, Any], context: ParseContext) -> dict[str, Any]:
    """The fields every alert has: time, id, severity, kind, asset."""
    return {"@timestamp": timestamp(record, context), "event.id": text(record, *ALERT_ID),
            "event.kind": "alert", "event.severity": severity(record), "datalek.asset": text(record, *ASSET)}
