"""The proposed decision: Art. 33 unless unlikely to result in a risk, Art. 34 on high risk unless 34(3)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from incidents.assessment import (
    ApSeverity,
    BreachFacts,
    DecisionIncomplete,
    FactorCode,
    InvalidSetting,
    Proposal,
    RiskLevel,
    SeverityLevel,
    Threshold,
    accept,
    assess,
    override,
)

Make = Callable[..., BreachFacts]
SAFE_KEY = {"method": "encrypted", "state_of_the_art": True, "key_safe": True, "effective": True}
HIGH_RISK: dict[str, Any] = {"special_categories": ["health"], "recipients": "unknown", "malicious": True}


def codes(proposal: Proposal) -> set[FactorCode]:
    return {f.code for f in proposal.rationale}


def test_high_risk_breach_requires_subject_notification(make_facts: Make) -> None:
    proposal = assess(make_facts(**HIGH_RISK)).proposal
    assert proposal.risk is RiskLevel.HIGH
    assert proposal.notify_regulator and proposal.notify_subjects and not proposal.public_communication
    assert FactorCode.HIGH_RISK_TO_SUBJECTS in codes(proposal)


def test_breach_unlikely_to_result_in_a_risk_is_documented_not_notified(make_facts: Make) -> None:
    proposal = assess(make_facts(recipients="known", data_subjects=2)).proposal
    assert proposal.risk is RiskLevel.UNLIKELY
    assert not proposal.notify_regulator and not proposal.notify_subjects
    assert proposal.to_dict()["document"] is True
    assert codes(proposal) == {FactorCode.SEVERITY_BELOW_THRESHOLD}


def test_medium_severity_requires_regulator_but_not_subject_notification(make_facts: Make) -> None:
    proposal = assess(make_facts(data_categories=["purchase_history"], recipients="known")).proposal
    assert proposal.notify_regulator and not proposal.notify_subjects
    assert FactorCode.SEVERITY_REACHES_REGULATOR_THRESHOLD in codes(proposal)


def test_strong_encryption_with_safe_key_and_intact_data_needs_no_notification(make_facts: Make) -> None:
    proposal = assess(make_facts(protection=SAFE_KEY, **HIGH_RISK)).proposal
    assert not proposal.notify_regulator and not proposal.notify_subjects
    assert codes(proposal) == {FactorCode.DATA_UNINTELLIGIBLE}


def test_encryption_with_compromised_key_does_not_help(make_facts: Make) -> None:
    leaked = {**SAFE_KEY, "key_safe": False}
    assert assess(make_facts(protection=leaked, **HIGH_RISK)).proposal.notify_subjects


def test_encryption_does_not_cover_data_that_are_lost(make_facts: Make) -> None:
    facts = make_facts(nature=["availability_permanent"], protection=SAFE_KEY)
    proposal = assess(facts).proposal
    assert proposal.notify_regulator and FactorCode.PROLONGED_UNAVAILABILITY in codes(proposal)


def test_measures_removing_the_high_risk_replace_subject_notification(make_facts: Make) -> None:
    proposal = assess(make_facts(high_risk_mitigated=True, **HIGH_RISK)).proposal
    assert proposal.notify_regulator and not proposal.notify_subjects
    assert FactorCode.ART34_3B_MEASURES in codes(proposal)


def test_disproportionate_effort_means_public_communication_instead(make_facts: Make) -> None:
    proposal = assess(make_facts(disproportionate_effort=True, **HIGH_RISK)).proposal
    assert not proposal.notify_subjects and proposal.public_communication
    assert FactorCode.ART34_3C_DISPROPORTIONATE_EFFORT in codes(proposal)


def test_art_34_grounds_only_matter_when_the_risk_is_high(make_facts: Make) -> None:
    proposal = assess(make_facts(disproportionate_effort=True, recipients="known")).proposal
    assert not proposal.public_communication and FactorCode.ART34_3C_DISPROPORTIONATE_EFFORT not in codes(
        proposal
    )


def test_outage_restored_promptly_from_backup_is_unlikely_to_result_in_a_risk(make_facts: Make) -> None:
    facts = make_facts(
        nature=["availability_temporary"],
        data_categories=["bank_account"],
        malicious=True,
        backup_available=True,
        restore_hours=3,
    )
    proposal = assess(facts).proposal
    assert not proposal.notify_regulator and FactorCode.PROMPTLY_RESTORED in codes(proposal)


def test_temporary_outage_of_financial_data_does_not_require_subject_notification(make_facts: Make) -> None:
    facts = make_facts(
        nature=["availability_temporary"],
        data_categories=["bank_account"],
        malicious=True,
        backup_available=False,
    )
    assessment = assess(facts)
    assert assessment.severity.level is SeverityLevel.HIGH
    assert assessment.proposal.notify_regulator and not assessment.proposal.notify_subjects
    assert FactorCode.TEMPORARY_UNAVAILABILITY_ONLY in codes(assessment.proposal)


def test_prolonged_outage_of_health_data_keeps_its_high_risk(make_facts: Make) -> None:
    facts = make_facts(
        nature=["availability_temporary"], special_categories=["health"], backup_available=False
    )
    assert assess(facts).proposal.notify_subjects


def test_promptly_restored_health_data_are_still_reported_to_the_regulator(make_facts: Make) -> None:
    facts = make_facts(
        nature=["availability_temporary"],
        special_categories=["health"],
        backup_available=True,
        restore_hours=2,
    )
    proposal = assess(facts).proposal
    assert proposal.notify_regulator and not proposal.notify_subjects
    assert FactorCode.SPECIAL_DATA_AFFECTED in codes(proposal)


def test_trusted_recipient_who_deleted_the_data_lowers_the_risk_a_step(make_facts: Make) -> None:
    salary_to_colleague = {"data_categories": ["name", "financial_other"], "recipients": "trusted"}
    deleted = assess(make_facts(measures=["data_retrieved_or_deleted"], **salary_to_colleague)).proposal
    kept = assess(make_facts(**salary_to_colleague)).proposal
    assert kept.risk is RiskLevel.HIGH
    assert deleted.risk is RiskLevel.RISK and FactorCode.TRUSTED_RECIPIENT in codes(deleted)


def test_malicious_access_to_identifiable_data_is_a_risk_even_at_low_severity(make_facts: Make) -> None:
    proposal = assess(make_facts(recipients="known", malicious=True)).proposal
    assert proposal.notify_regulator and FactorCode.MALICIOUS_EXPOSURE in codes(proposal)


def test_malicious_access_to_unidentifiable_data_is_not_escalated(make_facts: Make) -> None:
    proposal = assess(make_facts(recipients="known", malicious=True, identifiability="negligible")).proposal
    assert not proposal.notify_regulator


def test_large_scale_exposure_requires_regulator_notification(make_facts: Make) -> None:
    proposal = assess(make_facts(recipients="known", data_subjects=5000)).proposal
    assert proposal.notify_regulator and not proposal.notify_subjects
    assert FactorCode.LARGE_SCALE_EXPOSURE in codes(proposal)


def test_exposed_bsn_at_large_scale_is_a_high_risk(make_facts: Make) -> None:
    proposal = assess(
        make_facts(data_categories=["name", "bsn"], recipients="known", data_subjects=500)
    ).proposal
    assert proposal.notify_subjects and FactorCode.IDENTITY_FRAUD_EXPOSURE in codes(proposal)


def test_minors_among_exposed_subjects_require_regulator_notification(make_facts: Make) -> None:
    proposal = assess(make_facts(subject_groups=["minors"], recipients="none", data_subjects=3)).proposal
    assert proposal.notify_regulator and FactorCode.VULNERABLE_SUBJECTS_AFFECTED in codes(proposal)


def test_misused_altered_data_require_regulator_notification(make_facts: Make) -> None:
    facts = make_facts(nature=["integrity"], altered_data_misused=True, backup_available=True)
    assert FactorCode.ALTERED_DATA_MISUSED in codes(assess(facts).proposal)


def test_threshold_is_configurable(make_facts: Make) -> None:
    facts = make_facts(recipients="known")  # SE 1.25, low
    strict = Threshold(notify_regulator_from=SeverityLevel.LOW, notify_subjects_from=SeverityLevel.HIGH)
    assert not assess(facts).proposal.notify_regulator
    assert assess(facts, threshold=strict).proposal.notify_regulator


def test_subject_threshold_can_be_raised_to_very_high(make_facts: Make) -> None:
    facts = make_facts(data_categories=["bank_account"], recipients="known")  # SE 3.25, high
    lenient = Threshold(notify_subjects_from=SeverityLevel.VERY_HIGH)
    assert assess(facts).proposal.notify_subjects
    assert not assess(facts, threshold=lenient).proposal.notify_subjects


def test_threshold_must_be_consistent() -> None:
    with pytest.raises(InvalidSetting):
        Threshold(notify_regulator_from=SeverityLevel.HIGH, notify_subjects_from=SeverityLevel.MEDIUM)
    with pytest.raises(InvalidSetting):
        Threshold(large_scale_subjects=0)


def test_large_scale_threshold_reaches_the_severity_criterion(make_facts: Make) -> None:
    facts = make_facts(recipients="known", data_subjects=50)
    assert not assess(facts).severity.large_scale.applies
    assert assess(facts, threshold=Threshold(large_scale_subjects=50)).severity.large_scale.applies


def test_rationale_codes_are_stable_strings(make_facts: Make) -> None:
    rationale = assess(make_facts(**HIGH_RISK)).proposal.to_dict()["rationale"]
    assert all(set(item) == {"code", "text"} and item["code"] == item["code"].lower() for item in rationale)


def test_ap_answer_is_raised_to_match_a_high_risk_found_by_the_rules(make_facts: Make) -> None:
    facts = make_facts(data_categories=["name", "bsn"], recipients="known", data_subjects=500)
    assessment = assess(facts)
    assert assessment.severity.ap_answer is ApSeverity.VERWAARLOOSBAAR
    assert assessment.ap_answer is ApSeverity.AANZIENLIJK


def test_override_requires_a_written_reason(make_facts: Make) -> None:
    proposal = assess(make_facts(**HIGH_RISK)).proposal
    for blank in ("", "   "):
        with pytest.raises(DecisionIncomplete):
            override(
                proposal, notify_regulator=True, notify_subjects=False, reason=blank, actor="fg@24-online.nl"
            )


def test_override_requires_an_actor(make_facts: Make) -> None:
    proposal = assess(make_facts(**HIGH_RISK)).proposal
    with pytest.raises(DecisionIncomplete):
        override(proposal, notify_regulator=True, notify_subjects=False, reason="data recalled", actor=" ")


def test_override_records_decision_reason_actor_and_the_proposal(make_facts: Make) -> None:
    proposal = assess(make_facts(**HIGH_RISK)).proposal
    decision = override(
        proposal,
        notify_regulator=True,
        notify_subjects=False,
        reason="  recipient confirmed deletion in writing ",
        actor="fg@24-online.nl",
    )
    assert decision.overridden and not decision.notify_subjects and decision.notify_regulator
    assert decision.reason == "recipient confirmed deletion in writing"
    assert decision.proposal is proposal
    assert decision.to_dict()["proposal"]["notify_subjects"] is True


def test_override_with_the_proposed_values_is_not_marked_overridden(make_facts: Make) -> None:
    proposal = assess(make_facts(**HIGH_RISK)).proposal
    decision = override(proposal, notify_regulator=True, notify_subjects=True, reason="confirmed", actor="fg")
    assert not decision.overridden


def test_accepting_the_proposal_keeps_its_values(make_facts: Make) -> None:
    proposal = assess(make_facts(disproportionate_effort=True, **HIGH_RISK)).proposal
    decision = accept(proposal, actor="fg")
    assert (decision.notify_regulator, decision.notify_subjects, decision.public_communication) == (
        True,
        False,
        True,
    )
    assert not decision.overridden
