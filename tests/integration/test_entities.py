"""Affected entities and unknown assets in the database (SQLite and PostgreSQL), the CLI, the console and the
alerts: the FG sees the taken-over accounts; the alert never names them."""

import json
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import inspect, text

from datalek.web import build_web_app
from incidents import services
from incidents.persistence import database
from incidents.persistence.uow import SqlUnitOfWork
from notifications.policy import alerts_for_change
from notifications.rendering import render_alert
from tests.integration.test_web import Site
from tests.integration.test_workflow_cli import datalek
from tests.unit.test_affected_entities import INVENTORY, T0, TAKEN, engine, events, ransomware, takeover

HOUR = timedelta(hours=1)


def record(factory, detections) -> None:
    for d in detections:
        services.record_detection(SqlUnitOfWork(factory), d, now=d.detected_at, correlation_window=HOUR,
                                  prefill=INVENTORY.prefill)


def takeover_detections():
    return engine("auth.stuffing_then_success").detect({}, events(takeover()))


def test_migration_0009_adds_the_columns_and_rows_from_before_read_as_known(database_url):
    db = database.make_engine(database_url)
    database.upgrade(db, "0008")
    with db.begin() as conn:
        conn.execute(text(
            "INSERT INTO incidents (id, title, status, opened_at, last_activity_at, entity, asset, rule_ids, "
            "breach_types, version) VALUES ('00000000-0000-0000-0000-000000000001', 'old', 'detected', "
            ":t, :t, 'source.ip=192.0.2.1', 'klantportaal', '[]', '[]', 1)"), {"t": T0})
    database.upgrade(db)
    columns = {c["name"] for c in inspect(db).get_columns("incidents")}
    assert {"asset_known", "affected"} <= columns
    with SqlUnitOfWork(database.session_factory(db)) as uow:
        [old] = uow.incidents.list()
    assert old.asset_known is True and not old.affected
    database.downgrade(db, "0008")
    assert "affected" not in {c["name"] for c in inspect(db).get_columns("incidents")}
    database.upgrade(db)
    db.dispose()


def test_affected_accounts_and_the_unknown_asset_round_trip_and_merge_once(factory):
    found = takeover_detections()
    record(factory, [*found, *found])  # redelivered: the same incident, the same accounts
    malware = engine("malware.personal_data_host").detect({}, events([ransomware("fs-archief-02")]))
    record(factory, malware)
    with SqlUnitOfWork(factory) as uow:
        takeover_incident = uow.incidents.holding(found[0].key)
        unknown = uow.incidents.holding(malware[0].key)
        seen = {asset for asset, _, _ in uow.incidents.assets_seen()}
    assert takeover_incident.affected.accounts == set(TAKEN) and takeover_incident.asset_known
    assert {"ev-0102", "ev-0104"} <= set(takeover_incident.event_ids)
    assert takeover_incident.detection_keys == (found[0].key,)
    assert unknown.asset == "fs-archief-02" and unknown.asset_known is False and not unknown.affected
    assert seen == {"klantportaal", "fs-archief-02"}


def test_the_takeover_alert_names_no_account_while_incidents_show_lists_them(tmp_path):
    db = database.make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    database.upgrade(db)
    factory = database.session_factory(db)
    record(factory, takeover_detections())
    record(factory, engine("malware.personal_data_host").detect({}, events([ransomware("fs-archief-02")])))
    with SqlUnitOfWork(factory) as uow:
        incidents = uow.incidents.list()
    db.dispose()
    takeover_incident = next(i for i in incidents if i.affected.accounts)
    for incident in incidents:
        for alert in alerts_for_change(None, incident):
            note = render_alert(alert, incident, base_url="https://datalek.example/incidents/", now=T0)
            assert not any(name in note.title + note.body for name in (*TAKEN, "klant3001", "klant4444"))

    token = datalek(tmp_path, "users", "add", "fien", "privacy_officer").stdout.strip()
    shown = datalek(tmp_path, "incidents", "show", takeover_incident.id[:8], "--json", token=token)
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["affected"]["accounts"] == sorted(TAKEN) and data["asset_known"] is True
    assert "klant4444" not in shown.stdout and not any(name in shown.stderr for name in TAKEN)
    as_text = datalek(tmp_path, "incidents", "show", takeover_incident.id[:8], token=token).stdout
    assert all(name in as_text for name in TAKEN)
    listed_all = datalek(tmp_path, "incidents", "list", "--json", token=token).stdout
    assert listed_all.count("\n") == 2 and not any(name in listed_all for name in TAKEN)

    unknown_id = next(i.id for i in incidents if not i.asset_known)
    unknown = json.loads(datalek(tmp_path, "incidents", "show", unknown_id[:8], "--json", token=token).stdout)
    assert unknown["asset_note"] == ("asset not in the inventory: assume personal data until the FG says "
                                     "otherwise")
    listed = datalek(tmp_path, "inventory", "unknown", "--json", token=token)
    assert [json.loads(line)["asset"] for line in listed.stdout.splitlines()] == ["fs-archief-02"]
    assert "fs-archief-02" in datalek(tmp_path, "inventory", "unknown", token=token).stdout


@pytest.mark.asyncio
async def test_the_console_shows_the_taken_over_accounts_and_the_inventory_note(database_url):
    site = Site(database_url)
    found = takeover_detections()
    malware = engine("malware.personal_data_host").detect({}, events([ransomware("fs-archief-02")]))
    record(site.container.session_factory, [*found, *malware])
    with site.container.uow() as uow:
        takeover_id, unknown_id = (uow.incidents.holding(d.key).id for d in (found[0], malware[0]))
    app = build_web_app(site.container, clock=lambda: T0 + HOUR)
    async with TestClient(TestServer(app)) as client:
        page = await (await client.get(f"/incidents/{takeover_id}", headers=site.auth("fien"))).text()
        other = await (await client.get(f"/incidents/{unknown_id}", headers=site.auth("fien"))).text()
    assert all(f"<li>{name}</li>" in page for name in TAKEN) and "klant4444" not in page
    assert "asset not in the inventory" not in page
    assert "asset not in the inventory: assume personal data until the FG says otherwise" in other
    site.container.engine.dispose()
