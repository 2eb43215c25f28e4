"""The Art. 33(1) 72-hour clock and the Art. 34 target: exact in UTC, shown in Europe/Amsterdam."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from incidents.assessment import DelayReasonRequired, InvalidSetting, NaiveDatetime
from incidents.assessment.deadlines import (
    SUBJECT_TARGET,
    format_amsterdam,
    in_amsterdam,
    is_late,
    is_overdue,
    regulator_clock,
    regulator_deadline,
    subject_clock,
    subject_target,
    time_left,
    validate_delay_reason,
)

AMS = ZoneInfo("Europe/Amsterdam")
AWARE = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


def test_regulator_deadline_is_exactly_72_hours_after_awareness() -> None:
    assert regulator_deadline(AWARE) == datetime(2025, 6, 5, 9, 30, tzinfo=UTC)


def test_deadline_is_returned_in_utc_whatever_zone_awareness_was_given_in() -> None:
    local = datetime(2025, 6, 2, 11, 30, tzinfo=AMS)  # the same instant as AWARE
    assert regulator_deadline(local) == regulator_deadline(AWARE)
    assert regulator_deadline(local).tzinfo is UTC


def test_72_hours_across_the_march_dst_change_end_an_hour_later_on_the_local_clock() -> None:
    aware = datetime(2025, 3, 28, 10, 0, tzinfo=AMS)  # Friday 10:00 CET; clocks go forward Sunday 30 March
    deadline = regulator_deadline(aware)
    assert deadline - aware == timedelta(hours=72)
    assert deadline == datetime(2025, 3, 31, 9, 0, tzinfo=UTC)
    assert in_amsterdam(deadline).replace(tzinfo=None) == datetime(2025, 3, 31, 11, 0)
    assert format_amsterdam(deadline) == "2025-03-31 11:00 CEST"


def test_72_hours_across_the_october_dst_change_end_an_hour_earlier_on_the_local_clock() -> None:
    aware = datetime(2025, 10, 24, 10, 0, tzinfo=AMS)  # Friday 10:00 CEST; clocks go back Sunday 26 October
    deadline = regulator_deadline(aware)
    assert deadline - aware == timedelta(hours=72)
    assert deadline == datetime(2025, 10, 27, 8, 0, tzinfo=UTC)
    assert format_amsterdam(deadline) == "2025-10-27 09:00 CET"


def test_time_left_counts_down_and_goes_negative_after_the_deadline() -> None:
    assert time_left(AWARE, now=AWARE + timedelta(hours=70)) == timedelta(hours=2)
    assert time_left(AWARE, now=AWARE + timedelta(hours=73)) == timedelta(hours=-1)


def test_report_at_exactly_72_hours_is_on_time_and_one_minute_later_is_late() -> None:
    assert not is_late(AWARE, reported_at=AWARE + timedelta(hours=72))
    assert is_late(AWARE, reported_at=AWARE + timedelta(hours=72, minutes=1))
    assert not is_overdue(AWARE, now=AWARE + timedelta(hours=72))
    assert is_overdue(AWARE, now=AWARE + timedelta(hours=72, seconds=1))


def test_late_report_requires_a_reason_for_the_delay() -> None:
    late = AWARE + timedelta(hours=80)
    for missing in (None, "", "  "):
        with pytest.raises(DelayReasonRequired, match="Art. 33"):
            validate_delay_reason(AWARE, reported_at=late, delay_reason=missing)
    reason = validate_delay_reason(AWARE, reported_at=late, delay_reason=" forensic report pending ")
    assert reason == "forensic report pending"


def test_timely_report_needs_no_delay_reason() -> None:
    assert validate_delay_reason(AWARE, reported_at=AWARE + timedelta(hours=5), delay_reason=None) is None


@pytest.mark.parametrize(
    "call",
    [
        lambda naive: regulator_deadline(naive),
        lambda naive: time_left(AWARE, now=naive),
        lambda naive: is_late(AWARE, reported_at=naive),
        lambda naive: subject_target(naive),
        lambda naive: format_amsterdam(naive),
    ],
)
def test_naive_datetimes_are_rejected(call: object) -> None:
    with pytest.raises(NaiveDatetime):
        call(datetime(2025, 6, 2, 9, 30))  # type: ignore[operator]  # noqa: DTZ001


def test_other_fixed_offsets_are_accepted_as_the_same_instant() -> None:
    new_york = datetime(2025, 6, 2, 5, 30, tzinfo=timezone(timedelta(hours=-4)))
    assert regulator_deadline(new_york) == regulator_deadline(AWARE)


def test_subject_communication_target_defaults_to_24_hours_after_the_decision() -> None:
    assert SUBJECT_TARGET == timedelta(hours=24)
    assert subject_target(AWARE) == AWARE + timedelta(hours=24)
    assert subject_target(AWARE, within=timedelta(hours=4)) == AWARE + timedelta(hours=4)


def test_subject_target_must_be_positive() -> None:
    with pytest.raises(InvalidSetting):
        subject_target(AWARE, within=timedelta(0))


def test_clock_reports_deadline_local_time_and_overdue() -> None:
    clock = regulator_clock(AWARE, now=AWARE + timedelta(hours=71))
    assert clock.to_dict() == {
        "started_at": "2025-06-02T09:30:00+00:00",
        "deadline": "2025-06-05T09:30:00+00:00",
        "deadline_local": "2025-06-05 11:30 CEST",
        "seconds_left": 3600,
        "overdue": False,
    }
    assert subject_clock(AWARE, now=AWARE + timedelta(hours=25)).overdue
