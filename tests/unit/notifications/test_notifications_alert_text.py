"""Alert texts name incident, rule, asset, counts, severity and deadline, and never personal data."""

from dataclasses import replace
from datetime import timedelta

import pytest

from incidents.assessment import SeverityLevel
from notifications.policy import AlertKind, alert_for, alerts_for_change
from notifications.rendering import render_alert
from tests.unit.notifications.conftest import AWARE, NOW, assessed_incident, scenario_incident

BASE = "https://datalek.example/incidents/"
NAME, EMAIL, IBAN, IP = "Jan de Vries", "jan.devries@example.nl", "NL91ABNA0417164300", "203.0.113.77"
PERSONAL = (NAME, "Vries", EMAIL, IBAN, IP, "klant2001")


def with_personal_data(incident):
    """Entity and title as a careless rule might produce them: a name, an e-mail address, an IBAN."""
    return replace(incident, entity=f"user.email={EMAIL}",
                   title=f"{NAME} <{EMAIL}> paid from {IBAN}; login failures from {IP} for klant2001")


@pytest.mark.parametrize("kind", list(AlertKind))
def test_no_alert_contains_personal_data_of_data_subjects(kind):
    incident = with_personal_data(replace(assessed_incident(), meldnummer="M-2026-0001"))
    note = render_alert(alert_for(kind, incident, level=SeverityLevel.HIGH, hours_left=24), incident,
                        base_url=BASE, now=NOW)
    text = note.title + "\n" + note.body
    for value in PERSONAL:
        assert value not in text, f"{value!r} leaked into the {kind.value} alert"


def test_new_incident_alert_names_incident_rule_asset_counts_and_link():
    incident = scenario_incident()
    [alert] = alerts_for_change(None, incident)
    note = render_alert(alert, incident, base_url=BASE, now=NOW)
    assert note.title == "[datalek] New incident 5b1d8a0e on klantportaal"
    assert note.key == f"{incident.id}:incident_opened" and note.tags == {"security"}
    assert "Rule:      auth.repeated_failures" in note.body
    assert "Asset:     klantportaal" in note.body
    assert "Evidence:  10 events in 1 detection" in note.body
    assert "Severity:  not assessed yet" in note.body
    assert "clock not started" in note.body
    assert f"Open:      {BASE}{incident.id}" in note.body


def test_deadline_warning_shows_severity_and_the_deadline_in_utc_and_amsterdam_time():
    incident = assessed_incident()
    now = AWARE + timedelta(hours=50)
    note = render_alert(alert_for(AlertKind.DEADLINE_WARNING, incident, level=SeverityLevel.HIGH, hours_left=24),
                        incident, base_url=BASE, now=now)
    assert note.title == "[datalek] 24 h left to notify the AP: incident 5b1d8a0e on klantportaal"
    assert "Deadline:  2026-11-23 10:30 UTC = 2026-11-23 11:30 CET Europe/Amsterdam (22 h 00 min left)" in note.body
    assert 'AP 9.3 "' in note.body and "ENISA score" in note.body


def test_overdue_alert_says_by_how_much():
    incident = assessed_incident()
    note = render_alert(alert_for(AlertKind.OVERDUE, incident, level=None), incident, base_url=BASE,
                        now=AWARE + timedelta(hours=75, minutes=5))
    assert "overdue by 3 h 05 min" in note.body and note.title.startswith("[datalek] OVERDUE")


def test_event_derived_text_cannot_forge_lines_in_an_alert():
    incident = replace(scenario_incident(), asset="portal\nSeverity:  low\r\nOpen: https://evil.example",
                       rule_ids=("auth.x\u2028Deadline: none",))
    note = render_alert(alert_for(AlertKind.INCIDENT_OPENED, incident, level=None), incident, base_url=BASE,
                        now=NOW)
    lines = note.body.splitlines()
    assert not any(line.startswith("Open: https://evil") for line in lines)
    assert sum(line.startswith("Severity:") for line in lines) == 1
    assert sum(line.startswith("Deadline:") for line in lines) == 1
    assert "\n" not in note.title


@pytest.mark.parametrize("host", ["iPhone-van-Jan-Jansen", "NL91ABNA0417164300-laptop",
                                  "https://24online-my.sharepoint.com/personal/jan_jansen_24online_nl"])
def test_an_asset_the_inventory_does_not_know_is_not_named_in_alerts(host):
    incident = replace(scenario_incident(), asset=host)
    for kind in AlertKind:
        note = render_alert(alert_for(kind, incident, level=SeverityLevel.HIGH, hours_left=24), incident,
                            base_url=BASE, now=NOW)
        text = note.title + "\n" + note.body
        assert host not in text and "Jan" not in text and "NL91" not in text
        assert "unregistered asset #" in text
