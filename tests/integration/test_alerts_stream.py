"""Alerts from the running worker: an incident opened from the stream reaches a local SMTP server and a local
chat receiver; a dead target is retried and recorded; a restart does not alert twice."""

import json
import time

import pytest
from sqlalchemy import create_engine, select

from datalek.cli import SCENARIO
from incidents.persistence.rows import AlertRow, DeliveryRow
from tests.conftest import free_port, wait_until
from tests.integration.test_alerts import chat, smtp  # noqa: F401 - fixtures: local receivers
from tests.integration.test_pipeline import count_incidents, produce

pytestmark = pytest.mark.kafka
PERSONAL = ("203.0.113.77", "klant2000", "klant2001", "klant2002", "klant2003")


def rows(database_url, row):
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(row)).all()
    finally:
        engine.dispose()


def test_stream_incident_alerts_by_mail_and_chat_once_and_records_a_dead_target(
        worker_factory, database_url, kafka_bootstrap, smtp, chat):  # noqa: F811
    (smtp_port, mailbox), (chat_port, received) = smtp, chat
    urls = [f"security=json://127.0.0.1:{chat_port}/hooks/datalek",
            f"security=mailto://127.0.0.1:{smtp_port}?from=datalek@24-online.example&to=soc@24-online.example",
            f"security=json://127.0.0.1:{free_port()}/dead"]
    settings = {"DATALEK_ALERTS__APPRISE_URLS": json.dumps(urls), "DATALEK_ALERTS__THROTTLE_SECONDS": "0",
                "DATALEK_ALERTS__PLAN_INTERVAL": "1", "DATALEK_ALERTS__RETRY_BASE_SECONDS": "0.2",
                "DATALEK_ALERTS__MAX_ATTEMPTS": "3"}
    worker = worker_factory(database_url, **settings)
    worker.start()
    produce(kafka_bootstrap, worker.topic("events"), [line.encode() for line in SCENARIO.read_text().splitlines()])
    wait_until(lambda: count_incidents(database_url) == 1, message="incident")
    wait_until(lambda: received and mailbox.messages, timeout=60, message="chat and e-mail alerts")

    [(path, payload)] = received
    assert path == "/hooks/datalek" and "New incident" in payload["title"] + payload["message"]
    [(_, rcpt, message)] = mailbox.messages
    assert rcpt == ["soc@24-online.example"]
    text = payload["title"] + payload["message"] + message.as_string()
    assert "klantportaal" in text and not any(value in text for value in PERSONAL)

    failed = wait_until(lambda: [r for r in rows(database_url, DeliveryRow) if "dead" in r.target and r.final],
                        timeout=60, message="the dead target given up after retries")
    attempts = [r for r in rows(database_url, DeliveryRow) if "dead" in r.target]
    assert sorted(r.attempt for r in attempts) == [1, 2, 3] and failed[0].status == "failed"
    assert {r.status for r in rows(database_url, DeliveryRow) if "dead" not in r.target} == {"sent"}

    worker.stop()  # a restart must neither repeat nor lose the alert
    worker.start()
    time.sleep(5)
    assert len(received) == 1 and len(mailbox.messages) == 1
    assert [(r.key, r.state) for r in rows(database_url, AlertRow)] == [("incident_opened", "done")]


def test_deadline_reminders_come_from_the_worker_once_even_across_a_restart(worker_factory, database_url, chat):  # noqa: F811
    from datetime import UTC, datetime, timedelta

    from incidents import services
    from incidents import workflow as wf
    from incidents.model import Status
    from incidents.persistence import database, users
    from incidents.persistence.uow import SqlUnitOfWork
    from tests.unit.test_services import HOUR, detection

    chat_port, received = chat
    now = datetime.now(UTC)
    engine = database.make_engine(database_url)
    database.upgrade(engine)
    factory = database.session_factory(engine)
    services.record_detection(SqlUnitOfWork(factory), detection("d1", at=now - timedelta(hours=71)), now=now,
                              correlation_window=HOUR)
    with factory.begin() as session:
        users.add(session, name="ann", role=wf.Role.ANALYST, by="ann", at=now)
    with SqlUnitOfWork(factory) as uow:
        ref = uow.incidents.list()[0].id
    aware = now - timedelta(hours=70)  # 2 hours left: the 48 h, 24 h and 6 h marks have all passed
    for step in (lambda i, a: wf.transition(i, Status.TRIAGE, at=now, actor=a, reason="look"),
                 lambda i, a: wf.confirm(i, at=now, actor=a, reason="breach", became_aware_at=aware)):
        services.act(SqlUnitOfWork(factory), ref, actor_name="ann", now=now, step=step)
    engine.dispose()

    settings = {"DATALEK_ALERTS__APPRISE_URLS": json.dumps([f"security,fg=json://127.0.0.1:{chat_port}/hook"]),
                "DATALEK_ALERTS__THROTTLE_SECONDS": "0", "DATALEK_ALERTS__PLAN_INTERVAL": "1"}
    worker = worker_factory(database_url, **settings)
    worker.start()
    wait_until(lambda: len(received) >= 2, timeout=60, message="opened alert and the 6 h reminder")
    time.sleep(3)
    titles = sorted(payload["title"] for _, payload in received)
    assert len(titles) == 2 and any("left to notify the AP" in t for t in titles)
    states = {r.key: r.state for r in rows(database_url, AlertRow)}
    assert states == {"incident_opened": "done", "deadline:6h": "done", "deadline:48h": "superseded",
                      "deadline:24h": "superseded"}
    worker.stop()
    worker.start()
    time.sleep(4)
    assert len(received) == 2
