"""A detection: a rule fired for one group in one window. The rules themselves live in ``incidents.rules``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

# the longest values the store keeps (incidents.persistence.rows); longer ones come from hostile or odd events
LIMITS = {"key": 400, "rule_id": 120, "entity": 300, "asset": 120, "summary": 300}
EVENT_ID_LIMIT = 128


@dataclass(frozen=True, slots=True)
class Detection:
    """A rule fired for one group in one window.

    ``key`` is ``rule|asset|group|window_start`` (stable), so replays and redeliveries are idempotent.
    ``entity`` is the group (``source.ip=...``); ``summary`` holds counts and titles only, no personal data.
    """

    key: str
    rule_id: str
    entity: str
    asset: str | None
    breach_type: str
    window_start: datetime
    window_end: datetime
    detected_at: datetime
    count: int
    event_ids: tuple[str, ...]
    summary: str
    severity: str = "medium"  # the rule's severity hint: low | medium | high | critical


def fit(text: str, size: int) -> str:
    """``text`` if it fits, else a prefix plus ``~`` and a hash of the whole, so distinct values stay distinct
    and the same value always gives the same result (detection keys stay idempotent)."""
    if len(text) <= size:
        return text
    return f"{text[:size - 17]}~{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"


def bounded(d: Detection) -> Detection:
    """The detection with every stored text within its column's size: an over-long asset or entity (a hostile
    host name, a 500-character user name) must not lose the detection."""
    texts = {name: getattr(d, name) for name in LIMITS}
    fitted = {name: fit(value, LIMITS[name]) for name, value in texts.items() if value is not None}
    ids = tuple(fit(i, EVENT_ID_LIMIT) for i in d.event_ids)
    if fitted == {k: v for k, v in texts.items() if v is not None} and ids == d.event_ids:
        return d
    return replace(d, event_ids=ids, **fitted)  # type: ignore[arg-type]  # only the str fields of LIMITS
