"""The rule engine on the real broker: a mixed stream with three attack patterns on two systems opens
exactly the expected incidents, and the stream and the offline replay agree on every incident."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from datalek.replay import ReplayOptions, run
from datalek.rules import load_inventory
from incidents.persistence import database
from incidents.persistence.uow import SqlUnitOfWork
from streams.schema import encode_envelope
from tests.conftest import wait_until
from tests.integration.test_pipeline import produce, wait_consumed

pytestmark = pytest.mark.kafka
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
INVENTORY = load_inventory()


def event(n: int, minutes: float, **fields) -> dict:
    at = (T0 + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")
    return {"@timestamp": at, "event.id": f"mix-{n:04d}", "datalek.schema": 1, **fields}


def login(outcome: str, ip: str, user: str) -> dict:
    return {"event.category": ["authentication"], "event.action": "login", "event.outcome": outcome,
            "source.ip": ip, "user.name": user, "datalek.asset": "klantportaal", "host.name": "portal-web-01"}


def mixed_stream() -> list[dict]:
    """An hour of ordinary use with three attacks: brute force and password spraying on the customer
    portal, ransomware on the CRM database server (the alert names only the host)."""
    events = []
    for n in range(60):  # ordinary logins and record views
        events.append(event(len(events), n, **login("success", f"198.51.100.{n + 2}", f"klant{3000 + n}")))
        events.append(event(len(events), n + 0.5, **{
            "event.category": ["database"], "event.action": "record_view", "event.outcome": "success",
            "user.name": f"medewerker{n % 5}", "datalek.records": 3, "datalek.asset": "crm"}))
    for n in range(15):  # 1: brute force against one account from one source
        events.append(event(len(events), 10 + n * 4 / 60, **login("failure", "203.0.113.50", "klant2001")))
    for n in range(12):  # 2: password spraying, slow enough to stay under the brute-force threshold
        events.append(event(len(events), 30 + n * 50 / 60, **login("failure", "198.51.100.200", f"klant{4000 + n}")))
    events.append(event(len(events), 45, **{  # 3: ransomware on a CRM server
        "event.category": ["malware"], "event.action": "ransomware_detected", "event.kind": "alert",
        "host.name": "crm-db-01"}))
    return sorted(events, key=lambda e: e["@timestamp"])


def stored_incidents(database_url: str) -> list:
    engine = database.make_engine(database_url)
    try:
        with SqlUnitOfWork(database.session_factory(engine)) as uow:
            return sorted(uow.incidents.list(limit=None), key=lambda i: (i.opened_at, i.id))
    finally:
        engine.dispose()


def write_jsonl(path: Path, events: list[dict]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in events))
    return path


def test_three_attacks_on_two_systems_open_exactly_the_expected_incidents(worker_factory, database_url,
                                                                        kafka_bootstrap):
    worker = worker_factory(database_url)
    worker.start()
    events = mixed_stream()
    produce(kafka_bootstrap, worker.topic("events"),
            [encode_envelope(events[n:n + 50]) for n in range(0, len(events), 50)])
    wait_until(lambda: len(stored_incidents(database_url)) >= 2, message="two incidents")
    wait_consumed(worker, ["events", "detections"])

    portal, crm = stored_incidents(database_url)
    assert (portal.asset, set(portal.rule_ids)) == ("klantportaal", {"auth.repeated_failures",
                                                                     "auth.password_spraying"})
    assert [k.split("|")[2] for k in portal.detection_keys] == ["source.ip=203.0.113.50",
                                                                "source.ip=198.51.100.200"]
    assert (crm.asset, crm.rule_ids, crm.breach_types) == ("crm", ("malware.personal_data_host",),
                                                           {"availability"})
    # each incident carries what the data inventory says its system holds
    portal_data, crm_data = portal.inventory, crm.inventory
    assert (portal_data, crm_data) == tuple(INVENTORY.prefill([i.asset]) for i in (portal, crm))
    assert {"access_credentials", "email", "ip_address"} <= {c.value for c in portal_data.data_categories}
    assert {"purchase_history", "business_registration"} <= {c.value for c in crm_data.data_categories}
    assert portal_data.facts(portal.breach_types) is not None and crm_data.facts(crm.breach_types) is not None


def test_the_live_stream_and_the_offline_replay_yield_the_same_incidents(worker_factory, database_url,
                                                                         tmp_path):
    path = write_jsonl(tmp_path / "mixed.jsonl", mixed_stream())
    worker = worker_factory(database_url)
    worker.start()
    sent = worker.cli("ingest", str(path), "--format", "ecs")
    assert sent.returncode == 0, sent.stderr

    replayed = [r for r in run(path, ReplayOptions(fmt="ecs")) if r["kind"] == "incident"]
    wait_until(lambda: len(stored_incidents(database_url)) >= len(replayed), message="the replayed incidents")
    wait_consumed(worker, ["events", "detections"])
    streamed = [{"id": i.id, "asset": i.asset, "entity": i.entity, "rule_ids": list(i.rule_ids),
                 "detections": list(i.detection_keys), "event_ids": list(i.event_ids),
                 "opened_at": i.opened_at.isoformat(), "last_activity_at": i.last_activity_at.isoformat()}
                for i in stored_incidents(database_url)]
    assert streamed == [{k: r[k] for k in streamed[0]} for r in replayed]
    assert len(streamed) == 2
