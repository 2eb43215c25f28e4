"""The workflow table, walked pair by pair, with the role rules and the guards."""

import itertools
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from incidents import workflow as wf
from incidents.assessment import BreachFacts, DelayReasonRequired, assess, override
from incidents.assessment.decision import accept
from incidents.model import Incident, Status
from incidents.workflow import ALLOWED, ROLES, Actor, Role

T0 = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
CASES = Path(__file__).parent / "assessment" / "cases"
FACTS = BreachFacts.from_dict(json.loads((CASES / "edpb-01-2021-case-08.json").read_text())["facts"])
ANALYST = Actor("ann", Role.ANALYST)
FG = Actor("fien", Role.PRIVACY_OFFICER)
ADMIN = Actor("adam", Role.ADMIN)


def incident(status: Status = Status.DETECTED, **changes) -> Incident:
    base = Incident(id="i1", title="t", status=status, opened_at=T0, entity="source.ip=203.0.113.7",
                    asset="klantportaal", rule_ids=("r",), breach_types=frozenset({"confidentiality"}),
                    detection_keys=("d",), event_ids=("e",), last_activity_at=T0)
    return replace(base, **changes)


def complete(status: Status) -> Incident:
    """Every piece of data filled in, so that only the table and the roles decide."""
    proposal = assess(FACTS).proposal
    decision = override(proposal, notify_regulator=True, notify_subjects=True, reason="test", actor="fien")
    return incident(status, became_aware_at=T0, facts=FACTS, decision=decision, decided_at=T0,
                    meldnummer="M-1", reported_at=T0 + timedelta(hours=1),
                    subjects_informed_at=T0 + timedelta(hours=2))


def allowed_actor(target: Status) -> Actor:
    return FG if Role.PRIVACY_OFFICER in ROLES.get(target, frozenset()) else ANALYST


@pytest.mark.parametrize("source, target", list(itertools.product(Status, Status)))
def test_every_pair_of_states_follows_the_table(source, target):
    current = complete(source)
    if target in ALLOWED[source]:
        moved, event = wf.transition(current, target, at=T0, actor=allowed_actor(target), reason="why")
        assert moved.status is target
        assert (event.from_status, event.to_status, event.reason) == (source.value, target.value, "why")
    else:
        with pytest.raises(wf.IllegalTransition, match=f"{source.value} -> {target.value}"):
            wf.transition(current, target, at=T0, actor=allowed_actor(target), reason="why")


@pytest.mark.parametrize("source, target", [(s, t) for s in Status for t in sorted(ALLOWED[s], key=str)])
@pytest.mark.parametrize("actor", [ANALYST, FG, ADMIN])
def test_only_the_allowed_roles_take_each_step(source, target, actor):
    if actor.role in ROLES[target]:
        assert wf.transition(complete(source), target, at=T0, actor=actor, reason="why")[0].status is target
    else:
        with pytest.raises(wf.NotPermitted):
            wf.transition(complete(source), target, at=T0, actor=actor, reason="why")


def test_analyst_cannot_make_the_decision_or_the_report():
    with pytest.raises(wf.NotPermitted):
        wf.decide(complete(Status.ASSESSING), complete(Status.ASSESSING).decision, at=T0, actor=ANALYST)
    with pytest.raises(wf.NotPermitted):
        wf.report(complete(Status.DECIDED), meldnummer="M-2", reported_at=T0, at=T0, actor=ANALYST)


def test_dismissal_needs_a_written_reason():
    with pytest.raises(wf.MissingInformation, match="reason"):
        wf.transition(incident(Status.TRIAGE), Status.DISMISSED, at=T0, actor=ANALYST, reason=" ")


def test_confirmation_sets_awareness_which_starts_the_72_hour_clock():
    confirmed, event = wf.confirm(incident(Status.TRIAGE), at=T0, actor=ANALYST, reason="customer data seen")
    assert confirmed.became_aware_at == T0 and event.to_status == "confirmed"
    later = T0 + timedelta(hours=2)
    confirmed, _ = wf.confirm(incident(Status.TRIAGE), at=T0 + timedelta(hours=5), actor=ANALYST, reason="r",
                              became_aware_at=later)
    assert confirmed.became_aware_at == later


def test_awareness_in_the_future_is_refused_beyond_a_small_clock_skew():
    with pytest.raises(wf.MissingInformation, match="future"):
        wf.confirm(incident(Status.TRIAGE), at=T0, actor=ANALYST, reason="r", became_aware_at=T0 + timedelta(days=30))
    confirmed, _ = wf.confirm(incident(Status.TRIAGE), at=T0, actor=ANALYST, reason="r",
                              became_aware_at=T0 + timedelta(minutes=3))
    assert confirmed.became_aware_at == T0 + timedelta(minutes=3)


