"""A detection: a rule fired for one group in one window. The rules themselves live in ``incidents.rules``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
