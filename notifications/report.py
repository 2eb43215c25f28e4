"""The AP notification draft (meldformulier datalekken, chapters 1-10) and its completeness check. Pure.

Every answer carries its provenance (recorded / derived / missing). An answer counts as done only when it is
recorded or a derived answer the FG confirmed; ``ApDraft.open`` (missing plus unconfirmed) and the time
warnings are what the FG works through before filing. datalek never files anything itself (the AP accepts only
its online form). Everything the AP reads is Dutch (``notifications.dutch``).
Question numbers follow ``shared/reference/ap_form.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from incidents.assessment import DEFAULT_THRESHOLD, Threshold, assess
from incidents.assessment.timeline import time_warnings
from incidents.model import Incident
from notifications import dutch
from notifications.alerts import DeadlineView, deadline_view, short_id
from notifications.answers import (
    Answer,
    Chapter,
    DraftInputs,
    DraftSupplement,
    FollowUp,
    Provenance,
    when,
)
from notifications.ap_breach import chapter_5, chapter_6, chapter_7, chapter_8
from notifications.ap_followup import chapter_9, chapter_10
from notifications.ap_intro import chapter_1, chapter_2, chapter_3, chapter_4, contained
from notifications.organisation import Organisation

CHAPTERS = (chapter_1, chapter_2, chapter_3, chapter_4, chapter_5, chapter_6, chapter_7, chapter_8, chapter_9,
            chapter_10)
AP_FORM_URL = "https://datalekken.autoriteitpersoonsgegevens.nl"


@dataclass(frozen=True, slots=True)
class ApDraft:
    """The filled-in AP form for one incident, ready to render (Markdown, HTML) or check."""

    incident_id: str
    short_id: str
    title: str  # the incident's internal description in Dutch, shown to the FG; it is not an answer to the form
    organisation: str
    follow_up: FollowUp | None
    meldnummer: str | None
    generated_at: str
    deadline: DeadlineView | None
    chapters: tuple[Chapter, ...]
    rationale: tuple[str, ...]  # the assessment's factors, in Dutch
    warnings: tuple[str, ...] = ()  # time inconsistencies (incidents.assessment.timeline), in Dutch
    form_url: str = AP_FORM_URL

    @property
    def answers(self) -> tuple[Answer, ...]:
        return tuple(a for c in self.chapters for a in c.answers)

    @property
    def missing(self) -> tuple[Answer, ...]:
        """Answers still missing, in form order."""
        return tuple(a for a in self.answers if a.provenance is Provenance.MISSING)

    @property
    def derived(self) -> tuple[Answer, ...]:
        """Answers datalek derived (confirmed or not)."""
        return tuple(a for a in self.answers if a.provenance is Provenance.DERIVED)

    @property
    def unconfirmed(self) -> tuple[Answer, ...]:
        """Derived answers the FG has not confirmed yet."""
        return tuple(a for a in self.derived if not a.confirmed)

    @property
    def open(self) -> tuple[Answer, ...]:
        """The completeness count: every answer not done (missing, or derived and unconfirmed), in form order."""
        return tuple(a for a in self.answers if not a.is_done)

    @property
    def complete(self) -> bool:
        """Every answer recorded or confirmed, and the timeline consistent."""
        return not self.open and not self.warnings


def draft_inputs(incident: Incident, *, organisation: Organisation, now: datetime,
                 supplement: DraftSupplement | None = None, follow_up: FollowUp | None = None,
                 threshold: Threshold = DEFAULT_THRESHOLD) -> DraftInputs:
    """Collect what every draft is built from; the assessment is computed from the incident's facts."""
    assessment = assess(incident.facts, threshold=threshold) if incident.facts else None
    return DraftInputs(incident, organisation, supplement or DraftSupplement(), assessment, now, follow_up)


def build_ap_draft(inputs: DraftInputs) -> ApDraft:
    """Answer every question of chapters 1-10 from the inputs."""
    i = inputs.incident
    chapters = tuple(_confirm(chapter(inputs), inputs.supplement.confirmed) for chapter in CHAPTERS)
    return ApDraft(
        incident_id=i.id, short_id=short_id(i.id), title=dutch.incident_title(i.rule_ids, i.asset),
        organisation=inputs.organisation.name, follow_up=inputs.follow_up, meldnummer=i.meldnummer,
        generated_at=when(inputs.now), deadline=deadline_view(i.became_aware_at, now=inputs.now),
        chapters=chapters, rationale=dutch.rationale(inputs.assessment) if inputs.assessment else (),
        warnings=incident_warnings(i, now=inputs.now, supplement=inputs.supplement),
    )


def _confirm(chapter: Chapter, confirmed: frozenset[str]) -> Chapter:
    answers = tuple(replace(a, confirmed=True) if a.provenance is Provenance.DERIVED and a.number in confirmed
                    else a for a in chapter.answers)
    return replace(chapter, answers=answers)


def incident_warnings(incident: Incident, *, now: datetime,
                      supplement: DraftSupplement | None = None) -> tuple[str, ...]:
    """Time inconsistencies among first detection, start, end (recorded, or derived as in 4.1.2) and awareness;
    the draft, the console and the CLI show the same list."""
    s = supplement or DraftSupplement()
    derived_end = incident.last_activity_at if not s.ongoing and contained(incident) else None
    found = time_warnings(first_event_at=incident.opened_at, became_aware_at=incident.became_aware_at, now=now,
                          started_at=s.started_at, ended_at=s.ended_at or derived_end)
    return tuple(w.text for w in found)


def missing_answers(draft: ApDraft) -> list[str]:
    """Missing answers: ``"<number> <question>: <what is needed>"``."""
    return [f"{a.number} {a.question}" + (f": {a.note}" if a.note else "") for a in draft.missing]


def completeness(draft: ApDraft) -> list[str]:
    """The completeness check as lines: time warnings, missing answers, derived answers to confirm."""
    return [*(f"tijdlijn: {w}" for w in draft.warnings), *(f"ontbreekt: {line}" for line in missing_answers(draft)),
            *(f"te bevestigen: {a.number} {a.question}" for a in draft.unconfirmed)]
