"""Shared builders for the notification tests: an incident from the shipped 24 Online scenario."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from incidents.assessment import BreachFacts
from incidents.inventory import Inventory
from incidents.model import Incident, Status
from notifications.answers import DraftSupplement
from notifications.config import load_organisation
from notifications.organisation import Organisation, Person

ROOT = Path(__file__).resolve().parents[3]
SCENARIO = ROOT / "datalek" / "scenarios" / "24online-password-guessing.jsonl"
INVENTORY = ROOT / "datalek" / "config" / "inventory-24online.yml"
GOLDEN = Path(__file__).with_name("golden")
NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
AWARE = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
INCIDENT_ID = "5b1d8a0e-7c1f-5d2e-9a47-24a0c2e1b9f3"


def burst_events() -> list[dict]:
    """The failed logins of the password-guessing source in the shipped scenario."""
    events = [json.loads(line) for line in SCENARIO.read_text().splitlines() if line.strip()]
    return [e for e in events if e["event"]["outcome"] == "failure" and e["source"]["ip"] == "203.0.113.77"]


def portal_categories() -> list[str]:
    """24 Online's inventory: the data categories of the customer portal (klantportaal)."""
    assets = yaml.safe_load(INVENTORY.read_text())["assets"]
    return next(a for a in assets if a["id"] == "klantportaal")["data_categories"]


def scenario_incident() -> Incident:
    """The incident the scenario's brute-force rule opens (10 failures from one source), before assessment."""
    burst = burst_events()[:10]
    at = datetime.fromisoformat(burst[-1]["@timestamp"].replace("Z", "+00:00"))
    window = int(at.timestamp()) - int(at.timestamp()) % 300
    return Incident(
        id=INCIDENT_ID, title="Brute force - repeated failed logins from one source on klantportaal",
        status=Status.DETECTED, opened_at=at, entity="source.ip=203.0.113.77", asset="klantportaal",
        rule_ids=("auth.repeated_failures",), breach_types=frozenset({"confidentiality"}),
        detection_keys=(f"auth.repeated_failures|klantportaal|source.ip=203.0.113.77|{window}",),
        event_ids=tuple(e["event"]["id"] for e in burst), last_activity_at=at,
        inventory=Inventory.from_dict(yaml.safe_load(INVENTORY.read_text())).prefill(["klantportaal"]),
    )


def portal_facts() -> BreachFacts:
    """Facts as the FG records them: the portal's inventory categories, four accounts guessed at."""
    return BreachFacts.from_dict({
        "nature": ["confidentiality"],
        "incident_type": "hacking_malware_phishing",
        "data_categories": portal_categories(),
        "credentials_access": ["name", "email", "address", "phone", "customer_reference"],
        "subject_groups": ["customers"],
        "data_subjects": {"min": 1, "max": 4},
        "records": 4,
        "identifiability": "maximum",
        "malicious": True,
        "recipients": "unknown",
        "measures": ["contained", "credentials_reset", "monitoring"],
        "measures_description": "Bron-IP geblokkeerd op het klantportaal; de vier accounts zijn geblokkeerd "
                                "en de wachtwoorden opnieuw ingesteld.",
    })


def assessed_incident() -> Incident:
    last = datetime.fromisoformat(burst_events()[-1]["@timestamp"].replace("Z", "+00:00"))
    return replace(scenario_incident(), status=Status.ASSESSING, became_aware_at=AWARE, facts=portal_facts(),
                   last_activity_at=last)


def complete_organisation() -> Organisation:
    """The shipped 24 Online details plus what a real controller adds (example values for the tests)."""
    return replace(
        load_organisation(), address="Voorbeeldstraat 1, 1234 AB Voorbeeldstad", sector="Zakelijke dienstverlening",
        size="sme", dpo_designated=False,
        reporter=Person("A. de Vries", "Privacy officer", "privacy@24-online.nl", "+31 20 000 0000"),
        contact=Person("A. de Vries", "Privacy officer", "privacy@24-online.nl", "+31 20 000 0000"),
    )


# the answers datalek derives for the scenario incident, all read and confirmed by the FG
CONFIRMED = frozenset({"1.1", "2.2.1", "3.1.1b", "4.1.1", "4.1.2", "4.3", "4.5", "5.3", "5.4", "7.2", "9.1", "9.2",
                       "9.3", "10.1.1", "10.1.3", "10.1.7"})


def complete_supplement() -> DraftSupplement:
    return DraftSupplement(other_supervisors=(), other_organisations="Nee", confirmed=CONFIRMED)


def assert_golden(name: str, text: str) -> None:
    """Compare with tests/unit/notifications/golden/NAME; UPDATE_GOLDEN=1 rewrites the file."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"golden file {name} missing: run with UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


@pytest.fixture
def incident() -> Incident:
    return assessed_incident()


@pytest.fixture
def organisation() -> Organisation:
    return complete_organisation()
