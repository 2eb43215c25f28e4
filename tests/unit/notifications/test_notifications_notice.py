"""The notice to data subjects (Art. 34(2)): plain language, Dutch and English, no personal data."""

from dataclasses import replace

from datalek.cli_draft import draft_command
from notifications.notice import build_subject_notice
from notifications.organisation import Organisation
from notifications.report import draft_inputs
from tests.unit.notifications.conftest import NOW, assessed_incident, complete_organisation, scenario_incident


def notice(incident=None, lang="nl", organisation=None):
    inputs = draft_inputs(incident or assessed_incident(), organisation=organisation or complete_organisation(),
                          now=NOW)
    return build_subject_notice(inputs, lang=lang)


def test_notice_covers_the_art_34_2_content():
    n = notice()
    assert n.what_happened and n.data and n.consequences and n.measures and n.contact
    assert "uw inloggegevens (gebruikersnaam en wachtwoord)" in n.data
    assert any("nieuw wachtwoord" in a for a in n.advice) and any("phishing" in c for c in n.consequences)
    assert n.contact == ("Administratie 24 Online", "administratie@24-online.nl")
    assert n.missing == () and n.greeting == "Beste klant"


def test_english_notice_is_plain_english():
    n = notice(lang="en")
    assert n.discovered_on == "20 November 2026" and "your log-in details (user name and password)" in n.data


def test_notice_contains_no_internal_field_in_either_language():
    incident = replace(assessed_incident(), entity="user.name=jan.devries@example.nl", title="Jan de Vries")
    internal = "IP 198.51.100.23 geblokkeerd door Piet (SOC), ticket INC-4711"
    incident = replace(incident, facts=replace(incident.facts, measures_description=internal))
    for lang in ("nl", "en"):
        for fmt in ("md", "html"):
            text = draft_command(incident, kind="subjects", fmt=fmt, lang=lang, organisation=complete_organisation(),
                                 now=NOW)
            for value in ("devries", "Jan de Vries", "203.0.113.77", "198.51.100.23", "INC-4711", "Piet",
                          *incident.rule_ids, incident.entity, incident.id):
                assert value not in text, f"{value!r} in the {lang} {fmt} notice"


def test_without_facts_or_contact_the_notice_shows_what_to_fill_in():
    n = notice(scenario_incident(), organisation=Organisation(name="24 Online"))
    assert n.missing == ("facts", "contact")
    text = draft_command(scenario_incident(), kind="subjects", fmt="md", organisation=Organisation(name="X"),
                         now=NOW)
    assert "[In te vullen: welke gegevens]" in text and "[In te vullen: contactpersoon" in text
