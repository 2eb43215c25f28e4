"""Golden files pin the drafts for the 24 Online scenario incident. UPDATE_GOLDEN=1 rewrites them (review the diff)."""

from dataclasses import replace

import pytest

from datalek.cli_draft import draft_command
from incidents.model import Status
from notifications.policy import AlertKind, alert_for, severity_level
from notifications.rendering import render_alert
from tests.unit.notifications.conftest import (
    NOW,
    assert_golden,
    assessed_incident,
    complete_organisation,
    complete_supplement,
)


def draft(kind, fmt, incident=None, **kw):
    return draft_command(incident or assessed_incident(), kind=kind, fmt=fmt, organisation=complete_organisation(),
                         now=NOW, supplement=complete_supplement(), **kw)


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_complete_ap_draft_for_the_scenario_incident(fmt):
    text = draft("ap", fmt)
    assert_golden(f"ap-24online.{fmt}", text)
    if fmt == "md":
        assert "Alle vragen zijn beantwoord." in text


def test_follow_up_draft_with_the_meldnummer():
    reported = replace(assessed_incident(), status=Status.REPORTED, reported_at=NOW, meldnummer="M-2026-0042")
    assert_golden("ap-24online-vervolgmelding.md", draft("ap", "md", reported))


@pytest.mark.parametrize(("lang", "fmt"), [("nl", "md"), ("en", "md"), ("nl", "html")])
def test_notice_to_data_subjects(lang, fmt):
    assert_golden(f"subjects-24online.{lang}.{fmt}", draft("subjects", fmt, lang=lang))


def test_deadline_warning_alert():
    incident = assessed_incident()
    note = render_alert(alert_for(AlertKind.DEADLINE_WARNING, incident, level=severity_level(incident),
                                  hours_left=48), incident, base_url="http://127.0.0.1:8080/incidents/", now=NOW)
    assert_golden("alert-deadline-warning.txt", f"Subject: {note.title}\nTags: {','.join(sorted(note.tags))}\n\n"
                                                f"{note.body}")
