"""The workspace's facts and audit trail for people: every audit action the code writes has a label in both
languages, system-written reasons read Dutch, and the facts rows follow the questionnaire."""

import re
from pathlib import Path

import pytest

from datalek.web import readable
from datalek.web.questionnaire import QUESTIONS
from incidents.assessment import BreachFacts
from incidents.workflow import FollowUpKind

ROOT = Path(__file__).resolve().parents[2]
WRITTEN = re.compile(r'f?"((?:web|api|draft|incident|detection|affected|status|awareness|facts|register'
                     r'|follow_up)\.[a-z_.{}]+)"')
EXPAND = {"{kind}": ("ap", "subjects", "register"), "{event.follow_up}": tuple(k.value for k in FollowUpKind)}


def written_actions():
    """The audit actions written anywhere in the code (f-strings expanded with the values they take)."""
    found = set()
    for path in [*ROOT.joinpath("datalek").rglob("*.py"), *ROOT.joinpath("incidents").rglob("*.py")]:
        if path.name == "readable.py":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if 'name="' in line or ".css" in line:  # route names and files, not audit actions
                continue
            for code in WRITTEN.findall(line):
                holes = [h for h in EXPAND if h in code]
                found |= {code.replace(holes[0], v) for v in EXPAND[holes[0]]} if holes else {code}
    return found


def test_the_scan_finds_the_actions_of_services_cli_console_and_api():
    assert {"status.changed", "incident.opened", "web.viewed", "api.register.exported", "draft.ap",
            "follow_up.withdraw", "web.draft.subjects"} <= written_actions()


@pytest.mark.parametrize("code", sorted(written_actions()))
def test_every_audit_action_has_a_label_in_both_languages(code):
    nl, en = readable.action(code, "nl"), readable.action(code, "en")
    assert code not in (nl, en) and nl != en


def test_the_reasons_the_system_writes_read_dutch_and_people_s_words_stay_as_written():
    rows = readable.trail([
        {"at": "2026-11-20T10:31:00.5+00:00", "actor": "system:detection", "action": "affected.added",
         "reason": "auth.takeover: 2 accounts, 3 users, 1 files"},
        {"at": "2026-11-20T11:00:00+01:00", "actor": "fien", "action": "awareness.changed",
         "reason": "2026-11-20 09:00:00+00:00 -> 2026-11-20T08:30:00+00:00: mail van de klant"},
        {"at": "2026-11-20T11:00:00+00:00", "actor": "fien", "action": "status.changed", "from_status": "assessing",
         "to_status": "decided", "reason": "proposal accepted"},
        {"at": "2026-11-20T11:00:00+00:00", "actor": "fien", "action": "status.changed", "from_status": "decided",
         "to_status": "reported", "reason": "te laat: forensisch onderzoek"}], "nl")
    assert [r["at"] for r in rows][:2] == ["2026-11-20 10:31:00", "2026-11-20 10:00:00"]  # UTC
    assert rows[0]["actor"] == "systeem (detectie)"
    assert rows[0]["reason"] == "auth.takeover: 2 accounts, 3 gebruikers, 1 bestanden"
    assert rows[1]["reason"] == "2026-11-20 09:00:00 UTC -> 2026-11-20 08:30:00 UTC: mail van de klant"
    assert (rows[2]["from_status"], rows[2]["to_status"], rows[2]["reason"]) == (
        "beoordeling", "besloten", "voorstel overgenomen")
    assert rows[3]["reason"] == "te laat: forensisch onderzoek"


def test_the_facts_rows_follow_the_questionnaire_with_an_answer_for_each():
    facts = BreachFacts.from_dict({
        "nature": ["integrity", "confidentiality"], "groups": [{"data_categories": ["email"]}],
        "dpc_adjustments": [{"factor": "public_availability", "steps": -1, "note": "al op de website"}],
        "restore_hours": 1.5}).to_dict()
    rows = readable.facts(facts, "nl")
    assert [r["key"] for r in rows] == [q.key for q in QUESTIONS] + ["dpc_adjustments"]
    shown = {r["key"]: r["values"] for r in rows}
    assert shown["nature"] == "vertrouwelijkheid (ingezien door onbevoegden), integriteit (gewijzigd)"
    assert shown["groups"] == ["groep 1: -; onbekend betrokkenen; gegevens: e-mailadres; "
                               "bijzondere persoonsgegevens: geen"]
    assert shown["identifiability"] == "niet beoordeeld: telt als maximaal"
    assert shown["restore_hours"] == "1,5 uur" and shown["records"] == "onbekend"
    assert shown["dpc_adjustments"] == ["al openbaar vóór de inbreuk -1 stap(pen): al op de website"]
    assert readable.facts(facts, "en")[0]["values"] == "confidentiality, integrity"
