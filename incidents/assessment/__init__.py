"""Pure assessment core of a personal-data breach: facts -> ENISA severity -> proposed notify decision.

Standard library only, no I/O, no clock: ``datalek assess FACTS.json --json`` and the web/workflow layers call
``assess`` and render ``Assessment.to_dict()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .decision import DEFAULT_THRESHOLD, Decision, Proposal, Threshold, accept, ap_answer, override, propose
from .errors import (
    AssessmentError,
    DecisionIncomplete,
    DelayReasonRequired,
    InvalidFacts,
    InvalidSetting,
    NaiveDatetime,
)
from .facts import BreachFacts
from .facts_parts import AffectedGroup, DpcAdjustment, Protection, RecipientFacts, ServiceEffect, SubjectCount
from .risk_rules import Factor, FactorCode, RiskLevel
from .severity import ApSeverity, Severity, SeverityLevel, assess_severity
from .vocabulary import (
    BreachNature,
    DataCategory,
    DpcFactor,
    Identifiability,
    IncidentType,
    Measure,
    ProtectionMethod,
    Recipients,
    ServiceOutage,
    SpecialCategory,
    SubjectGroup,
)


@dataclass(frozen=True, slots=True)
class Assessment:
    """Severity and proposed decision for one set of facts, under one threshold."""

    facts: BreachFacts
    severity: Severity
    proposal: Proposal
    threshold: Threshold

    @property
    def ap_answer(self) -> ApSeverity:
        """Proposed answer to AP form question 9.3, consistent with the proposed risk."""
        return ap_answer(self.severity, self.proposal)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``datalek assess --json``; facts are categories and counts only."""
        answer = self.ap_answer
        return {
            "ap_answer": {
                "question": "9.3",
                "value": answer.value,
                "text_nl": answer.text_nl,
                "text_en": answer.text_en,
                "raised_above_enisa_level": answer is not self.severity.ap_answer,
            },
            "severity": self.severity.to_dict(),
            "proposal": self.proposal.to_dict(),
            "threshold": self.threshold.to_dict(),
            "facts": self.facts.to_dict(),
        }


def assess(facts: BreachFacts, *, threshold: Threshold = DEFAULT_THRESHOLD) -> Assessment:
    """Score the breach by ENISA and propose whom to notify; the FG decides (see ``accept``/``override``)."""
    severity = assess_severity(facts, large_scale_subjects=threshold.large_scale_subjects)
    return Assessment(facts, severity, propose(facts, severity, threshold=threshold), threshold)


__all__ = [
    "DEFAULT_THRESHOLD",
    "AffectedGroup",
    "ApSeverity",
    "Assessment",
    "AssessmentError",
    "BreachFacts",
    "BreachNature",
    "DataCategory",
    "Decision",
    "DelayReasonRequired",
    "DpcAdjustment",
    "DpcFactor",
    "Factor",
    "FactorCode",
    "Identifiability",
    "IncidentType",
    "InvalidFacts",
    "InvalidSetting",
    "Measure",
    "NaiveDatetime",
    "DecisionIncomplete",
    "Proposal",
    "Protection",
    "ProtectionMethod",
    "RecipientFacts",
    "Recipients",
    "RiskLevel",
    "Severity",
    "SeverityLevel",
    "ServiceEffect",
    "ServiceOutage",
    "SpecialCategory",
    "SubjectCount",
    "SubjectGroup",
    "Threshold",
    "accept",
    "ap_answer",
    "assess",
    "assess_severity",
    "override",
    "propose",
]
