"""Affected entities and unknown assets: from the events, through the engine and the services, to the incident.

Events are ECS documents as a portal or an EDR writes them (nested objects, ``event.category``/``type`` lists),
decoded by the same schema code as the stream.
"""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from datalek.rules import load_inventory, load_rules
from incidents import services
from incidents.detection import Affected
from incidents.memory import MemoryUnitOfWork
from incidents.model import Incident
from incidents.rules import Engine, RuleError, rule_from_dict
from streams import records, schema

T0 = datetime(2026, 11, 20, 22, 0, tzinfo=UTC)
INVENTORY = load_inventory()
RULES = {r.id: r for r in load_rules()}
ATTACKER, OTHER = "192.0.2.44", "198.51.100.23"
TAKEN = ("klant1042", "klant2210", "klant0815")


def at(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def login(n: int, minutes: float, *, ip: str, user: str, outcome: str) -> dict:
    """A portal login as an ECS producer writes it: one event per attempt, outcome on that event."""
    return {"@timestamp": at(minutes), "event": {"id": f"ev-{n:04d}", "kind": "event", "category": ["authentication"],
                                                 "type": ["start"], "action": "login", "outcome": outcome},
            "source": {"ip": ip}, "user": {"name": user}, "host": {"name": "portal-web-01"},
            "url": {"path": "/account/login"}}


def takeover() -> list[dict]:
    """A stuffing burst of 40 leaked pairs from one address, then three logins into different accounts from it
    (one of them twice), a success before the burst, and a customer logging in from elsewhere meanwhile."""
    docs = [login(0, -5, ip=ATTACKER, user="klant0001", outcome="success")]  # before the burst: not a takeover
    docs += [login(1 + n, n * 0.1, ip=ATTACKER, user=f"klant{3000 + n}", outcome="failure") for n in range(40)]
    docs += [login(100, 5, ip=ATTACKER, user=TAKEN[0], outcome="success"),
             login(101, 7, ip=OTHER, user="klant4444", outcome="success"),  # another source: not listed
             login(102, 12, ip=ATTACKER, user=TAKEN[1], outcome="success"),
             login(103, 13, ip=ATTACKER, user=TAKEN[1], outcome="success"),  # same account again: nothing new
             login(104, 40, ip=ATTACKER, user=TAKEN[2], outcome="success")]
    return docs


def events(docs: list[dict]) -> list:
    return [schema.to_event(d) for d in docs]


def engine(*rule_ids: str) -> Engine:
    return Engine([RULES[r] for r in rule_ids], inventory=INVENTORY)


def record_all(uow: MemoryUnitOfWork, detections) -> None:
    for d in detections:
        services.record_detection(uow, d, now=d.detected_at, correlation_window=timedelta(hours=1),
                                  prefill=INVENTORY.prefill)


def only(uow: MemoryUnitOfWork) -> Incident:
    [incident] = uow.incidents.items.values()
    return incident


def test_the_first_takeover_fires_the_rule_and_later_ones_from_the_source_come_as_updates():
    found = engine("auth.stuffing_then_success").detect({}, events(takeover()))
    first, *updates = found
    assert first.extends is None and first.affected.accounts == {TAKEN[0]}
    assert [u.extends for u in updates] == [first.key, first.key]
    assert [set(u.affected.accounts) for u in updates] == [{TAKEN[1]}, {TAKEN[2]}]
    assert [u.event_ids for u in updates] == [("ev-0102",), ("ev-0104",)]


def test_all_accounts_taken_over_from_the_attacking_source_are_on_the_incident_and_no_other():
    uow = MemoryUnitOfWork()
    record_all(uow, engine("auth.stuffing_then_success").detect({}, events(takeover())))
    incident = only(uow)
    assert incident.affected.accounts == set(TAKEN)
    assert "klant4444" not in incident.affected.accounts and "klant0001" not in incident.affected.accounts
    assert {"ev-0102", "ev-0104"} <= set(incident.event_ids) and len(incident.detection_keys) == 1
    assert [e["action"] for e in uow.audit_log] == ["incident.opened", "affected.added", "affected.added"]
    assert all(name not in json.dumps(uow.audit_log, default=str) for name in TAKEN)  # counts only


def test_the_rule_state_holds_no_account_name():
    states: dict = {}
    engine("auth.stuffing_then_success").detect(states, events(takeover()))
    text = json.dumps(states)
    assert all(name not in text for name in (*TAKEN, "klant3001"))


def test_a_batch_run_again_from_its_old_state_and_redelivered_updates_change_nothing():
    docs = events(takeover())
    e = engine("auth.stuffing_then_success")
    states: dict = {}
    first_half = e.detect(states, docs[:45])
    saved = json.loads(json.dumps(states))
    second_half = e.detect(states, docs[45:])
    again = e.detect(saved, docs[45:])  # a crash before the state write: the batch runs again
    assert again == second_half
    uow = MemoryUnitOfWork()
    record_all(uow, [*first_half, *second_half, *again, *second_half])
    assert only(uow).affected.accounts == set(TAKEN) and uow.incidents.items
    assert [e["action"] for e in uow.audit_log].count("affected.added") == 2


def test_the_updates_are_the_same_whatever_the_batch_size():
    docs = events(takeover())
    whole = engine("auth.stuffing_then_success").detect({}, docs)
    states: dict = {}
    e = engine("auth.stuffing_then_success")
    split = [d for n in range(0, len(docs), 7) for d in e.detect(states, docs[n:n + 7])]
    assert split == whole


def test_no_update_after_the_suppression_ends_and_none_without_a_detection():
    late = login(200, 30 + 60 + 35, ip=ATTACKER, user="klant7777", outcome="success")  # window + suppress over
    found = engine("auth.stuffing_then_success").detect({}, events([*takeover(), late]))
    assert all("klant7777" not in d.affected.accounts for d in found)
    quiet = [login(n, n, ip=OTHER, user=f"klant{n}", outcome="success") for n in range(5)]
    assert engine("auth.stuffing_then_success").detect({}, events(quiet)) == []


def test_an_update_for_an_incident_that_was_never_recorded_is_dropped():
    first, update, *_ = engine("auth.stuffing_then_success").detect({}, events(takeover()))
    uow = MemoryUnitOfWork()
    assert services.record_detection(uow, update, now=T0, correlation_window=timedelta(hours=1)) == []
    assert uow.incidents.items == {}


def export(n: int, minutes: float, *, user: str, records_: int | None, file: str, host: str = "crm-app-01") -> dict:
    doc = {"@timestamp": at(minutes), "event": {"id": f"ex-{n}", "kind": "event", "category": ["database"],
                                                "type": ["access"], "action": "record_export", "outcome": "success"},
           "user": {"name": user}, "host": {"name": host}, "file": {"name": file}}
    if records_ is not None:
        doc["datalek"] = {"records": records_}
    return doc


def test_an_export_after_hours_names_the_user_the_record_count_and_the_file():
    docs = [export(1, 100, user="medewerker3", records_=12000, file="klanten-2026.csv"),  # 23:40 in Amsterdam
            export(2, 110, user="medewerker3", records_=3000, file="offertes.xlsx"),
            export(3, 115, user="medewerker3", records_=12000, file="klanten-2026.csv")]
    found = engine("data.export_after_hours").detect({}, events(docs))
    assert [d.extends is None for d in found] == [True, False]  # the same file again adds nothing
    uow = MemoryUnitOfWork()
    record_all(uow, found)
    affected = only(uow).affected
    assert affected.users == {"medewerker3"} and affected.files == {"klanten-2026.csv", "offertes.xlsx"}
    assert affected.record_count == 15000
    assert affected.to_dict() == {"users": ["medewerker3"], "files": ["klanten-2026.csv", "offertes.xlsx"],
                                  "records": 15000, "records_by_event": {"ex-1": 12000, "ex-2": 3000}}


def test_an_export_without_a_record_count_gives_no_count():
    doc = export(1, 100, user="medewerker3", records_=None, file="bulk.zip")
    doc["event"]["action"] = "bulk_download"
    [d] = engine("data.export_after_hours").detect({}, events([doc]))
    assert d.affected.record_count is None and d.affected.files == {"bulk.zip"}


def test_a_rule_that_sums_records_reports_the_sum_it_fired_on():
    docs = [export(n, n * 60, user="medewerker7", records_=40, file=f"view-{n}") for n in range(3)]
    docs += [export(10 + n, 180 + n, user="medewerker7", records_=250, file="export.csv") for n in range(10)]
    [d] = [d for d in engine("data.mass_access").detect({}, events(docs)) if d.extends is None]
    assert d.affected.record_count == d.count >= 500


def test_two_rules_on_one_export_count_its_records_once():
    a = Affected.of([("records", 12000)], event_id="ex-1")
    b = Affected.of([("records", 12000), ("users", "u")], event_id="ex-1")
    assert a.merge(b).record_count == 12000 and a.merge(b).merge(b) == a.merge(b)


def test_detections_and_updates_keep_their_entities_on_the_wire():
    for d in engine("auth.stuffing_then_success").detect({}, events(takeover())):
        assert records.detection_from_wire(json.loads(json.dumps(records.detection_to_wire(d)))) == d


def ransomware(host: str) -> dict:
    """An EDR alert: kind alert, category malware, the host only (no inventory asset)."""
    return {"@timestamp": at(30), "event": {"id": f"edr-{host}", "kind": "alert", "category": ["malware"],
                                            "type": ["info"], "action": "ransomware-detected"},
            "host": {"name": host}, "threat": {"indicator": {"type": "file"}}, "rule": {"name": "Ransom.Lockbit"}}


def test_ransomware_on_a_host_the_inventory_lacks_opens_an_incident_marked_unknown():
    found = engine("malware.personal_data_host").detect({}, events([ransomware("fs-archief-02")]))
    assert [(d.asset, d.asset_known) for d in found] == [("fs-archief-02", False)]
    uow = MemoryUnitOfWork()
    record_all(uow, found)
    incident = only(uow)
    assert incident.asset_known is False
    assert incident.inventory is not None and not incident.inventory.data_categories  # nothing invented
    assert incident.inventory.facts(incident.breach_types) is None


def test_ransomware_on_a_known_host_is_marked_known_and_on_a_host_without_personal_data_stays_silent():
    found = engine("malware.personal_data_host").detect({}, events([ransomware("crm-db-01"),
                                                                    ransomware("build-runner-3")]))
    assert [(d.asset, d.asset_known) for d in found] == [("crm", True)]


def test_a_known_detection_joining_an_unknown_assets_incident_keeps_it_marked():
    found = engine("malware.personal_data_host").detect({}, events([ransomware("fs-archief-02")]))
    uow = MemoryUnitOfWork()
    record_all(uow, found)
    record_all(uow, [replace(found[0], key="other", asset_known=True)])
    assert only(uow).asset_known is False


def test_an_update_whose_event_is_already_evidence_still_adds_its_account():
    first, update, *_ = engine("auth.stuffing_then_success").detect({}, events(takeover()))
    uow = MemoryUnitOfWork()
    record_all(uow, [first, replace(first, key="travel", rule_id="auth.impossible_travel", event_ids=("ev-0102",))])
    record_all(uow, [update, update])
    assert only(uow).affected.accounts == {TAKEN[0], TAKEN[1]}
    assert [e["action"] for e in uow.audit_log].count("affected.added") == 1


@pytest.mark.parametrize(("doc", "field"), [
    ({"kind": "match", "match": {"event.outcome": "success"}, "affected": {"victims": "user.name"}},
     "affected.victims"),
    ({"kind": "match", "match": {"event.outcome": "success"}, "affected": {"accounts": ["user.name"]}}, "affected"),
    ({"kind": "sequence", "affected": {"accounts": "user.name"},
      "steps": [{"match": {"event.outcome": "failure"}}, {"match": {"event.outcome": "success"}}]}, "affected"),
    ({"kind": "sequence", "steps": [{"match": {"event.outcome": "failure"}},
                                    {"match": {"event.outcome": "success"}, "affected": {"files": 3}}]},
     "steps[1].affected"),
])
def test_an_invalid_affected_spec_names_the_field(doc, field):
    with pytest.raises(RuleError) as caught:
        rule_from_dict({"id": "t.x", "title": "T", "breach_type": "confidentiality", **doc}, source="t.yml")
    assert caught.value.field == field


def test_the_shipped_takeover_rule_collects_the_accounts_of_its_success_step_only():
    failures, success = RULES["auth.stuffing_then_success"].steps
    assert failures.affected == () and success.affected == (("accounts", "user.name"),)
