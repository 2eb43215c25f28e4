"""What the end-to-end benchmarks (bench/latency.py, bench/scaleout.py) run against: a broker, a fresh database,
`datalek run` workers as subprocesses (as tests/conftest.py starts them), and a few probes.

Broker: DATALEK_KAFKA__BOOTSTRAP if set, else an embedded Tansu started here. Database: a SQLite file in a
temporary folder, or a throwaway PostgreSQL database when DATALEK_DATABASE_URL names a server.
"""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.detection import free_port  # noqa: E402
from datalek.brokers import EmbeddedBroker  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def broker() -> Iterator[tuple[str, str]]:
    """(bootstrap, label): the configured broker, else an embedded Tansu for the duration."""
    external = os.environ.get("DATALEK_KAFKA__BOOTSTRAP")
    if external:
        yield external, f"external broker {external}"
        return
    with tempfile.TemporaryDirectory() as tmp:
        embedded = EmbeddedBroker(free_port(), log_path=Path(tmp) / "tansu.log")
        embedded.start()
        try:
            yield embedded.bootstrap, f"embedded Tansu {embedded.bootstrap}"
        finally:
            embedded.stop()


@contextlib.contextmanager
def database(workdir: Path) -> Iterator[tuple[str, str]]:
    """(url, label) of an empty database that is gone afterwards."""
    server = os.environ.get("DATALEK_DATABASE_URL")
    if not server:
        yield f"sqlite:///{workdir / 'datalek.db'}", "SQLite (temporary file)"
        return
    admin_url = make_url(server)
    name = f"datalek_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False), f"PostgreSQL ({admin_url.host})"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def migrate(url: str) -> None:
    """Bring the schema up to date once, before any worker starts, so the workers start alike (migrations
    take a lock, ``database.one_migrator``: two workers on a fresh database would migrate one after the other)."""
    from incidents.persistence import database as persistence

    engine = persistence.make_engine(url)
    try:
        persistence.upgrade(engine)
    finally:
        engine.dispose()


class Worker:
    """`datalek run` as a subprocess with its log in a file (a pipe nobody reads would block it), on a database
    that ``migrate`` brought up to date (the worker only checks the schema)."""

    def __init__(self, *, bootstrap: str, database_url: str, prefix: str, workdir: Path, name: str = "worker",
                 **extra: str) -> None:
        self.env = {**os.environ, "DATALEK_KAFKA__BOOTSTRAP": bootstrap, "DATALEK_DATABASE_URL": database_url,
                    "DATALEK_KAFKA__TOPIC_PREFIX": prefix, "DATALEK_KAFKA__APP_ID": prefix,
                    "DATALEK_KAFKA__SESSION_TIMEOUT": "6", "DATALEK_DATABASE_MIGRATE": "check", **extra}
        self.workdir, self.log = workdir, workdir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "datalek", "run"], env=self.env, cwd=self.workdir,
                                            stdout=log, stderr=subprocess.STDOUT)

    def ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise SystemExit(f"worker exited ({self.process.returncode}):\n{self.tail()}")
        return "Worker]: Ready" in self.log.read_text(errors="replace")

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not self.ready():
            if time.monotonic() > deadline:
                raise SystemExit(f"worker did not start:\n{self.tail()}")
            time.sleep(0.2)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the worker process so far."""
        assert self.process is not None
        return cpu_seconds(self.process.pid)

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def machine() -> str:
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    return (f"{platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"load average {load}")


def load_average() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])
