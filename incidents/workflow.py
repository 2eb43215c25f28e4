"""The incident workflow: a transition table, the roles allowed per target, guards, and one function.

Every change returns the new incident and a ``StatusChanged`` event; the service stores both with an
audit entry (who, from, to, when, why) in one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from incidents.assessment import BreachFacts, Decision, deadlines
from incidents.errors import IncidentError
from incidents.messages import IncidentEvent
from incidents.model import Incident, Status

S = Status


class Role(StrEnum):
    ANALYST = "analyst"
    PRIVACY_OFFICER = "privacy_officer"  # the FG/DPO
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    role: Role


class WorkflowError(IncidentError):
    """Root of workflow refusals."""


class IllegalTransition(WorkflowError):
    """The table does not allow this step from the current status."""


class NotPermitted(WorkflowError):
    """The actor's role may not take this step (e.g. an analyst deciding)."""


class MissingInformation(WorkflowError):
    """The step needs data that is not there yet (awareness time, decision, meldnummer, delay reason)."""


ALLOWED: Mapping[Status, frozenset[Status]] = {
    S.DETECTED: frozenset({S.TRIAGE, S.DISMISSED}),
    S.TRIAGE: frozenset({S.CONFIRMED, S.DISMISSED}),
    S.DISMISSED: frozenset({S.TRIAGE}),  # reopened, with a reason
    S.CONFIRMED: frozenset({S.ASSESSING}),
    S.ASSESSING: frozenset({S.DECIDED}),
    S.DECIDED: frozenset({S.ASSESSING, S.REPORTED, S.SUBJECTS_INFORMED, S.CLOSED}),
    S.REPORTED: frozenset({S.SUBJECTS_INFORMED, S.CLOSED}),
    S.SUBJECTS_INFORMED: frozenset({S.REPORTED, S.CLOSED}),
    S.CLOSED: frozenset(),
}

_TRIAGERS = frozenset({Role.ANALYST, Role.PRIVACY_OFFICER, Role.ADMIN})
_FG = frozenset({Role.PRIVACY_OFFICER})
ROLES: Mapping[Status, frozenset[Role]] = {
    S.TRIAGE: _TRIAGERS, S.DISMISSED: _TRIAGERS, S.CONFIRMED: _TRIAGERS, S.ASSESSING: _TRIAGERS,
    S.DECIDED: _FG, S.REPORTED: _FG, S.SUBJECTS_INFORMED: _FG, S.CLOSED: _FG | {Role.ADMIN},
}
NEEDS_REASON = frozenset({S.DISMISSED, S.TRIAGE, S.CLOSED})


@dataclass(frozen=True, slots=True)
class StatusChanged(IncidentEvent):
    from_status: str
    to_status: str
    actor: str
    role: str
    reason: str


def _needs(condition: bool, message: str) -> None:
    if not condition:
        raise MissingInformation(message)


def _guard_confirmed(i: Incident) -> None:
    _needs(i.became_aware_at is not None, "confirming needs the moment of awareness (became_aware_at)")


def _guard_decided(i: Incident) -> None:
    _needs(i.facts is not None, "a decision needs the recorded facts")
    _needs(i.decision is not None and i.decided_at is not None, "deciding needs the FG's decision")


def _guard_reported(i: Incident) -> None:
    _needs(i.decision is not None and i.decision.notify_regulator, "the decision does not notify the AP")
    _needs(bool(i.meldnummer) and i.reported_at is not None, "reporting needs the AP meldnummer and time")
    assert i.became_aware_at and i.reported_at
    deadlines.validate_delay_reason(i.became_aware_at, reported_at=i.reported_at, delay_reason=i.delay_reason)


def _guard_informed(i: Incident) -> None:
    d = i.decision
    _needs(d is not None and (d.notify_subjects or d.public_communication),
           "the decision does not require informing data subjects")
    _needs(i.subjects_informed_at is not None, "informing needs the time the data subjects were informed")


def _guard_closed(i: Incident) -> None:
    d = i.decision
    if d is None:
        return
    _needs(not d.notify_regulator or i.reported_at is not None, "the AP has not been notified yet")
    _needs(not (d.notify_subjects or d.public_communication) or i.subjects_informed_at is not None,
           "the data subjects have not been informed yet")


GUARDS: Mapping[Status, Callable[[Incident], None]] = {
    S.CONFIRMED: _guard_confirmed, S.DECIDED: _guard_decided, S.REPORTED: _guard_reported,
    S.SUBJECTS_INFORMED: _guard_informed, S.CLOSED: _guard_closed,
}


def transition(incident: Incident, to: Status, *, at: datetime, actor: Actor,
               reason: str = "") -> tuple[Incident, StatusChanged]:
    """Move ``incident`` to ``to`` if the table, the actor's role and the guards allow it."""
    if to not in ALLOWED[incident.status]:
        raise IllegalTransition(f"{incident.status.value} -> {to.value} is not allowed")
    if actor.role not in ROLES[to]:
        raise NotPermitted(f"role {actor.role.value} may not move an incident to {to.value}")
    if to in NEEDS_REASON and not reason.strip():
        raise MissingInformation(f"moving to {to.value} needs a written reason")
    guard = GUARDS.get(to)
    if guard:
        guard(incident)
    moved = replace(incident, status=to, closed_at=at if to is S.CLOSED else incident.closed_at)
    event = StatusChanged(id=str(uuid.uuid4()), at=at, incident_id=incident.id,
                          from_status=incident.status.value, to_status=to.value, actor=actor.name,
                          role=actor.role.value, reason=reason.strip())
    return moved, event


