"""The AP draft: every question answered with provenance, and the completeness check."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from incidents.assessment import accept, assess, override
from incidents.detection import Affected
from incidents.model import Status
from notifications.answers import DraftSupplement, FollowUp, Provenance
from notifications.organisation import Organisation
from notifications.report import build_ap_draft, completeness, draft_inputs, missing_answers
from tests.unit.notifications.conftest import (
    AWARE,
    NOW,
    assessed_incident,
    complete_organisation,
    complete_supplement,
    scenario_incident,
)

AP_NUMBERS = ["1.1", "1.2", "1.3", "2.1.1", "2.2.1", "3.1.1a", "3.1.1b", "3.1.1c", "3.1.1d", "3.1.1e", "3.1.2",
              "3.2.1", "3.2.2", "3.3", "4.1.1", "4.1.2", "4.2", "4.3", "4.5", "5.1", "5.2", "5.3", "5.4", "6.1",
              "6.2", "6.3.1", "7.1", "7.2", "7.3", "8.1", "9.1", "9.2", "9.3", "10.1.1", "10.1.3", "10.1.7", "10.2"]


def draft(incident=None, *, organisation=None, supplement=None, follow_up=None, now=NOW):
    inputs = draft_inputs(incident or assessed_incident(), organisation=organisation or complete_organisation(),
                          now=now, supplement=supplement or complete_supplement(), follow_up=follow_up)
    return build_ap_draft(inputs)


def answer(d, number):
    return next(a for a in d.answers if a.number == number)


def test_the_draft_follows_the_ap_form_chapters_and_question_numbers():
    d = draft()
    assert [c.number for c in d.chapters] == list(range(1, 11))
    assert [a.number for a in d.answers] == AP_NUMBERS


def test_the_scenario_incident_with_facts_and_organisation_details_is_complete():
    d = draft()
    assert d.complete and missing_answers(d) == []
    assert answer(d, "3.1.1e").lines == ("87951894",)
    assert answer(d, "4.2").provenance is Provenance.RECORDED
    assert answer(d, "9.3").provenance is Provenance.DERIVED
    assert answer(d, "9.3").lines == (assess(d_facts()).ap_answer.text_nl,)


def d_facts():
    return assessed_incident().facts


def test_a_sparse_incident_names_each_missing_answer_by_question_number():
    d = draft(scenario_incident(), organisation=Organisation(name="24 Online"), supplement=DraftSupplement())
    assert [a.number for a in d.missing] == [
        "1.3", "2.1.1", "2.2.1", "3.1.1c", "3.1.1d", "3.1.1e", "3.1.2", "3.2.1", "3.3", "4.1.2", "4.2", "4.5",
        "5.2", "6.1", "6.2", "6.3.1", "7.1", "7.2", "7.3", "8.1", "9.1", "9.2", "9.3", "10.1.1", "10.2"]
    lines = missing_answers(d)
    assert lines[0].startswith("1.3 Heeft u de inbreuk gemeld bij toezichthouders op andere meldplichten?")
    assert any(line.startswith("4.2 Wanneer is het incident ontdekt?") for line in lines)
    # what can be derived without facts still is: the nature from the detection, how it was found
    assert answer(d, "5.1").provenance is Provenance.DERIVED and answer(d, "4.3").provenance is Provenance.DERIVED


def test_the_shipped_organisation_file_leaves_the_controller_details_it_lacks_missing():
    from notifications.config import load_organisation
    d = draft(organisation=load_organisation())
    assert [a.number for a in d.missing] == ["3.1.1c", "3.1.1d", "3.1.2", "3.2.1", "3.2.2"]


def test_a_late_report_needs_the_reason_for_the_delay():
    late = replace(assessed_incident(), reported_at=AWARE + timedelta(hours=80), status=Status.REPORTED)
    assert answer(draft(late), "4.5").provenance is Provenance.MISSING
    explained = replace(late, delay_reason="Forensisch onderzoek door een externe partij")
    a = answer(draft(explained), "4.5")
    assert (a.provenance, a.lines) == (Provenance.RECORDED, ("Forensisch onderzoek door een externe partij",))


def test_a_draft_made_after_the_deadline_asks_for_the_reason_before_filing():
    a = answer(draft(now=AWARE + timedelta(hours=73)), "4.5")
    assert a.provenance is Provenance.MISSING and "2026-11-23 10:30 UTC" in a.note


def test_on_time_the_late_reason_does_not_apply():
    a = answer(draft(), "4.5")
    assert a.provenance is Provenance.DERIVED and a.lines[0].startswith("Niet van toepassing")


def test_a_follow_up_names_the_meldnummer_and_needs_it():
    numbered = replace(assessed_incident(), meldnummer="M-2026-0042", status=Status.REPORTED)
    a = answer(draft(numbered, follow_up=FollowUp.SUPPLEMENT), "1.1")
    assert (a.provenance, a.lines) == (Provenance.RECORDED, ("Vervolgmelding: melding M-2026-0042 aanvullen",))
    assert answer(draft(follow_up=FollowUp.AMEND), "1.1").provenance is Provenance.MISSING
    withdraw = answer(draft(numbered, follow_up=FollowUp.WITHDRAW), "1.1")
    assert withdraw.provenance is Provenance.MISSING and "reden" in withdraw.note


def test_the_fgs_decision_is_recorded_and_an_override_carries_its_reason():
    incident = assessed_incident()
    proposal = assess(incident.facts).proposal
    decided = replace(incident, decision=accept(proposal, actor="fg"), decided_at=AWARE + timedelta(hours=3))
    assert answer(draft(decided), "10.1.1").provenance is Provenance.RECORDED
    no = override(proposal, notify_regulator=True, notify_subjects=False, reason="Accounts direct geblokkeerd",
                  actor="fg")
    a = answer(draft(replace(incident, decision=no)), "10.1.1")
    assert a.lines[0] == "Nee, en de betrokkenen worden niet geïnformeerd"
    assert "Toelichting FG: Accounts direct geblokkeerd" in a.lines


def test_informed_subjects_need_count_and_means():
    informed = replace(assessed_incident(), subjects_informed_at=AWARE + timedelta(hours=30))
    d = draft(informed)
    assert answer(d, "10.1.1").lines[0].startswith("Ja, geïnformeerd op 2026-11-21 16:30 UTC")
    assert [a.number for a in d.missing] == ["10.1.3", "10.1.7"]  # the count is a range, so not derived
    given = replace(complete_supplement(), subjects_informed_count=4, subjects_informed_means=("Per e-mail",))
    assert draft(informed, supplement=given).complete


def test_derived_answers_count_only_once_the_fg_confirmed_them():
    unconfirmed = replace(complete_supplement(), confirmed=frozenset())
    d = draft(supplement=unconfirmed)
    assert d.missing == () and not d.complete
    assert [a.number for a in d.open] == [a.number for a in d.derived] and len(d.open) == 16
    assert answer(d, "5.3").provenance_nl == "afgeleid: controleren"
    partly = draft(supplement=replace(unconfirmed, confirmed=frozenset({"5.3", "4.1.1", "9.9"})))
    assert len(partly.open) == 14 and answer(partly, "5.3").provenance_nl == "afgeleid, bevestigd door de FG"
    assert "te bevestigen: 5.3 Beschrijving van het incident (samenvatting)" not in completeness(partly)
    assert "te bevestigen: 4.3 Geef (kort) aan hoe u de inbreuk heeft ontdekt" in completeness(partly)
    # a confirmation never turns a missing answer into a done one
    sparse = draft(scenario_incident(), supplement=DraftSupplement(confirmed=frozenset({"4.2", "1.3"})))
    assert {"4.2", "1.3"} <= {a.number for a in sparse.missing}


def test_what_happened_is_dutch_prose_from_the_detections_with_counts_only():
    taken = Affected(accounts=frozenset({"klant1@example.nl", "klant2@example.nl"}), records=(("e1", 1200),))
    incident = replace(assessed_incident(), affected=taken)
    a = answer(draft(incident, supplement=replace(complete_supplement(), confirmed=frozenset())), "5.3")
    text = a.lines[0]
    assert a.provenance is Provenance.DERIVED and a.provenance_nl == "afgeleid: controleren"
    assert text.startswith("De automatische detectie van datalek heeft op systeem klantportaal het volgende "
                           "waargenomen: herhaalde mislukte inlogpogingen vanaf één netwerkadres")
    assert "De eerste detectie was op 2026-11-20 09:12 UTC" in text and "in totaal 10 gebeurtenissen" in text
    assert "gaat het om 2 gebruikersaccounts en 1200 gegevensrecords." in text
    assert "klant1@" not in text and "auth.repeated_failures" not in text and "203.0.113.77" not in text
    own = answer(draft(incident, supplement=replace(complete_supplement(), summary="Eigen tekst")), "5.3")
    assert (own.provenance, own.lines) == (Provenance.RECORDED, ("Eigen tekst",))


def test_awareness_before_the_first_detection_is_a_warning_in_the_completeness_check():
    early = replace(assessed_incident(), became_aware_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    d = draft(early)
    assert d.open == () and not d.complete
    assert len(d.warnings) == 1 and "vóór de eerste waargenomen gebeurtenis" in d.warnings[0]
    assert completeness(d)[0].startswith("tijdlijn: De kennisname (2026-11-20 10:00 CET)")
    started = replace(complete_supplement(), started_at=datetime(2026, 11, 20, 8, 30, tzinfo=UTC))
    assert draft(early, supplement=started).warnings == ()


def test_a_start_after_the_end_and_awareness_in_the_future_are_warnings():
    s = replace(complete_supplement(), started_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
                ended_at=datetime(2026, 11, 20, 9, 20, tzinfo=UTC))
    future = replace(assessed_incident(), became_aware_at=NOW + timedelta(hours=1))
    warnings = draft(future, supplement=s).warnings
    assert [("na het einde" in w, "in de toekomst" in w) for w in warnings] == [(True, False), (False, True)]
