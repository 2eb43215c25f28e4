"""Time consistency of an incident's moments: warnings the FG resolves before filing. Pure, no clock.

Awareness before the breach began, a start after the end, or awareness in the future each make the 72-hour
deadline (Art. 33(1)) or the AP's timeline (questions 4.1.1, 4.1.2, 4.2) wrong. Texts are Dutch: they are
shown in the AP draft, the console and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .deadlines import as_utc, format_amsterdam


class TimeProblem(StrEnum):
    """Stable codes of the warnings."""

    AWARE_BEFORE_START = "aware_before_start"
    START_AFTER_END = "start_after_end"
    AWARE_IN_FUTURE = "aware_in_future"


@dataclass(frozen=True, slots=True)
class TimeWarning:
    code: TimeProblem
    text: str  # Dutch, for the FG


def time_warnings(*, first_event_at: datetime, became_aware_at: datetime | None, now: datetime,
                  started_at: datetime | None = None, ended_at: datetime | None = None) -> tuple[TimeWarning, ...]:
    """The inconsistencies among the moments; ``started_at`` (recorded) replaces the first event as the start."""
    start = as_utc(started_at or first_event_at)
    what = "het vastgelegde begin van de inbreuk" if started_at else "de eerste waargenomen gebeurtenis"
    found: list[TimeWarning] = []
    if became_aware_at is not None and as_utc(became_aware_at) < start:
        found.append(TimeWarning(TimeProblem.AWARE_BEFORE_START, (
            f"De kennisname ({format_amsterdam(became_aware_at)}) ligt vóór {what} ({format_amsterdam(start)}): "
            "leg het begin van de inbreuk vast (4.1.1) of corrigeer het moment van kennisname (4.2).")))
    if ended_at is not None and start > as_utc(ended_at):
        found.append(TimeWarning(TimeProblem.START_AFTER_END, (
            f"Het begin van de inbreuk ({format_amsterdam(start)}) ligt na het einde "
            f"({format_amsterdam(ended_at)}): corrigeer 4.1.1 of 4.1.2.")))
    if became_aware_at is not None and as_utc(became_aware_at) > as_utc(now):
        found.append(TimeWarning(TimeProblem.AWARE_IN_FUTURE, (
            f"De kennisname ({format_amsterdam(became_aware_at)}) ligt in de toekomst: corrigeer het moment van "
            "kennisname (4.2); de meldtermijn hangt ervan af.")))
    return tuple(found)
