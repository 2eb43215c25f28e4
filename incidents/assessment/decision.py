"""The proposed notify decision (Art. 33 and 34 GDPR): the system proposes, the FG decides.

Risk starts from the ENISA level against a configurable threshold; the grounds and factors of
``risk_rules`` lower or raise it; Art. 34(3) grounds then settle the subject duty. Every factor that applied
is in the rationale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import DecisionIncomplete, InvalidSetting
from .facts import BreachFacts
from .risk_rules import (
    RAISERS,
    SOFTENERS,
    UNINTELLIGIBLE,
    Factor,
    FactorCode,
    RiskLevel,
    unintelligible_and_intact,
)
from .severity import LARGE_SCALE_SUBJECTS, ApSeverity, Severity, SeverityLevel


@dataclass(frozen=True, slots=True)
class Threshold:
    """From which ENISA level the AP and the data subjects are notified, and what counts as large scale."""

    notify_regulator_from: SeverityLevel = SeverityLevel.MEDIUM  # EBNA/ENISA-calculator convention, SE >= 2
    notify_subjects_from: SeverityLevel = SeverityLevel.HIGH  # ENISA high: "significant consequences"
    large_scale_subjects: int = LARGE_SCALE_SUBJECTS

    def __post_init__(self) -> None:
        if self.notify_subjects_from.rank < self.notify_regulator_from.rank:
            raise InvalidSetting("notify_subjects_from must not be below notify_regulator_from")
        if self.large_scale_subjects < 1:
            raise InvalidSetting("large_scale_subjects must be at least 1")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "notify_regulator_from": self.notify_regulator_from.value,
            "notify_subjects_from": self.notify_subjects_from.value,
            "large_scale_subjects": self.large_scale_subjects,
        }


DEFAULT_THRESHOLD = Threshold()


@dataclass(frozen=True, slots=True)
class Proposal:
    """What the system proposes, and why. Every breach is documented (Art. 33(5)) whatever it says."""

    risk: RiskLevel
    notify_regulator: bool
    notify_subjects: bool
    public_communication: bool  # Art. 34(3)(c): instead of individual communication
    rationale: tuple[Factor, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "risk": self.risk.value,
            "document": True,
            "notify_regulator": self.notify_regulator,
            "notify_subjects": self.notify_subjects,
            "public_communication": self.public_communication,
            "rationale": [f.to_dict() for f in self.rationale],
        }


@dataclass(frozen=True, slots=True)
class Decision:
    """The FG's decision: the proposal accepted or overridden, with who and why."""

    notify_regulator: bool
    notify_subjects: bool
    public_communication: bool
    overridden: bool
    reason: str
    actor: str
    proposal: Proposal

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "notify_regulator": self.notify_regulator,
            "notify_subjects": self.notify_subjects,
            "public_communication": self.public_communication,
            "overridden": self.overridden,
            "reason": self.reason,
            "actor": self.actor,
            "proposal": self.proposal.to_dict(),
        }


def propose(facts: BreachFacts, severity: Severity, *, threshold: Threshold = DEFAULT_THRESHOLD) -> Proposal:
    """Propose notify_regulator / notify_subjects; large scale is read from ``severity``."""
    if unintelligible_and_intact(facts):
        return _proposal(facts, RiskLevel.UNLIKELY, (UNINTELLIGIBLE,))
    risk, factors = _risk_from_level(severity, threshold)
    for soften in SOFTENERS:
        risk, factor = soften(facts, risk)
        factors += (factor,) if factor else ()
    raised = [r for r in RAISERS if r.applies(facts, severity)]
    risk = max([risk, *(r.minimum for r in raised)], key=lambda level: level.rank)
    return _proposal(facts, risk, factors + tuple(Factor(r.code, r.text) for r in raised))


