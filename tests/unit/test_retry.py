"""The worker's retry of storage calls: transient failures for as long as they last, conflicts a few times,
anything else at once; a hung call is bounded in time."""

import asyncio
import threading

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm.exc import StaleDataError

from incidents.errors import ConcurrentUpdate
from incidents.persistence.database import is_conflict, is_transient
from streams.retry import RetryPolicy, backoff, call, guarded

POLICY = RetryPolicy(is_transient=is_transient, is_conflict=is_conflict, call_timeout=2.0, conflicts=3)


class Flaky:
    """Fails with the given errors in turn, then returns ``done``."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors, self.calls = list(errors), 0

    def __call__(self, value: str = "done") -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return value


def run(coro):
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    return asyncio.run(coro(sleep)), waits


def operational() -> OperationalError:
    return OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


def test_backoff_doubles_from_the_base_up_to_the_cap():
    assert [backoff(n, base=0.5, cap=30) for n in range(1, 9)] == [0.5, 1, 2, 4, 8, 16, 30, 30]
    assert backoff(10_000, base=0.5, cap=30) == 30


def test_transient_failures_are_retried_for_as_long_as_they_last():
    fn = Flaky(*[operational() for _ in range(9)], ConnectionRefusedError(), TimeoutError())
    result, waits = run(lambda sleep: call(POLICY, fn, "stored", sleep=sleep))
    assert result == "stored" and fn.calls == 12
    assert waits == [0.5, 1, 2, 4, 8, 10, 10, 10, 10, 10, 10]


def test_conflicts_are_retried_a_bounded_number_of_times():
    stale = StaleDataError("UPDATE statement on table 'incidents' expected to update 1 row(s); 0 were matched.")
    fn = Flaky(stale, ConcurrentUpdate("changed meanwhile"), IntegrityError("INSERT", {}, Exception("dup")))
    assert run(lambda sleep: call(POLICY, fn, sleep=sleep))[0] == "done" and fn.calls == 4
    endless = Flaky(*[StaleDataError("0 rows matched") for _ in range(10)])
    with pytest.raises(StaleDataError):
        run(lambda sleep: call(POLICY, endless, sleep=sleep))
    assert endless.calls == 4  # the first try and three retries


def test_other_errors_are_raised_at_once():
    fn = Flaky(ProgrammingError("SELECT", {}, Exception("no such column")))
    with pytest.raises(ProgrammingError):
        run(lambda sleep: call(POLICY, fn, sleep=sleep))
    assert fn.calls == 1


def test_a_hung_call_counts_as_transient_and_is_tried_again():
    release = threading.Event()
    calls = []

    def stuck_once() -> str:
        calls.append(1)
        if len(calls) == 1:
            release.wait(10)  # a database that stopped answering
        return "answered"

    async def retried(sleep) -> str:
        try:
            return await call(RetryPolicy(is_transient=is_transient, call_timeout=0.2), stuck_once, sleep=sleep)
        finally:
            release.set()  # the database answers again: the stuck thread ends

    result, waits = run(retried)
    assert result == "answered" and len(calls) == 2 and waits == [0.5]


def test_a_timed_out_call_names_the_function_not_its_arguments(caplog):
    release = threading.Event()
    attempts = []

    def load(_incident: str) -> None:
        attempts.append(1)
        if len(attempts) == 1:
            release.wait(5)

    async def once() -> None:
        try:
            await call(RetryPolicy(call_timeout=0.05), load, "klant2001", sleep=lambda s: asyncio.sleep(0))
        finally:
            release.set()

    asyncio.run(once())
    assert "transient failure in load (CallTimedOut)" in caplog.text and "klant2001" not in caplog.text


def test_a_guarded_timer_body_logs_its_failure_and_returns(caplog):
    @guarded
    async def plan_alerts() -> None:
        raise KeyError("klant2001@example.org")

    asyncio.run(plan_alerts())
    assert "plan_alerts failed (KeyError)" in caplog.text and "klant2001" not in caplog.text


def test_the_database_classification():
    assert is_transient(operational()) and is_transient(ConnectionResetError()) and is_transient(TimeoutError())
    assert not is_transient(ProgrammingError("SELECT", {}, Exception("syntax")))
    assert not is_transient(IntegrityError("INSERT", {}, Exception("dup")))
    assert is_conflict(StaleDataError()) and is_conflict(ConcurrentUpdate("x"))
    assert not is_conflict(operational())
