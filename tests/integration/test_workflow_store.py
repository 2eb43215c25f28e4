"""Workflow steps through the service on a real database: audit trail, version check, register round trip."""

import csv
import io
import json
from datetime import datetime, timedelta

import pytest

from datalek.cli import SCENARIO
from incidents import register, services
from incidents import workflow as wf
from incidents.assessment import BreachFacts, assess
from incidents.assessment.decision import accept
from incidents.errors import ConcurrentUpdate
from incidents.model import Status
from incidents.persistence import audit, database, users
from incidents.persistence.uow import SqlUnitOfWork
from tests.unit.test_services import HOUR, NOW, detection

FACTS = BreachFacts.from_dict(json.loads((SCENARIO.parent / "24online-facts.json").read_text()))


@pytest.fixture
def factory(database_url):
    engine = database.make_engine(database_url)
    database.upgrade(engine)
    f = database.session_factory(engine)
    with f.begin() as session:
        users.add(session, name="adam", role=wf.Role.ADMIN, by="adam", at=NOW)  # the bootstrap user
        users.add(session, name="ann", role=wf.Role.ANALYST, by="adam", at=NOW)
        users.add(session, name="fien", role=wf.Role.PRIVACY_OFFICER, by="adam", at=NOW)
    yield f
    engine.dispose()


def test_bootstrap_user_then_only_admins_add_users(factory):
    with factory.begin() as session, pytest.raises(wf.NotPermitted):
        users.add(session, name="eve", role=wf.Role.ADMIN, by="ann", at=NOW)


def step(factory, ref, who, fn, at):
    return services.act(SqlUnitOfWork(factory), ref, actor_name=who, now=at, step=fn)


def walk_to_reported(factory, incident_id):
    t = NOW
    step(factory, incident_id, "ann", lambda i, a: wf.transition(i, Status.TRIAGE, at=t, actor=a, reason="look"), t)
    step(factory, incident_id, "ann", lambda i, a: wf.confirm(i, at=t, actor=a, reason="accounts guessed"), t)
    step(factory, incident_id, "ann", lambda i, a: wf.record_facts(i, FACTS, at=t, actor=a), t)
    decision = accept(assess(FACTS).proposal, actor="fien")
    step(factory, incident_id, "fien", lambda i, a: wf.decide(i, decision, at=t, actor=a), t)
    later = t + timedelta(hours=30)
    return step(factory, incident_id, "fien", lambda i, a: wf.report(
        i, meldnummer="AP-2026-0042", reported_at=later, at=later, actor=a), later)


def test_workflow_steps_are_stored_with_an_audit_trail(factory):
    services.record_detection(SqlUnitOfWork(factory), detection("d1"), now=NOW, correlation_window=HOUR)
    with SqlUnitOfWork(factory) as uow:
        [incident] = uow.incidents.list()
    reported = walk_to_reported(factory, incident.id[:8])
    assert reported.status is Status.REPORTED
    with SqlUnitOfWork(factory) as uow:
        stored = uow.incidents.get(incident.id)
        trail = audit.trail(uow.session, incident.id)
    assert stored.facts == FACTS and stored.decision == reported.decision
    assert stored.became_aware_at == NOW and stored.meldnummer == "AP-2026-0042"
    assert [(a["actor"], a["to_status"]) for a in trail[1:]] == [
        ("ann", "triage"), ("ann", "confirmed"), ("ann", "assessing"), ("fien", "decided"), ("fien", "reported")]


def test_an_analyst_cannot_decide_even_through_the_service(factory):
    services.record_detection(SqlUnitOfWork(factory), detection("d1"), now=NOW, correlation_window=HOUR)
    decision = accept(assess(FACTS).proposal, actor="ann")
    with SqlUnitOfWork(factory) as uow:
        ref = uow.incidents.list()[0].id
    step(factory, ref, "ann", lambda i, a: wf.transition(i, Status.TRIAGE, at=NOW, actor=a, reason="look"), NOW)
    step(factory, ref, "ann", lambda i, a: wf.confirm(i, at=NOW, actor=a, reason="breach"), NOW)
    step(factory, ref, "ann", lambda i, a: wf.record_facts(i, FACTS, at=NOW, actor=a), NOW)
    with pytest.raises(wf.NotPermitted):
        step(factory, ref, "ann", lambda i, a: wf.decide(i, decision, at=NOW, actor=a), NOW)


