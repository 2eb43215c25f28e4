"""The GDPR clocks: the Art. 33(1) 72-hour window and the Art. 34 "without undue delay" target.

Moments are aware datetimes, computed in UTC and only shown in Europe/Amsterdam, so a window that spans a
daylight-saving change is still exactly 72 elapsed hours. ``now`` is always passed in.

Art. 34 sets no hours. We track a configurable internal target, by default 24 hours after the decision to
communicate: EDPB 01/2021 para 24 notes that for high-risk cases even the 72-hour limit "can be viewed as
unsatisfactory", and a communication is only due when the risk is high. It is a target, not a legal deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .errors import DelayReasonRequired, InvalidSetting, NaiveDatetime

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
REGULATOR_WINDOW = timedelta(hours=72)  # Art. 33(1): consecutive hours, weekends and holidays included
SUBJECT_TARGET = timedelta(hours=24)  # internal target for Art. 34(1), see the module docstring


def as_utc(moment: datetime, *, field: str = "moment") -> datetime:
    """The same instant in UTC; a naive datetime is refused because its instant is unknown."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetime(f"{field} must be timezone-aware (got a naive datetime)")
    return moment.astimezone(UTC)


def regulator_deadline(became_aware_at: datetime) -> datetime:
    """Art. 33(1): 72 hours after the controller became aware, in UTC."""
    return as_utc(became_aware_at, field="became_aware_at") + REGULATOR_WINDOW


def time_left(became_aware_at: datetime, *, now: datetime) -> timedelta:
    """Time until the Art. 33 deadline; negative once it has passed."""
    return regulator_deadline(became_aware_at) - as_utc(now, field="now")


def is_overdue(became_aware_at: datetime, *, now: datetime) -> bool:
    """True once the 72 hours have passed (at exactly 72 hours a report is still on time)."""
    return time_left(became_aware_at, now=now) < timedelta(0)


def is_late(became_aware_at: datetime, *, reported_at: datetime) -> bool:
    """Whether a notification made at ``reported_at`` falls after the 72-hour window."""
    return as_utc(reported_at, field="reported_at") > regulator_deadline(became_aware_at)


def validate_delay_reason(
    became_aware_at: datetime, *, reported_at: datetime, delay_reason: str | None
) -> str | None:
    """Return the cleaned delay reason; a late report without one raises ``DelayReasonRequired``."""
    reason = (delay_reason or "").strip() or None
    if reason is None and is_late(became_aware_at, reported_at=reported_at):
        raise DelayReasonRequired("reported after 72 hours: give the reasons for the delay (Art. 33(1))")
    return reason


def subject_target(decided_at: datetime, *, within: timedelta = SUBJECT_TARGET) -> datetime:
    """Art. 34 "without undue delay", tracked as ``within`` after the decision to communicate, in UTC."""
    if within <= timedelta(0):
        raise InvalidSetting("within must be positive")
    return as_utc(decided_at, field="decided_at") + within


def in_amsterdam(moment: datetime) -> datetime:
    """The instant as Europe/Amsterdam wall-clock time (CET or CEST)."""
    return as_utc(moment).astimezone(AMSTERDAM)


def format_amsterdam(moment: datetime) -> str:
    """Display form, e.g. ``2025-03-31 11:00 CEST``."""
    return in_amsterdam(moment).strftime("%Y-%m-%d %H:%M %Z")


@dataclass(frozen=True, slots=True)
class Clock:
    """A deadline as seen at ``now``: for dashboards, alerts and the CLI."""

    started_at: datetime
    deadline: datetime
    now: datetime

    @property
    def time_left(self) -> timedelta:
        """Negative once passed."""
        return self.deadline - self.now

    @property
    def overdue(self) -> bool:
        """True once the deadline has passed."""
        return self.now > self.deadline

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: UTC ISO instants plus the Amsterdam display."""
        return {
            "started_at": self.started_at.isoformat(),
            "deadline": self.deadline.isoformat(),
            "deadline_local": format_amsterdam(self.deadline),
            "seconds_left": int(self.time_left.total_seconds()),
            "overdue": self.overdue,
        }


def regulator_clock(became_aware_at: datetime, *, now: datetime) -> Clock:
    """The Art. 33 clock at ``now``."""
    start = as_utc(became_aware_at, field="became_aware_at")
    return Clock(start, regulator_deadline(start), as_utc(now, field="now"))


def subject_clock(decided_at: datetime, *, now: datetime, within: timedelta = SUBJECT_TARGET) -> Clock:
    """The Art. 34 target clock at ``now``."""
    start = as_utc(decided_at, field="decided_at")
    return Clock(start, subject_target(start, within=within), as_utc(now, field="now"))
