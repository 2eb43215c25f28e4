"""Alerts delivered for real through Apprise: e-mail to a local SMTP server (aiosmtpd), chat to a local HTTP
receiver (Apprise json://). No mocked Apprise. A dead target is retried with backoff while other work goes on.
"""

from __future__ import annotations

import asyncio
import email
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise

import pytest
from aiosmtpd.controller import Controller

from datalek.rules import load_inventory
from incidents.assessment import BreachFacts, SeverityLevel
from incidents.model import Incident, Status
from notifications.dispatcher import (
    Backoff,
    DeliveryQueue,
    DeliveryResult,
    DeliveryStatus,
    Dispatcher,
    load_targets,
)
from notifications.policy import AlertKind, alert_for
from notifications.rendering import render_alert

AWARE = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
NOW = AWARE + timedelta(hours=50)
BASE = "http://127.0.0.1:8080/incidents/"
# personal data a careless rule could put into the entity and the title: none of it may reach an alert
PERSONAL = ("Jan de Vries", "jan.devries@example.nl", "NL91ABNA0417164300", "203.0.113.77", "klant2001")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    messages: list[tuple[str, list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd handler hook
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[int, Mailbox]]:
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, mailbox
    finally:
        controller.stop()


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, dict]]

    def do_POST(self):  # noqa: N802 - http.server hook
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.append((self.path, json.loads(body)))  # type: ignore[attr-defined]
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture
def chat() -> Iterator[tuple[int, list[tuple[str, dict]]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.received  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def incident() -> Incident:
    facts = BreachFacts.from_dict({"nature": ["confidentiality"], "data_categories": ["name", "email",
                                   "access_credentials"], "identifiability": "maximum", "malicious": True,
                                   "recipients": "unknown", "data_subjects": 4})
    return Incident(
        id="5b1d8a0e-7c1f-5d2e-9a47-24a0c2e1b9f3", status=Status.ASSESSING, asset="klantportaal",
        title="Jan de Vries <jan.devries@example.nl> IBAN NL91ABNA0417164300 klant2001 from 203.0.113.77",
        entity="user.email=jan.devries@example.nl", opened_at=AWARE - timedelta(hours=1),
        rule_ids=("auth.repeated_failures",), breach_types=frozenset({"confidentiality"}),
        detection_keys=("d1", "d2"), event_ids=tuple(f"24online-portal-{n:05d}" for n in range(50, 62)),
        last_activity_at=AWARE, became_aware_at=AWARE, facts=facts,
        inventory=load_inventory().prefill(["klantportaal"]))


def notification(kind: AlertKind, tags: frozenset[str] | None = None):
    i = incident()
    note = render_alert(alert_for(kind, i, level=SeverityLevel.HIGH, hours_left=24), i, base_url=BASE, now=NOW)
    return replace(note, tags=tags) if tags is not None else note


def targets(smtp_port: int, chat_port: int, *extra: str):
    urls = [f"security,fg=json://127.0.0.1:{chat_port}/hooks/datalek",
            f"fg,legal=mailto://127.0.0.1:{smtp_port}?from=datalek@24-online.example&to=fg@24-online.example",
            *extra]
    return load_targets(urls, request_rate_per_sec=0)  # tests only: no Apprise throttling between sends


def assert_no_personal_data(text: str) -> None:
    for value in PERSONAL:
        assert value not in text


async def test_email_and_chat_alerts_arrive_with_the_expected_text_and_no_personal_data(smtp, chat):
    (smtp_port, mailbox), (chat_port, received) = smtp, chat
    dispatcher = Dispatcher(targets(smtp_port, chat_port))
    note = notification(AlertKind.DEADLINE_WARNING, frozenset({"fg"}))
    results = await dispatcher.deliver(note)

    assert sorted((r.target.split(":")[0], r.status) for r in results) == [
        ("json", DeliveryStatus.SENT), ("mailto", DeliveryStatus.SENT)]
    assert all(r.notification_key == f"{incident().id}:deadline_warning" and r.final for r in results)

    [(path, payload)] = received
    assert path == "/hooks/datalek" and payload["title"] == note.title
    assert payload["title"] == "[datalek] 24 h left to notify the AP: incident 5b1d8a0e on klantportaal"
    for expected in ("Rule:      auth.repeated_failures", "Asset:     klantportaal",
                     "Evidence:  12 events in 2 detections", "2026-11-23 10:30 UTC = 2026-11-23 11:30 CET",
                     f"Open:      {BASE}{incident().id}"):
        assert expected in payload["message"]
    assert_no_personal_data(json.dumps(payload))

    [(sender, recipients, message)] = mailbox.messages
    assert (sender, recipients) == ("datalek@24-online.example", ["fg@24-online.example"])
    assert message["Subject"] == note.title
    text = "\n".join(part.get_payload(decode=True).decode() for part in message.walk()
                     if part.get_content_maintype() == "text")
    assert "Rule:      auth.repeated_failures" in text and "Severity:" in text
    assert_no_personal_data(message.as_string() + text)


async def test_tags_route_each_alert_and_an_unrouted_alert_is_recorded_as_no_target(smtp, chat):
    (smtp_port, mailbox), (chat_port, received) = smtp, chat
    dispatcher = Dispatcher(targets(smtp_port, chat_port))
    [opened] = await dispatcher.deliver(notification(AlertKind.INCIDENT_OPENED, frozenset({"security"})))
    [legal] = await dispatcher.deliver(notification(AlertKind.OVERDUE, frozenset({"legal"})))
    [nobody] = await dispatcher.deliver(notification(AlertKind.REPORTED, frozenset({"board"})))
    assert opened.target.startswith("json://") and legal.target.startswith("mailto://")
    assert (opened.status, legal.status) == (DeliveryStatus.SENT, DeliveryStatus.SENT)
    assert (nobody.status, nobody.target) == (DeliveryStatus.NO_TARGET, "-")
    assert len(received) == 1 and len(mailbox.messages) == 1


async def test_a_failing_target_is_retried_with_backoff_while_other_work_continues(chat):
    chat_port, received = chat
    dead = free_port()  # nothing listens here: connection refused
    good, bad = load_targets([f"security=json://127.0.0.1:{chat_port}/hooks/ok",
                              f"security=json://127.0.0.1:{dead}/hooks/down"], request_rate_per_sec=0)
    results: list[DeliveryResult] = []
    queue = DeliveryQueue(Dispatcher([good, bad], timeout=5), on_result=results.append, max_attempts=3,
                          backoff=Backoff(base=0.3, cap=5, jitter=0))
    worker = asyncio.create_task(queue.run())
    ticks: list[float] = []

    async def stream() -> None:  # stands in for the Faust agent that keeps processing events
        while True:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.01)

    processing = asyncio.create_task(stream())
    try:
        notes = [replace(notification(AlertKind.INCIDENT_OPENED), key=f"n{n}") for n in range(3)]
        started = time.monotonic()
        assert all(queue.submit(n) for n in notes)  # returns at once
        assert time.monotonic() - started < 0.05
        await asyncio.wait_for(queue.join(), timeout=20)
    finally:
        worker.cancel()
        processing.cancel()

    assert sorted(m["title"] for _, m in received) == [notes[0].title] * 3  # the good target got all three
    sent = [r for r in results if r.target == good.name]
    failed = [r for r in results if r.target == bad.name]
    assert [r.status for r in sent] == [DeliveryStatus.SENT] * 3 and all(r.final for r in sent)
    for key in ("n0", "n1", "n2"):
        attempts = [r for r in failed if r.notification_key == key]
        assert [(r.attempt, r.status, r.final) for r in attempts] == [
            (1, DeliveryStatus.FAILED, False), (2, DeliveryStatus.FAILED, False), (3, DeliveryStatus.FAILED, True)]
        gaps = [(b.at - a.at).total_seconds() for a, b in pairwise(attempts)]
        assert gaps[0] >= 0.3 and gaps[1] >= 0.6  # exponential backoff
    last_sent = max(r.at for r in sent)
    first_final_failure = min(r.at for r in failed if r.final)
    assert last_sent < first_final_failure  # good deliveries did not wait for the dead target's retries
    retry_window = [t for t in ticks if t > started + 0.3]
    assert len(retry_window) > 20  # the "stream" kept running while retries were pending


async def test_delivery_never_raises_into_the_caller_when_persisting_a_result_fails(chat):
    chat_port, received = chat
    [target] = load_targets([f"fg=json://127.0.0.1:{chat_port}/hooks/x"], request_rate_per_sec=0)

    def broken_store(result: DeliveryResult) -> None:
        raise RuntimeError("database down")

    queue = DeliveryQueue(Dispatcher([target]), on_result=broken_store)
    worker = asyncio.create_task(queue.run())
    try:
        queue.submit(notification(AlertKind.DECISION_NEEDED))
        queue.submit(notification(AlertKind.REPORTED))
        await asyncio.wait_for(queue.join(), timeout=10)
    finally:
        worker.cancel()
    assert len(received) == 2


async def test_apprise_never_logs_the_alert_body_or_target_url_even_at_debug(chat, caplog):
    chat_port, received = chat
    for name in ("apprise", "urllib3"):
        logging.getLogger(name).setLevel(logging.NOTSET)  # as in a fresh process
    caplog.set_level(logging.DEBUG)  # the root logger, as `datalek run --log-level debug` sets it
    dispatcher = Dispatcher(load_targets([f"fg=json://127.0.0.1:{chat_port}/hooks/secret-path"],
                                         request_rate_per_sec=0))
    note = notification(AlertKind.DEADLINE_WARNING, frozenset({"fg"}))
    [result] = await dispatcher.deliver(note)
    assert result.status == DeliveryStatus.SENT and len(received) == 1
    assert logging.getLogger("apprise").getEffectiveLevel() >= logging.INFO
    assert "Notifying 1 service(s)" in caplog.text  # Apprise's INFO lines still arrive
    assert "secret-path" not in caplog.text and "Rule:      auth.repeated_failures" not in caplog.text
