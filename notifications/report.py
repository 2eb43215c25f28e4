"""The AP notification draft (meldformulier datalekken, chapters 1-10) and its completeness check. Pure.

Every answer carries its provenance (recorded / derived / missing). ``ApDraft.missing`` is the list the FG
works through before filing; datalek never files anything itself (the AP accepts only its online form).
Question numbers follow ``shared/reference/ap_form.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from incidents.assessment import DEFAULT_THRESHOLD, Threshold, assess
from incidents.model import Incident
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
from notifications.ap_intro import chapter_1, chapter_2, chapter_3, chapter_4
from notifications.organisation import Organisation

CHAPTERS = (chapter_1, chapter_2, chapter_3, chapter_4, chapter_5, chapter_6, chapter_7, chapter_8, chapter_9,
            chapter_10)
AP_FORM_URL = "https://datalekken.autoriteitpersoonsgegevens.nl"


@dataclass(frozen=True, slots=True)
class ApDraft:
    """The filled-in AP form for one incident, ready to render (Markdown, HTML) or check."""

    incident_id: str
    short_id: str
    title: str  # the incident's internal title, shown to the FG; it is not an answer to the form
    organisation: str
    follow_up: FollowUp | None
    meldnummer: str | None
    generated_at: str
    deadline: DeadlineView | None
    chapters: tuple[Chapter, ...]
    rationale: tuple[str, ...]  # the assessment's factors (English, from the assessment core)
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
        """Answers datalek derived, which the FG should confirm."""
        return tuple(a for a in self.answers if a.provenance is Provenance.DERIVED)

    @property
    def complete(self) -> bool:
        return not self.missing


def draft_inputs(incident: Incident, *, organisation: Organisation, now: datetime,
                 supplement: DraftSupplement | None = None, follow_up: FollowUp | None = None,
                 threshold: Threshold = DEFAULT_THRESHOLD) -> DraftInputs:
    """Collect what every draft is built from; the assessment is computed from the incident's facts."""
    assessment = assess(incident.facts, threshold=threshold) if incident.facts else None
    return DraftInputs(incident, organisation, supplement or DraftSupplement(), assessment, now, follow_up)


def build_ap_draft(inputs: DraftInputs) -> ApDraft:
    """Answer every question of chapters 1-10 from the inputs."""
    i = inputs.incident
    rationale = tuple(f.text for f in inputs.assessment.proposal.rationale) if inputs.assessment else ()
    return ApDraft(
        incident_id=i.id, short_id=short_id(i.id), title=i.title, organisation=inputs.organisation.name,
        follow_up=inputs.follow_up, meldnummer=i.meldnummer, generated_at=when(inputs.now),
        deadline=deadline_view(i.became_aware_at, now=inputs.now),
        chapters=tuple(chapter(inputs) for chapter in CHAPTERS), rationale=rationale,
    )


def missing_answers(draft: ApDraft) -> list[str]:
    """The completeness check: ``"<number> <question>: <what is needed>"`` for each missing answer."""
    return [f"{a.number} {a.question}" + (f": {a.note}" if a.note else "") for a in draft.missing]
