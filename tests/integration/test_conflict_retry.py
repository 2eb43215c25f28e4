"""Two workers updating one incident: the loser's conflict (ConcurrentUpdate, or StaleDataError at the
flush) is retried from a fresh read, as the worker does (streams.retry with the database's classification),
so its detection joins the incident and the other worker's change is kept, nothing is dead-lettered."""

import asyncio
from datetime import timedelta

import pytest

from incidents import services
from incidents.errors import ConcurrentUpdate
from incidents.persistence import database
from incidents.persistence.repository import SqlIncidentRepository
from incidents.persistence.rows import IncidentRow
from incidents.persistence.uow import SqlUnitOfWork
from streams.retry import RetryPolicy, call
from tests.unit.test_services import HOUR, NOW, detection


class RacedRepository(SqlIncidentRepository):
    """Between this worker's read of the open incident and its write, another worker updates the incident."""

    races: list[str] = []

    def open_for_entity(self, *args, **kwargs):
        found = super().open_for_entity(*args, **kwargs)
        if found is not None and not self.races:
            self.races.append(found.id)
            with self.session.get_bind().connect() as other:  # the other worker, its own transaction
                other.execute(IncidentRow.__table__.update().where(IncidentRow.id == found.id)
                              .values(version=IncidentRow.version + 1, title="edited by the other worker"))
                other.commit()
        return found


class RacedUnitOfWork(SqlUnitOfWork):
    def __enter__(self):
        super().__enter__()
        self.incidents = RacedRepository(self.session)
        return self


def test_a_lost_update_race_is_retried_and_the_detection_joins(factory):
    services.record_detection(SqlUnitOfWork(factory), detection("d1"), now=NOW, correlation_window=HOUR)
    RacedRepository.races = []
    later = detection("d2", at=NOW + timedelta(minutes=10), ids=("e3",))

    def record() -> None:
        services.record_detection(RacedUnitOfWork(factory), later, now=NOW, correlation_window=HOUR)

    with pytest.raises(ConcurrentUpdate):  # without the retry: the detection would be dead-lettered
        record()
    RacedRepository.races = []
    policy = RetryPolicy(is_transient=database.is_transient, is_conflict=database.is_conflict, base=0.01)
    asyncio.run(call(policy, record))
    with SqlUnitOfWork(factory) as uow:
        [incident] = uow.incidents.list(limit=None)
    assert incident.detection_keys == ("d1", "d2") and incident.title == "edited by the other worker"
    assert RacedRepository.races == [incident.id]
