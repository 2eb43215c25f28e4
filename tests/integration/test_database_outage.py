"""The worker through a PostgreSQL outage: a TCP proxy between the worker and the shared server is cut
(connections reset, new ones refused) and later paused (nothing answered, as a SIGSTOPped server). The
worker keeps running, logs the retries, and once the line is back it opens the incidents of the attacks
that arrived meanwhile and publishes their events. The shared server itself is never stopped."""

import json
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

from incidents.persistence.rows import IncidentRow
from tests.conftest import POSTGRES_URL, _postgres_database, wait_until
from tests.integration.test_pipeline import produce, read_topic, scenario_events
from tests.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


@pytest.fixture
def postgres_url():
    if not POSTGRES_URL:
        pytest.skip("DATALEK_DATABASE_URL is not set (PostgreSQL runs in CI)")
    yield from _postgres_database()


def attack(day: int) -> list[bytes]:
    """The password-guessing scenario moved ``day`` days on, with its own event ids: a separate incident."""
    out = []
    for e in scenario_events():
        at = datetime.fromisoformat(e["@timestamp"].replace("Z", "+00:00")) + timedelta(days=day)
        e = {**e, "@timestamp": at.isoformat(), "event": {**e["event"], "id": f"{e['event']['id']}-d{day}"}}
        out.append(json.dumps(e).encode())
    return out


def opened_days(url: str) -> list[int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(row.opened_at.day for row in conn.execute(select(IncidentRow.opened_at)))
    finally:
        engine.dispose()


def status(worker) -> dict:
    done = worker.cli("status", "--json", "--timeout", "3")
    data = json.loads(done.stdout)
    assert done.returncode == (0 if data["ok"] else 1)
    return data


def test_the_worker_rides_out_a_cut_and_a_stalled_database(worker_factory, postgres_url, kafka_bootstrap):
    url = make_url(postgres_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432)).start()
    through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    worker = worker_factory(through, DATALEK_DATABASE_TIMEOUT="2", DATALEK_ALERTS__PLAN_INTERVAL="1")
    try:
        worker.start()
        produce(kafka_bootstrap, worker.topic("events"), attack(0))
        wait_until(lambda: opened_days(postgres_url) == [20], message="the first incident")

        proxy.cut()  # the database is gone: every task that needs it retries, none crashes the worker
        produce(kafka_bootstrap, worker.topic("events"), attack(1))
        time.sleep(8)
        assert worker.process.poll() is None and opened_days(postgres_url) == [20]
        down = status(worker)
        assert (down["ok"], down["broker"], down["database"]) == (False, "reachable", "unreachable (OperationalError)")
        proxy.restore()
        wait_until(lambda: opened_days(postgres_url) == [20, 21], timeout=90, message="catch-up after the cut")
        up = wait_until(lambda: (s := status(worker))["lag"] == 0 and s, message="no lag after the cut")
        assert up["ok"] and up["last_incident_at"].startswith("2026-11-21")
        assert {(p["topic"], p["partition"]) for p in up["partitions"]} >= {(worker.topic("events"), 0),
                                                                           (worker.topic("detections"), 0)}

        proxy.pause()  # the database stops answering: calls time out instead of hanging the worker
        produce(kafka_bootstrap, worker.topic("events"), attack(2))
        time.sleep(10)
        assert worker.process.poll() is None and opened_days(postgres_url) == [20, 21]
        proxy.restore()
        wait_until(lambda: opened_days(postgres_url) == [20, 21, 22], timeout=90,
                   message="catch-up after the stall")
        opened = read_topic(kafka_bootstrap, worker.topic("incident-events"), expect=3)
        assert sorted(e["kind"] for e in opened) == ["IncidentOpened"] * 3
        assert worker.process.poll() is None
    finally:
        worker.stop()
        proxy.stop()
    log = worker.log.read_text(errors="replace")
    assert "transient failure in record_detection" in log and "CallTimedOut" in log
    assert "Traceback" not in log