def test_a_stale_incident_cannot_overwrite_a_newer_one(factory):
    services.record_detection(SqlUnitOfWork(factory), detection("d1"), now=NOW, correlation_window=HOUR)
    with SqlUnitOfWork(factory) as uow:
        stale = uow.incidents.list()[0]
    step(factory, stale.id, "ann", lambda i, a: wf.transition(i, Status.TRIAGE, at=NOW, actor=a, reason="x"), NOW)
    with pytest.raises(ConcurrentUpdate):
        step(factory, stale.id, "ann",
             lambda i, a: wf.transition(stale, Status.DISMISSED, at=NOW, actor=a, reason="stale view"), NOW)


def test_register_export_round_trips_what_the_database_holds(factory):
    services.record_detection(SqlUnitOfWork(factory), detection("d1"), now=NOW, correlation_window=HOUR)
    other = detection("d2", asset="crm", at=NOW + timedelta(days=1))
    services.record_detection(SqlUnitOfWork(factory), other, now=NOW, correlation_window=HOUR)
    with SqlUnitOfWork(factory) as uow:
        first, second = sorted(uow.incidents.list(), key=lambda i: i.opened_at)
    walk_to_reported(factory, first.id)
    step(factory, second.id, "ann", lambda i, a: wf.transition(i, Status.DISMISSED, at=NOW, actor=a,
                                                               reason="test login by the red team"), NOW)
    with SqlUnitOfWork(factory) as uow:
        held = {i.id: i for i in uow.incidents.list(limit=None)}
        entries = [register.entry(i, audit.trail(uow.session, i.id)) for i in held.values()]

    rows = list(csv.DictReader(io.StringIO(register.to_csv(entries))))
    assert {r["id"] for r in rows} == set(held) and len(rows) == len(held)
    for row in rows:  # flat cells a spreadsheet shows as they are: no JSON in any of them
        assert not any(cell.startswith(("{", "[")) for cell in row.values() if cell)
        i = held[row["id"]]
        assert row["status"] == i.status.value and row["rule_ids"] == "; ".join(i.rule_ids)
        assert row["decision_notify_ap"] == ({True: "ja", False: "nee"}[i.decision.notify_regulator]
                                             if i.decision else "")
        assert row["opened_at_amsterdam"].endswith(("CET", "CEST"))
    for exported in (json.loads(register.to_json(entries))["register"],):
        assert {e["id"] for e in exported} == set(held)
        for e in exported:
            i = held[e["id"]]
            assert e["status"] == i.status.value
            assert BreachFacts.from_dict(e["facts"]) == i.facts if i.facts else e["facts"] is None
            assert e["decision"] == (i.decision.to_dict() if i.decision else None)
            assert e["meldnummer"] == i.meldnummer
            assert datetime.fromisoformat(e["opened_at"]) == i.opened_at
            assert (e["became_aware_at"] and datetime.fromisoformat(e["became_aware_at"])) == i.became_aware_at
    dismissed = next(e for e in entries if e["status"] == "dismissed")
    assert dismissed["audit_trail"][-1]["reason"] == "test login by the red team"
    assert next(e for e in entries if e["meldnummer"])["severity"]["level"] == "medium"


def test_only_registered_people_read_incidents_once_anyone_is_registered(database_url):
    engine = database.make_engine(database_url)
    database.upgrade(engine)
    f = database.session_factory(engine)
    with f() as session:
        assert users.reader(session, "newcomer") == "os:newcomer (no users registered yet)"
    with f.begin() as session:
        users.add(session, name="fien", role=wf.Role.PRIVACY_OFFICER, by="fien", at=NOW)
    with f() as session:
        assert users.reader(session, "fien") == "fien"
        with pytest.raises(users.UnknownUser):
            users.reader(session, "mallory")
    engine.dispose()
