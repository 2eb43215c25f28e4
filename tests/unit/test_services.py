from dataclasses import replace
from datetime import UTC, datetime, timedelta

from incidents import services
from incidents.detection import Detection
from incidents.messages import DetectionCorrelated, IncidentOpened
from incidents.model import Status
from tests.fakes import FakeUnitOfWork

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def detection(key: str, *, entity: str = "source.ip=203.0.113.7", asset: str | None = "portal",
              at: datetime = NOW, ids: tuple[str, ...] = ("e1", "e2")) -> Detection:
    return Detection(key=key, rule_id="auth.repeated_failures", entity=entity, asset=asset,
                     breach_type="confidentiality", window_start=at, window_end=at + timedelta(minutes=5),
                     detected_at=at, count=len(ids), event_ids=ids, summary="burst")


def test_first_detection_opens_an_incident_with_audit_and_outbox_event():
    uow = FakeUnitOfWork()
    events = services.record_detection(uow, detection("d1"), now=NOW, correlation_window=HOUR)
    [incident] = uow.incidents.items.values()
    assert incident.status is Status.DETECTED and incident.event_ids == ("e1", "e2")
    assert [type(e) for e in events] == [IncidentOpened] and uow.outbox == events
    assert events[0].entity_kind == "source.ip"  # the kind, never the (personal) value
    assert uow.audit_log[0]["action"] == "incident.opened"


def test_replayed_detection_never_opens_a_second_incident():
    uow = FakeUnitOfWork()
    services.record_detection(uow, detection("d1"), now=NOW, correlation_window=HOUR)
    again = services.record_detection(uow, detection("d1"), now=NOW + HOUR, correlation_window=HOUR)
    assert again == [] and len(uow.incidents.items) == 1 and len(uow.outbox) == 1


def test_detection_on_the_same_asset_within_the_window_joins_the_open_incident():
    uow = FakeUnitOfWork()
    services.record_detection(uow, detection("d1"), now=NOW, correlation_window=HOUR)
    later = detection("d2", entity="user.name=klant2001", at=NOW + timedelta(minutes=20), ids=("e2", "e3"))
    events = services.record_detection(uow, later, now=NOW, correlation_window=HOUR)
    [incident] = uow.incidents.items.values()
    assert [type(e) for e in events] == [DetectionCorrelated]
    assert incident.detection_keys == ("d1", "d2") and incident.event_ids == ("e1", "e2", "e3")


def test_detection_after_the_correlation_window_opens_a_new_incident():
    uow = FakeUnitOfWork()
    services.record_detection(uow, detection("d1"), now=NOW, correlation_window=HOUR)
    services.record_detection(uow, detection("d2", at=NOW + 3 * HOUR), now=NOW, correlation_window=HOUR)
    assert len(uow.incidents.items) == 2


def test_without_asset_only_the_same_entity_correlates():
    uow = FakeUnitOfWork()
    services.record_detection(uow, detection("d1", asset=None), now=NOW, correlation_window=HOUR)
    services.record_detection(uow, detection("d2", asset=None, entity="source.ip=198.51.100.9"),
                              now=NOW, correlation_window=HOUR)
    services.record_detection(uow, detection("d3", asset=None), now=NOW, correlation_window=HOUR)
    assert sorted(len(i.detection_keys) for i in uow.incidents.items.values()) == [1, 2]


def test_a_closed_incident_is_not_reopened_a_new_one_links_to_it():
    uow = FakeUnitOfWork()
    services.record_detection(uow, detection("d1"), now=NOW, correlation_window=HOUR)
    [first] = uow.incidents.items.values()
    uow.incidents.items[first.id] = replace(first, status=Status.CLOSED)
    services.record_detection(uow, detection("d2", at=NOW + timedelta(minutes=10)), now=NOW,
                              correlation_window=HOUR)
    second = next(i for i in uow.incidents.items.values() if i.id != first.id)
    assert second.is_open and second.related_to == first.id
    assert uow.incidents.items[first.id].status is Status.CLOSED
    assert f"follows closed incident {first.id}" in uow.audit_log[-1]["reason"]


def test_correlated_incident_keeps_the_union_of_breach_types_and_severity_hints():
    uow = FakeUnitOfWork()
    services.record_detection(uow, detection("d1"), now=NOW, correlation_window=HOUR)
    worse = replace(detection("d2", at=NOW + timedelta(minutes=5)), breach_type="availability", severity="critical")
    services.record_detection(uow, worse, now=NOW, correlation_window=HOUR)
    [incident] = uow.incidents.items.values()
    assert incident.breach_types == {"confidentiality", "availability"}
    assert incident.severity_hints == {"medium", "critical"}


def _burst(key: str, minute: int) -> Detection:
    """A brute-force detection whose window opens at 09:00 + ``minute`` and fires four minutes in."""
    start = datetime(2026, 11, 20, 9, 0, tzinfo=UTC) + timedelta(minutes=minute)
    return replace(detection(key), window_start=start, window_end=start + timedelta(minutes=10),
                   detected_at=start + timedelta(minutes=4))


def _incidents_after(*arrivals: Detection) -> list[tuple[str, ...]]:
    uow = FakeUnitOfWork()
    for d in arrivals:
        services.record_detection(uow, d, now=NOW, correlation_window=HOUR)
    return sorted(sorted(i.detection_keys) for i in uow.incidents.items.values())


def test_bursts_85_minutes_apart_stay_two_incidents_in_either_arrival_order():
    early, late = _burst("early", 0), _burst("late", 85)
    assert _incidents_after(early, late) == [["early"], ["late"]]
    assert _incidents_after(late, early) == [["early"], ["late"]]  # the late-arriving earlier window


def test_bursts_within_the_correlation_window_join_in_either_arrival_order():
    early, near = _burst("early", 0), _burst("near", 50)  # 46 minutes between activity: a near miss of 85
    assert _incidents_after(early, near) == [["early", "near"]]
    assert _incidents_after(near, early) == [["early", "near"]]


def test_a_late_detection_that_joins_extends_the_incident_back_in_time():
    late, early, earliest = _burst("late", 85), _burst("early", 30), _burst("earliest", -20)
    # early (09:30-09:34) joins late (10:25-10:29); earliest (08:40-08:44) is within an hour of early only
    assert _incidents_after(late, early, earliest) == [["earliest", "early", "late"]]
    assert _incidents_after(late, earliest) == [["earliest"], ["late"]]
