"""Time consistency warnings: awareness before the breach began, a start after its end, awareness in the future."""

from datetime import UTC, datetime, timedelta

from incidents.assessment.timeline import TimeProblem, time_warnings

FIRST = datetime(2026, 11, 20, 9, 12, tzinfo=UTC)
NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def codes(**kw):
    kw.setdefault("first_event_at", FIRST)
    kw.setdefault("now", NOW)
    kw.setdefault("became_aware_at", FIRST + timedelta(minutes=30))
    return [w.code for w in time_warnings(**kw)]


def test_consistent_moments_give_no_warning():
    assert codes() == []
    assert codes(became_aware_at=None) == []
    assert codes(became_aware_at=FIRST) == []  # aware at the first event itself is fine


def test_awareness_before_the_first_event_is_flagged_as_in_the_readme_example():
    warnings = time_warnings(first_event_at=FIRST, became_aware_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
                             now=NOW)
    assert [w.code for w in warnings] == [TimeProblem.AWARE_BEFORE_START]
    assert "2026-11-20 10:00 CET" in warnings[0].text and "2026-11-20 10:12 CET" in warnings[0].text
    assert "eerste waargenomen gebeurtenis" in warnings[0].text


def test_a_recorded_earlier_start_resolves_awareness_before_the_first_event():
    aware = FIRST - timedelta(minutes=12)
    assert codes(became_aware_at=aware, started_at=FIRST - timedelta(hours=2)) == []
    assert codes(became_aware_at=aware, started_at=aware + timedelta(minutes=1)) == [TimeProblem.AWARE_BEFORE_START]


def test_a_start_after_the_end_is_flagged():
    assert codes(started_at=FIRST, ended_at=FIRST - timedelta(seconds=1)) == [TimeProblem.START_AFTER_END]
    assert codes(started_at=FIRST, ended_at=FIRST) == []
    # without a recorded start, the first event is the start
    assert codes(ended_at=FIRST - timedelta(minutes=5), became_aware_at=FIRST) == [TimeProblem.START_AFTER_END]


def test_awareness_in_the_future_is_flagged():
    assert codes(became_aware_at=NOW + timedelta(minutes=1)) == [TimeProblem.AWARE_IN_FUTURE]
    assert codes(became_aware_at=NOW) == []


def test_every_problem_is_named_at_once():
    found = codes(became_aware_at=NOW + timedelta(days=1), started_at=NOW + timedelta(days=2),
                  ended_at=NOW + timedelta(days=1, hours=12))
    assert found == [TimeProblem.AWARE_BEFORE_START, TimeProblem.START_AFTER_END, TimeProblem.AWARE_IN_FUTURE]