def override(
    proposal: Proposal, *, notify_regulator: bool, notify_subjects: bool, reason: str, actor: str
) -> Decision:
    """The FG decides otherwise than proposed; a written reason and the actor are required."""
    if not reason.strip():
        raise DecisionIncomplete("an override needs a written reason")
    if not actor.strip():
        raise DecisionIncomplete("an override needs the actor who decided")
    changed = (notify_regulator, notify_subjects) != (proposal.notify_regulator, proposal.notify_subjects)
    public = proposal.public_communication and not notify_subjects
    return Decision(
        notify_regulator, notify_subjects, public, changed, reason.strip(), actor.strip(), proposal
    )


def accept(proposal: Proposal, *, actor: str, reason: str = "") -> Decision:
    """The FG adopts the proposal as it stands."""
    if not actor.strip():
        raise DecisionIncomplete("a decision needs the actor who decided")
    p = proposal
    return Decision(
        p.notify_regulator, p.notify_subjects, p.public_communication, False, reason.strip(), actor.strip(), p
    )


def _risk_from_level(severity: Severity, t: Threshold) -> tuple[RiskLevel, tuple[Factor, ...]]:
    """The starting point: the ENISA level against the thresholds."""
    se = f"ENISA severity {severity.score:g} ({severity.level.value})"
    if severity.level.rank >= t.notify_subjects_from.rank:
        text = f"{se} reaches the subject-notification threshold ({t.notify_subjects_from.value})."
        return RiskLevel.HIGH, (Factor(FactorCode.SEVERITY_REACHES_SUBJECT_THRESHOLD, text),)
    if severity.level.rank >= t.notify_regulator_from.rank:
        text = f"{se} reaches the regulator-notification threshold ({t.notify_regulator_from.value})."
        return RiskLevel.RISK, (Factor(FactorCode.SEVERITY_REACHES_REGULATOR_THRESHOLD, text),)
    text = f"{se} is below the regulator-notification threshold ({t.notify_regulator_from.value})."
    return RiskLevel.UNLIKELY, (Factor(FactorCode.SEVERITY_BELOW_THRESHOLD, text),)


# Lowest AP 9.3 answer consistent with the proposed risk: a high-risk breach is not "negligible".
_AP_FLOOR = {
    RiskLevel.UNLIKELY: ApSeverity.VERWAARLOOSBAAR,
    RiskLevel.RISK: ApSeverity.BEPERKT,
    RiskLevel.HIGH: ApSeverity.AANZIENLIJK,
}


def ap_answer(severity: Severity, proposal: Proposal) -> ApSeverity:
    """AP form 9.3: the ENISA level's answer, raised when the rules raised the risk above it."""
    order = list(ApSeverity)
    return max(severity.ap_answer, _AP_FLOOR[proposal.risk], key=order.index)


def _proposal(facts: BreachFacts, risk: RiskLevel, factors: tuple[Factor, ...]) -> Proposal:
    """Turn the risk into the two duties, applying the Art. 34(3) grounds to the subject duty."""
    subjects, public, grounds = _subject_duty(facts, risk)
    return Proposal(risk, risk is not RiskLevel.UNLIKELY, subjects, public, factors + grounds)


def _subject_duty(facts: BreachFacts, risk: RiskLevel) -> tuple[bool, bool, tuple[Factor, ...]]:
    """(notify_subjects, public_communication, factors) for the given risk."""
    if risk is not RiskLevel.HIGH:
        return False, False, ()
    if facts.high_risk_mitigated:
        text = "Subsequent measures ensure the high risk is no longer likely to materialise (Art. 34(3)(b))."
        return False, False, (Factor(FactorCode.ART34_3B_MEASURES, text),)
    if facts.disproportionate_effort:
        text = "Individual communication would be disproportionate: public communication (Art. 34(3)(c))."
        return False, True, (Factor(FactorCode.ART34_3C_DISPROPORTIONATE_EFFORT, text),)
    text = "Likely high risk and no Art. 34(3) ground: communicate to the data subjects (Art. 34(1))."
    return True, False, (Factor(FactorCode.HIGH_RISK_TO_SUBJECTS, text),)
