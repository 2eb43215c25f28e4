"""Shared fixtures: real services only.

Kafka: the broker named by DATALEK_KAFKA__BOOTSTRAP (Apache Kafka in CI), else the embedded Tansu.
Database: SQLite always; PostgreSQL as well when DATALEK_DATABASE_URL names one (a fresh database per test).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from datalek.brokers import EmbeddedBroker
from streams import plain_consumer

EXTERNAL_BROKER = os.environ.get("DATALEK_KAFKA__BOOTSTRAP")

# Hypothesis (the fuzz tests): "ci", the default, draws the same bounded examples on every run (reproducible,
# no example database, no deadline on a shared 2-core machine); HYPOTHESIS_PROFILE=deep searches longer.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("deep", deadline=None,  # and 20x the examples (tests.hostile.examples)
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
POSTGRES_URL = os.environ.get("DATALEK_DATABASE_URL")


def pytest_report_header() -> list[str]:
    broker = f"Apache Kafka at {EXTERNAL_BROKER}" if EXTERNAL_BROKER else "embedded Tansu (started by the tests)"
    pg = make_url(POSTGRES_URL).render_as_string(hide_password=True) if POSTGRES_URL else "not configured"
    return [f"datalek: broker = {broker}", f"datalek: PostgreSQL = {pg}"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if EXTERNAL_BROKER:
        yield EXTERNAL_BROKER
        return
    broker = EmbeddedBroker(free_port(), log_path=tmp_path_factory.mktemp("tansu") / "tansu.log")
    broker.start()
    try:
        yield broker.bootstrap
    finally:
        broker.stop()


def _postgres_database() -> Iterator[str]:
    assert POSTGRES_URL
    admin_url = make_url(POSTGRES_URL)
    name = f"datalek_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'datalek.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("DATALEK_DATABASE_URL is not set (PostgreSQL runs in CI)")
    yield from _postgres_database()


class Worker:
    """`datalek run` as a subprocess against the test broker and database, with its own topics."""

    def __init__(self, bootstrap: str, database_url: str, workdir: Path, **extra: str) -> None:
        self.prefix = f"t{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "DATALEK_KAFKA__BOOTSTRAP": bootstrap,
            "DATALEK_DATABASE_URL": database_url,
            "DATALEK_KAFKA__TOPIC_PREFIX": self.prefix,
            "DATALEK_KAFKA__APP_ID": self.prefix,
            "DATALEK_KAFKA__SESSION_TIMEOUT": "6",
            **extra,
        }
        self.workdir = workdir
        self.log = workdir / f"worker-{self.prefix}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def topic(self, name: str) -> str:
        return f"{self.prefix}.{name}"

    def group(self, name: str) -> str:
        """The consumer group that reads topic ``name`` (streams.app): events are routed and detections
        recorded by plain consumer groups, the rest by Faust's."""
        stage = {"events": "route", "detections": "incidents"}.get(name)
        return plain_consumer.group(self.prefix, stage) if stage else self.prefix

    def start(self, timeout: float = 90) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "datalek", "run"], env=self.env,
                                            cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "Worker]: Ready" in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"worker did not start:\n{self.log.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def cli(self, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "datalek", *args], env=self.env, cwd=self.workdir,
                              input=stdin.decode() if stdin else None, capture_output=True, text=True,
                              timeout=120)


@pytest.fixture
def worker_factory(kafka_bootstrap: str, tmp_path: Path) -> Iterator[object]:
    workers: list[Worker] = []

    def make(database_url: str, **extra: str) -> Worker:
        w = Worker(kafka_bootstrap, database_url, tmp_path, **extra)
        workers.append(w)
        return w

    yield make
    for w in workers:
        w.stop()


def wait_until(predicate, *, timeout: float = 60, interval: float = 0.3, message: str = "condition"):
    """Poll until ``predicate()`` is truthy; return its value or fail with ``message``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


@pytest.fixture
def factory(database_url: str) -> Iterator[object]:
    """A session factory on a fresh, migrated database (SQLite, and PostgreSQL when configured)."""
    from incidents.persistence import database

    engine = database.make_engine(database_url)
    database.upgrade(engine)
    yield database.session_factory(engine)
    engine.dispose()
