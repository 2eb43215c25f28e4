"""Fixtures of the fault suite: its own Apache Kafka broker, the seeded stream and the replay's truth.

Deselect locally with ``-m "not faults"``; CI runs it (``.ci/run`` -> ``make test``)."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL, _postgres_database
from tests.faults import harness, stream

EVENTS = int(os.environ.get("DATALEK_FAULTS_EVENTS", "30000"))


def _free_pair() -> int:
    """A port whose successor is free too (the broker's controller listens on port + 1)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no free pair of ports")


@pytest.fixture(scope="session")
def fault_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Broker]:
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        pytest.skip("the fault suite runs Apache Kafka (.ci/kafka.sh): needs Java 17+")
    broker = harness.Broker(_free_pair(), tmp_path_factory.mktemp("faults") / "kafka")
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture(scope="session")
def fault_stream(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, harness.Truth]:
    path = stream.write(tmp_path_factory.mktemp("faults-stream") / "stream.jsonl", EVENTS)
    return path, harness.Truth.of(path)


@pytest.fixture
def fault_database() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.skip("DATALEK_DATABASE_URL is not set (the fault suite runs on PostgreSQL)")
    yield from _postgres_database()


@pytest.fixture
def case(request: pytest.FixtureRequest, fault_broker: harness.Broker, fault_database: str,
         tmp_path: Path) -> Iterator[harness.Case]:
    worker = harness.FaultWorker(fault_broker.bootstrap, fault_database, tmp_path)
    run = harness.Case(request.node.callspec.id if hasattr(request.node, "callspec") else request.node.name,
                       fault_broker, worker, fault_database)
    try:
        yield run
    finally:
        worker.stop()
        if worker.alive:
            worker.kill()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if harness.RESULTS:
        terminalreporter.section("fault suite: expected/found, missing, extra, duplicated, recovery")
        terminalreporter.write_line(harness.table(harness.RESULTS))