# Steps that carry data: each sets its data, then runs the same table, role and guard checks.

class FollowUpKind(StrEnum):
    SUPPLEMENT = "supplement"  # aanvulling
    AMEND = "amend"  # wijziging
    WITHDRAW = "withdraw"  # intrekking


@dataclass(frozen=True, slots=True)
class AwarenessChanged(IncidentEvent):
    previous: str
    became_aware_at: str
    actor: str
    reason: str


@dataclass(frozen=True, slots=True)
class FollowUpRecorded(IncidentEvent):
    follow_up: str
    meldnummer: str
    actor: str
    text: str


CLOCK_SKEW = timedelta(minutes=5)  # an awareness time this far ahead of the clock is still accepted


def checked_awareness(incident: Incident, became_aware_at: datetime, *, at: datetime,
                      before_detection: bool = False) -> datetime:
    """The awareness time in UTC, if plausible: not in the future, and not before the first detection unless
    the person says so explicitly (the organisation may have known earlier, e.g. from a customer's call)."""
    aware = deadlines.as_utc(became_aware_at, field="became_aware_at")
    _needs(aware <= at + CLOCK_SKEW, f"the awareness time {aware:%Y-%m-%d %H:%M} UTC lies in the future")
    _needs(before_detection or aware >= incident.opened_at,
           f"the awareness time {aware:%Y-%m-%d %H:%M} UTC is before the first detection "
           f"({incident.opened_at:%Y-%m-%d %H:%M} UTC); confirm that you knew earlier (--before-detection)")
    return aware


def confirm(incident: Incident, *, at: datetime, actor: Actor, reason: str,
            became_aware_at: datetime | None = None, before_detection: bool = False,
            ) -> tuple[Incident, StatusChanged]:
    """A personal-data breach is confirmed in triage; awareness starts the 72-hour clock."""
    aware = checked_awareness(incident, became_aware_at or at, at=at, before_detection=before_detection)
    return transition(replace(incident, became_aware_at=aware), S.CONFIRMED, at=at, actor=actor, reason=reason)


def change_awareness(incident: Incident, *, became_aware_at: datetime, at: datetime, actor: Actor,
                     reason: str, before_detection: bool = False) -> tuple[Incident, AwarenessChanged]:
    """Correct the moment of awareness; a written reason is required and kept."""
    _needs(incident.became_aware_at is not None, "the incident is not confirmed yet")
    if actor.role not in _TRIAGERS:
        raise NotPermitted(f"role {actor.role.value} may not change the awareness time")
    _needs(bool(reason.strip()), "changing the awareness time needs a written reason")
    aware = checked_awareness(incident, became_aware_at, at=at, before_detection=before_detection)
    event = AwarenessChanged(id=str(uuid.uuid4()), at=at, incident_id=incident.id,
                             previous=str(incident.became_aware_at), became_aware_at=aware.isoformat(),
                             actor=actor.name, reason=reason.strip())
    return replace(incident, became_aware_at=aware), event


def record_facts(incident: Incident, facts: BreachFacts, *, at: datetime, actor: Actor,
                 reason: str = "facts recorded") -> tuple[Incident, StatusChanged | None]:
    """Record the assessment facts. New facts after a decision void it: back to assessing."""
    if actor.role not in _TRIAGERS:
        raise NotPermitted(f"role {actor.role.value} may not record facts")
    updated = replace(incident, facts=facts)
    if incident.status is S.ASSESSING:
        return updated, None
    if incident.status is S.DECIDED:
        updated = replace(updated, decision=None, decided_at=None)
    return transition(updated, S.ASSESSING, at=at, actor=actor, reason=reason)


def decide(incident: Incident, decision: Decision, *, at: datetime, actor: Actor) -> tuple[Incident, StatusChanged]:
    """The FG's decision (the proposal accepted or overridden with a reason)."""
    reason = decision.reason or ("override" if decision.overridden else "proposal accepted")
    return transition(replace(incident, decision=decision, decided_at=at), S.DECIDED, at=at, actor=actor,
                      reason=reason)


def report(incident: Incident, *, meldnummer: str, reported_at: datetime, at: datetime, actor: Actor,
           delay_reason: str | None = None) -> tuple[Incident, StatusChanged]:
    """The FG notified the AP (outside datalek) and records the meldnummer; late needs a delay reason."""
    filed = replace(incident, meldnummer=meldnummer.strip() or None, reported_at=reported_at,
                    delay_reason=(delay_reason or "").strip() or None)
    return transition(filed, S.REPORTED, at=at, actor=actor, reason=f"AP meldnummer {meldnummer}")


def inform_subjects(incident: Incident, *, informed_at: datetime, at: datetime, actor: Actor,
                    reason: str = "data subjects informed") -> tuple[Incident, StatusChanged]:
    return transition(replace(incident, subjects_informed_at=informed_at), S.SUBJECTS_INFORMED, at=at,
                      actor=actor, reason=reason)


def follow_up(incident: Incident, *, kind: FollowUpKind, text: str, at: datetime,
              actor: Actor) -> FollowUpRecorded:
    """A vervolgmelding (supplement, amendment, withdrawal) to a notification already made."""
    if actor.role not in _FG:
        raise NotPermitted("only the privacy officer files follow-up notifications")
    _needs(incident.meldnummer is not None, "a follow-up needs a notification with a meldnummer")
    _needs(bool(text.strip()), "a follow-up needs its text")
    return FollowUpRecorded(id=str(uuid.uuid4()), at=at, incident_id=incident.id, follow_up=kind.value,
                            meldnummer=incident.meldnummer or "", actor=actor.name, text=text.strip())
