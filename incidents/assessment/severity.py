"""Severity by the ENISA method (Recommendations for a methodology of the assessment of severity of personal
data breaches, v1.0, Dec 2013): SE = DPC x EI + CB, every component with its score and its reason.

As ENISA does, the number of individuals and the unintelligibility of the data stay outside the formula; they
are reported as separate criteria for the decision to weigh.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .enisa import (
    AP_ANSWER,
    CATEGORY_TYPE,
    EI_MEANING,
    EI_VALUE,
    FORMULA,
    LARGE_SCALE_SUBJECTS,
    QUICK_RESTORE_HOURS,
    ApSeverity,
    DataType,
    SeverityLevel,
    level_for,
)
from .facts import BreachFacts
from .vocabulary import BreachNature, DataCategory, DpcFactor, ProtectionMethod, Recipients, SubjectGroup


@dataclass(frozen=True, slots=True)
class Score:
    """A scored element with a human-readable reason; components carry their parts."""

    code: str
    score: float
    reason: str
    parts: tuple[Score, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        d: dict[str, Any] = {"code": self.code, "score": float(self.score), "reason": self.reason}
        if self.parts:
            d["parts"] = [p.to_dict() for p in self.parts]
        return d


@dataclass(frozen=True, slots=True)
class Criterion:
    """A criterion ENISA weighs outside the formula (number of individuals, unintelligibility)."""

    code: str
    applies: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"code": self.code, "applies": self.applies, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Severity:
    """The ENISA result: components, score, level, AP answer and the separate criteria."""

    dpc: Score
    ei: Score
    cb: Score
    score: float
    level: SeverityLevel
    large_scale: Criterion
    unintelligible: Criterion

    @property
    def ap_answer(self) -> ApSeverity:
        """Proposed answer to AP form question 9.3."""
        return AP_ANSWER[self.level]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "method": "ENISA 2013",
            "formula": FORMULA,
            "score": float(self.score),
            "level": self.level.value,
            "components": {s.code: s.to_dict() for s in (self.dpc, self.ei, self.cb)},
            "criteria": [self.large_scale.to_dict(), self.unintelligible.to_dict()],
            "ap_answer_for_level": {
                "question": "9.3",
                "value": self.ap_answer.value,
                "text_nl": self.ap_answer.text_nl,
                "text_en": self.ap_answer.text_en,
            },
        }


def assess_severity(facts: BreachFacts, *, large_scale_subjects: int = LARGE_SCALE_SUBJECTS) -> Severity:
    """Score the breach: SE = DPC x EI + CB, plus the criteria ENISA keeps outside the formula."""
    dpc, ei, cb = score_dpc(facts), score_ei(facts), score_cb(facts)
    se = dpc.score * ei.score + cb.score
    return Severity(
        dpc, ei, cb, se, level_for(se), _large_scale(facts, large_scale_subjects), _unintelligible(facts)
    )


def score_dpc(facts: BreachFacts) -> Score:
    """Data processing context: the highest basic score of the data types, moved by whole steps, 1..4."""
    base = _base(facts)
    moves = tuple(
        Score(f"dpc.{a.factor.value}", a.steps, a.note or a.factor.value) for a in facts.dpc_adjustments
    )
    moves += _default_individuals_move(facts)
    raw = base.score + sum(m.score for m in moves)
    total = min(4, max(1, raw))
    reason = "; ".join([base.reason, *(f"{m.code[4:]} {m.score:+g}: {m.reason}" for m in moves)])
    bounded = "" if total == raw else f" (bounded from {raw:g} to 1..4)"
    return Score("dpc", total, f"{reason} -> DPC {total:g}{bounded}", (base, *moves))


def _types(facts: BreachFacts) -> list[tuple[DataType, str]]:
    """(ENISA type, category) for every category; credentials take the type of what they open."""
    found = [(DataType.SENSITIVE, s.value) for s in facts.special_categories]
    for cat in facts.data_categories:
        if cat is not DataCategory.ACCESS_CREDENTIALS:
            found.append((CATEGORY_TYPE[cat], cat.value))
        elif not facts.credentials_access:
            found.append((DataType.SIMPLE, "access_credentials (what they open not given)"))
    found += [(CATEGORY_TYPE[c], f"access_credentials to {c.value}") for c in facts.credentials_access]
    return found


def _base(facts: BreachFacts) -> Score:
    """The highest basic score among the data types (ENISA: score each, keep the highest)."""
    found = _types(facts)
    top = max((t for t, _ in found), key=lambda t: t.base_score)
    names = ", ".join(sorted(name for t, name in found if t is top))
    return Score("dpc.base", top.base_score, f"{top.value} data ({names}): basic score {top.base_score}")


def _default_individuals_move(facts: BreachFacts) -> tuple[Score, ...]:
    """ENISA factor (c): minors or vulnerable people raise the DPC; +1 unless the analyst set it."""
    vulnerable = facts.subject_groups & {SubjectGroup.MINORS, SubjectGroup.VULNERABLE}
    if not vulnerable or any(a.factor is DpcFactor.INDIVIDUALS for a in facts.dpc_adjustments):
        return ()
    groups = ", ".join(sorted(g.value for g in vulnerable))
    return (Score("dpc.individuals", 1, f"{groups} among the data subjects (default step)"),)


def score_ei(facts: BreachFacts) -> Score:
    """Ease of identification: 0.25 / 0.5 / 0.75 / 1; not assessed counts as maximum."""
    level = facts.identifiability
    if level is None:
        return Score("ei", 1.0, "not assessed: assumed maximum (identification directly from the data)")
    return Score("ei", EI_VALUE[level], f"{level.value}: {EI_MEANING[level]}")


def score_cb(facts: BreachFacts) -> Score:
    """Circumstances of the breach: the C, I, A losses and malicious intent, added."""
    parts = (_confidentiality(facts), _integrity(facts), _availability(facts), _malice(facts))
    total = sum(p.score for p in parts)
    reason = "; ".join(f"{p.code[3:]} {p.score:g}" for p in parts)
    return Score("cb", total, f"{reason} -> CB {total:g}", parts)


def _confidentiality(facts: BreachFacts) -> Score:
    if BreachNature.CONFIDENTIALITY not in facts.nature:
        return Score("cb.confidentiality", 0, "no loss of confidentiality")
    graded = {
        Recipients.NONE: (0.0, "exposed, no evidence of unlawful processing"),
        Recipients.KNOWN: (0.25, "disclosed to a known number of recipients"),
        Recipients.UNKNOWN: (0.5, "disclosed to an unknown number of recipients or published"),
    }
    r = facts.recipients
    score, reason = graded[r.received]
    # ENISA grades by who received the data; trust and a confirmed deletion lower the risk in the decision
    # (EDPB 01/2021, 9/2022), not this score.
    said = [text for text, yes in (("trusted", r.trusted), ("deletion confirmed", r.deletion_confirmed)) if yes]
    return Score("cb.confidentiality", score, reason + (f" ({', '.join(said)})" if said else ""))


def _integrity(facts: BreachFacts) -> Score:
    if BreachNature.INTEGRITY not in facts.nature:
        return Score("cb.integrity", 0, "no loss of integrity")
    if not facts.altered_data_misused:
        return Score("cb.integrity", 0, "altered, no identified incorrect or unlawful use")
    if facts.backup_available:
        return Score("cb.integrity", 0.25, "altered and possibly misused, original recoverable")
    return Score("cb.integrity", 0.5, "altered and possibly misused, original not recoverable")


def _availability(facts: BreachFacts) -> Score:
    if BreachNature.AVAILABILITY_PERMANENT in facts.nature:
        return Score("cb.availability", 0.5, "permanently unavailable")
    if BreachNature.AVAILABILITY_TEMPORARY not in facts.nature:
        return Score("cb.availability", 0, "no loss of availability")
    if restored_promptly(facts):
        return Score(
            "cb.availability", 0, f"restored from a copy within {facts.restore_hours:g} h, no difficulty"
        )
    return Score("cb.availability", 0.25, "temporarily unavailable")


def _malice(facts: BreachFacts) -> Score:
    if facts.malicious:
        return Score("cb.malicious", 0.5, "intentional action (theft, hacking, sale, harm)")
    return Score("cb.malicious", 0, "error or accident")


def restored_promptly(facts: BreachFacts) -> bool:
    """Temporary unavailability that a copy repaired within QUICK_RESTORE_HOURS."""
    hours = facts.restore_hours
    return bool(facts.backup_available) and hours is not None and hours <= QUICK_RESTORE_HOURS


def _large_scale(facts: BreachFacts, threshold: int) -> Criterion:
    count = facts.data_subjects
    if count is None:
        return Criterion("individuals", False, "number of data subjects not known")
    shown = str(count.minimum) if count.is_exact else f"{count.minimum}-{count.maximum}"
    applies = count.maximum >= threshold
    verdict = f"at least {threshold}: large scale" if applies else f"below {threshold}"
    return Criterion(
        "individuals", applies, f"{shown} data subjects ({verdict}; weighed outside the formula)"
    )


def _unintelligible(facts: BreachFacts) -> Criterion:
    p = facts.protection
    if p.renders_unintelligible:
        return Criterion("unintelligible", True, f"{p.method.value}, state of the art, key/salt safe")
    if p.method is ProtectionMethod.NONE:
        return Criterion("unintelligible", False, "no protection applied beforehand")
    if p.effective is False:
        missing = "not effective against this breach"
    elif not (p.key_safe and p.state_of_the_art):
        missing = "key/salt compromised or unknown" if not p.key_safe else "not state of the art"
    else:
        missing = "effectiveness against this breach not answered"
    return Criterion("unintelligible", False, f"{p.method.value} but {missing}")


__all__ = [
    "AP_ANSWER",
    "CATEGORY_TYPE",
    "EI_VALUE",
    "FORMULA",
    "LARGE_SCALE_SUBJECTS",
    "QUICK_RESTORE_HOURS",
    "ApSeverity",
    "Criterion",
    "DataType",
    "Score",
    "Severity",
    "SeverityLevel",
    "assess_severity",
    "level_for",
    "restored_promptly",
    "score_cb",
    "score_dpc",
    "score_ei",
]
