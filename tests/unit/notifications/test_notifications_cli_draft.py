from dataclasses import replace

import pytest

from datalek.cli_draft import draft_command
from notifications.errors import DraftError
from tests.unit.notifications.conftest import NOW, assessed_incident, complete_organisation


def run(incident=None, **kw):
    args = {"kind": "ap", "fmt": "md", "organisation": complete_organisation(), "now": NOW, **kw}
    return draft_command(incident or assessed_incident(), **args)


@pytest.mark.parametrize(("kw", "message"), [
    ({"kind": "pdf"}, "unknown kind 'pdf': use ap|subjects|register"),
    ({"fmt": "docx"}, "unknown format 'docx': use md|html|json"),
    ({"kind": "subjects", "lang": "de"}, "unknown language 'de'"),
    ({"follow_up": "later"}, "unknown follow-up 'later'"),
    ({"kind": "register"}, "datalek register export"),
])
def test_bad_choices_are_draft_errors(kw, message):
    with pytest.raises(DraftError, match=message):
        run(**kw)


def test_a_reported_incident_gets_a_follow_up_by_default():
    text = run(replace(assessed_incident(), meldnummer="M-1"))
    assert "Vervolgmelding (aanvullen) bij meldnummer M-1" in text


def test_html_is_a_complete_printable_document():
    html = run(fmt="html")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nl">' in html and "@page { size: A4" in html
    assert "<h2>5. Gegevens over de inbreuk</h2>" in html and "<h3>5.1 Aard van de inbreuk</h3>" in html