def test_awareness_before_the_first_detection_needs_an_explicit_confirmation():
    earlier = T0 - timedelta(hours=5)
    with pytest.raises(wf.MissingInformation, match="before the first detection"):
        wf.confirm(incident(Status.TRIAGE), at=T0, actor=ANALYST, reason="r", became_aware_at=earlier)
    confirmed, _ = wf.confirm(incident(Status.TRIAGE), at=T0, actor=ANALYST, reason="r", became_aware_at=earlier,
                              before_detection=True)
    assert confirmed.became_aware_at == earlier


def test_awareness_can_be_corrected_only_with_a_reason():
    confirmed, _ = wf.confirm(incident(Status.TRIAGE), at=T0, actor=ANALYST, reason="r")
    with pytest.raises(wf.MissingInformation):
        wf.change_awareness(confirmed, became_aware_at=T0 - timedelta(hours=1), at=T0, actor=ANALYST, reason="")
    changed, event = wf.change_awareness(confirmed, became_aware_at=T0 - timedelta(hours=1), at=T0,
                                         actor=ANALYST, reason="log shows earlier alert", before_detection=True)
    assert changed.became_aware_at == T0 - timedelta(hours=1) and event.reason == "log shows earlier alert"


def test_new_facts_after_a_decision_void_it():
    decided = complete(Status.DECIDED)
    moved, event = wf.record_facts(decided, FACTS, at=T0, actor=ANALYST)
    assert moved.status is Status.ASSESSING and moved.decision is None and event is not None


def test_deciding_needs_facts_and_a_decision():
    with pytest.raises(wf.MissingInformation, match="facts"):
        wf.decide(incident(Status.ASSESSING), complete(Status.ASSESSING).decision, at=T0, actor=FG)


def test_report_within_72_hours_needs_no_delay_reason():
    decided = complete(Status.DECIDED)
    on_time = T0 + timedelta(hours=72)
    reported, _ = wf.report(decided, meldnummer="M-9", reported_at=on_time, at=on_time, actor=FG)
    assert reported.status is Status.REPORTED and reported.meldnummer == "M-9"


def test_report_after_72_hours_requires_the_reason_for_the_delay():
    decided = complete(Status.DECIDED)
    late = T0 + timedelta(hours=72, minutes=1)
    with pytest.raises(DelayReasonRequired):
        wf.report(decided, meldnummer="M-9", reported_at=late, at=late, actor=FG)
    reported, _ = wf.report(decided, meldnummer="M-9", reported_at=late, at=late, actor=FG,
                            delay_reason="forensic investigation needed to establish scope")
    assert reported.delay_reason.startswith("forensic")


def test_report_needs_a_decision_to_notify_the_ap():
    proposal = assess(FACTS).proposal
    no = override(proposal, notify_regulator=False, notify_subjects=False, reason="no risk", actor="fien")
    decided = replace(complete(Status.DECIDED), decision=no)
    with pytest.raises(wf.MissingInformation, match="does not notify the AP"):
        wf.report(decided, meldnummer="M-1", reported_at=T0, at=T0, actor=FG)


def test_incident_cannot_close_while_the_ap_is_still_to_be_notified():
    decided = replace(complete(Status.DECIDED), reported_at=None, meldnummer=None)
    with pytest.raises(wf.MissingInformation, match="AP has not been notified"):
        wf.transition(decided, Status.CLOSED, at=T0, actor=FG, reason="done")


def test_not_notified_breach_closes_after_the_decision():
    proposal = assess(FACTS).proposal
    decision = accept(replace(proposal, notify_regulator=False, notify_subjects=False), actor="fien")
    decided = replace(incident(Status.DECIDED), facts=FACTS, decision=decision, decided_at=T0)
    closed, _ = wf.transition(decided, Status.CLOSED, at=T0, actor=FG, reason="documented only")
    assert closed.status is Status.CLOSED and closed.closed_at == T0


def test_follow_up_needs_a_reported_notification_and_the_fg():
    with pytest.raises(wf.MissingInformation):
        wf.follow_up(incident(Status.DECIDED), kind=wf.FollowUpKind.SUPPLEMENT, text="x", at=T0, actor=FG)
    with pytest.raises(wf.NotPermitted):
        wf.follow_up(complete(Status.REPORTED), kind=wf.FollowUpKind.AMEND, text="x", at=T0, actor=ANALYST)
    event = wf.follow_up(complete(Status.REPORTED), kind=wf.FollowUpKind.WITHDRAW, text="no breach", at=T0,
                         actor=FG)
    assert (event.follow_up, event.meldnummer) == ("withdraw", "M-1")
