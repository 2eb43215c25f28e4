"""JSON forms of the assessment values stored on an incident row."""

from __future__ import annotations

from typing import Any

from incidents.assessment import BreachFacts, Decision, Factor, FactorCode, Proposal, RiskLevel


def facts_to_json(facts: BreachFacts | None) -> dict[str, Any] | None:
    return None if facts is None else facts.to_dict()


def facts_from_json(data: dict[str, Any] | None) -> BreachFacts | None:
    return None if data is None else BreachFacts.from_dict(data)


def decision_to_json(decision: Decision | None) -> dict[str, Any] | None:
    return None if decision is None else decision.to_dict()


def decision_from_json(data: dict[str, Any] | None) -> Decision | None:
    if data is None:
        return None
    p = data["proposal"]
    proposal = Proposal(
        risk=RiskLevel(p["risk"]), notify_regulator=p["notify_regulator"], notify_subjects=p["notify_subjects"],
        public_communication=p["public_communication"],
        rationale=tuple(Factor(FactorCode(f["code"]), f["text"]) for f in p["rationale"]),
    )
    return Decision(data["notify_regulator"], data["notify_subjects"], data["public_communication"],
                    data["overridden"], data["reason"], data["actor"], proposal)
