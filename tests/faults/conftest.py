"""Fixtures of the fault suite: its own Apache Kafka broker, the seeded stream and the replay's truth.

Deselect locally with ``-m "not faults"``; CI runs it (``.ci/run`` -> ``make test``)."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from datalek.brokers import EmbeddedBroker
from tests.conftest import POSTGRES_URL, _postgres_database, free_port
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
def tansu_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """The embedded broker (memory storage): the kill cases run on it too."""
    broker = EmbeddedBroker(free_port(), log_path=tmp_path_factory.mktemp("faults-tansu") / "tansu.log")
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
def db_proxy(fault_database: str) -> Iterator[harness.Proxy]:
    url = make_url(fault_database)
    proxy = harness.Proxy((url.host or "127.0.0.1", url.port or 5432))
    try:
        yield proxy
    finally:
        proxy.resume()
        proxy.stop()


@pytest.fixture
def case(request: pytest.FixtureRequest, fault_database: str, tmp_path: Path) -> Iterator[harness.Case]:
    """A case on the broker the test names: ``fault_broker`` (Apache Kafka) or ``tansu_broker``."""
    on_tansu = "tansu_broker" in request.fixturenames
    broker = request.getfixturevalue("tansu_broker" if on_tansu else "fault_broker")
    worker_url, proxy = fault_database, None
    if "db_proxy" in request.fixturenames:  # the worker reaches the database through a proxy it can lose
        proxy = request.getfixturevalue("db_proxy")
        worker_url = make_url(fault_database).set(host="127.0.0.1", port=proxy.port).render_as_string(
            hide_password=False)
    marker = request.node.get_closest_marker("partitions")
    extra = {"DATALEK_KAFKA__PARTITIONS": str(marker.args[0])} if marker else {}
    if marker and "standby" in marker.kwargs:  # Faust's standby copies of the rule-state table (default 1)
        extra["DATALEK_KAFKA__STANDBY_REPLICAS"] = str(marker.kwargs["standby"])
    worker = harness.FaultWorker(broker.bootstrap, worker_url, tmp_path, **extra)
    name = request.node.callspec.id if hasattr(request.node, "callspec") else request.node.name
    run = harness.Case(f"{name} (Tansu)" if on_tansu else name, broker, worker, fault_database)
    run.proxy = proxy
    try:
        yield run
    finally:
        run.stop_all()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if harness.RESULTS:
        terminalreporter.section("fault suite: expected/found, missing, extra, duplicated, recovery")
        terminalreporter.write_line(harness.table(harness.RESULTS))
