"""The EDPB draft-template JSON export: field names, options and provenance."""

import json
from dataclasses import replace

from datalek.cli_draft import draft_command
from incidents.model import Status
from notifications.organisation import Organisation
from tests.unit.notifications.conftest import (
    NOW,
    assessed_incident,
    complete_organisation,
    complete_supplement,
    scenario_incident,
)


def export(incident=None, organisation=None, supplement=None, **kw):
    text = draft_command(incident or assessed_incident(), kind="ap", fmt="json", now=NOW,
                         organisation=organisation or complete_organisation(),
                         supplement=supplement if supplement is not None else complete_supplement(), **kw)
    return json.loads(text)


def test_complete_new_notification_uses_template_field_names_and_options():
    data = export()
    f = data["fields"]
    assert data["missing_ap_answers"] == []
    assert (f["field_3"]["value"], f["field_4"]["value"], f["field_4"]["label"]) == ("a", "a", "Complete")
    assert f["field_7"]["value"] == assessed_incident().id
    assert f["field_11"]["value"] == "KvK 87951894" and f["field_12"]["value"] == "24 Online"
    assert f["field_48"] == {"title": "Date and time of awareness of the data controller of the personal data "
                                      "breach", "value": "2026-11-20T10:30:00+00:00", "provenance": "recorded"}
    assert f["field_55"]["value"] == ["a"] and f["field_60"]["label"] == "Hacking / malware activity detected"
    assert f["field_65"]["value"] == ["a"] and f["field_67"]["label"] == "Approximate number"
    assert f["field_68"]["value"] == 4 and f["field_73"]["value"] == 4
    assert "s" in f["field_70"]["value"]  # user credentials
    assert f["field_87"]["provenance"] == "derived" and f["field_90"]["value"].startswith("ENISA-methode (2013)")
    assert f["field_97"]["value"] in {"b", "d", "e"}
    assert all(set(v) >= {"title", "value", "provenance"} for v in f.values())
    assert [a["number"] for a in data["ap_form"]][:3] == ["1.1", "1.2", "1.3"]


def test_an_incomplete_notification_is_marked_incomplete_with_missing_fields():
    data = export(scenario_incident(), organisation=Organisation(name="24 Online"), supplement=None)
    f = data["fields"]
    assert f["field_4"]["label"] == "Incomplete" and data["missing_ap_answers"]
    assert f["field_48"]["provenance"] == "missing" and f["field_60"]["value"] == "x"


def test_a_follow_up_refers_to_the_meldnummer():
    reported = replace(assessed_incident(), status=Status.REPORTED, reported_at=NOW, meldnummer="M-2026-0042")
    f = export(reported)["fields"]
    assert (f["field_3"]["label"], f["field_6"]["value"]) == ("Follow-Up Notification", "M-2026-0042")


def test_withdrawal_needs_a_reason():
    reported = replace(assessed_incident(), meldnummer="M-2026-0042")
    f = export(reported, follow_up="withdraw")["fields"]
    assert f["field_4"]["label"] == "Withdraw" and f["field_5"]["provenance"] == "missing"
