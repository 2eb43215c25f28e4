"""Building blocks of the regulator drafts: answers with provenance, and the inputs they are built from. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from incidents.assessment import Assessment
from incidents.assessment.deadlines import format_amsterdam
from incidents.model import Incident
from notifications.alerts import format_utc
from notifications.organisation import Organisation


class Provenance(StrEnum):
    """Where an answer came from (OpenVWR's RECORDED / DERIVED / MISSING)."""

    RECORDED = "recorded"  # entered by a person: incident, facts, decision, organisation config, supplement
    DERIVED = "derived"  # computed by datalek from recorded data; the FG confirms it
    MISSING = "missing"  # not known yet; the FG must supply it before filing


PROVENANCE_NL = {Provenance.RECORDED: "vastgelegd", Provenance.DERIVED: "afgeleid: controleren",
                 Provenance.MISSING: "ontbreekt"}
CONFIRMED_NL = "afgeleid, bevestigd door de FG"


class FollowUp(StrEnum):
    """Kinds of vervolgmelding (AP: aanvullen, aanpassen, intrekken)."""

    SUPPLEMENT = "supplement"
    AMEND = "amend"
    WITHDRAW = "withdraw"

    @property
    def text_nl(self) -> str:
        return {"supplement": "aanvullen", "amend": "aanpassen", "withdraw": "intrekken"}[self.value]


@dataclass(frozen=True, slots=True)
class Answer:
    """One question of the form with its answer lines, provenance and a note for the FG."""

    number: str
    question: str
    lines: tuple[str, ...]
    provenance: Provenance
    note: str = ""
    confirmed: bool = False  # a derived answer the FG confirmed (``DraftSupplement.confirmed``)

    @property
    def provenance_nl(self) -> str:
        return CONFIRMED_NL if self.is_done and self.provenance is Provenance.DERIVED else PROVENANCE_NL[
            self.provenance]

    @property
    def is_done(self) -> bool:
        """Counts as answered: recorded, or derived and confirmed by the FG."""
        return self.provenance is Provenance.RECORDED or (self.provenance is Provenance.DERIVED and self.confirmed)


@dataclass(frozen=True, slots=True)
class Chapter:
    number: int
    title: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True, slots=True)
class DraftSupplement:
    """Answers the incident does not hold, given by the FG for a draft. ``None``: not given (missing).

    Empty tuples mean "none" (e.g. ``other_supervisors=()`` answers 1.3 with "Nee").
    """

    other_supervisors: tuple[str, ...] | None = None  # AP 1.3
    other_dpas: str | None = None  # AP 2.2.1
    other_organisations: str | None = None  # AP 3.3 (processor, joint controller, recipient)
    started_at: datetime | None = None  # AP 4.1.1
    ended_at: datetime | None = None  # AP 4.1.2
    ongoing: bool | None = None  # AP 4.1.2: still going on
    how_discovered: str | None = None  # AP 4.3
    incident_type_other: str | None = None  # AP 5.2 "Overig, namelijk"
    summary: str | None = None  # AP 5.3
    records_explanation: str | None = None  # AP 6.3.1 toelichting
    subject_description: str | None = None  # AP 7.2
    protection_explanation: str | None = None  # AP 8.1 toelichting op de techniek
    consequences_controller: tuple[str, ...] | None = None  # AP 9.1
    consequences_subjects: tuple[str, ...] | None = None  # AP 9.2
    subjects_informed_count: int | None = None  # AP 10.1.3
    subjects_informed_means: tuple[str, ...] | None = None  # AP 10.1.7
    withdraw_reason: str | None = None  # vervolgmelding "intrekken"
    police_report: bool | None = None  # EDPB field 109
    confirmed: frozenset[str] = frozenset()  # question numbers of derived answers the FG confirmed


@dataclass(frozen=True, slots=True)
class DraftInputs:
    """Everything a draft is built from: domain objects only, never database rows."""

    incident: Incident
    organisation: Organisation
    supplement: DraftSupplement
    assessment: Assessment | None
    now: datetime
    follow_up: FollowUp | None = None


def recorded(number: str, question: str, lines: tuple[str, ...] | str, note: str = "") -> Answer:
    return Answer(number, question, _lines(lines), Provenance.RECORDED, note)


def derived(number: str, question: str, lines: tuple[str, ...] | str, note: str = "") -> Answer:
    return Answer(number, question, _lines(lines), Provenance.DERIVED, note)


def missing(number: str, question: str, note: str = "", lines: tuple[str, ...] | str = ()) -> Answer:
    return Answer(number, question, _lines(lines), Provenance.MISSING, note)


def _lines(lines: tuple[str, ...] | str) -> tuple[str, ...]:
    return (lines,) if isinstance(lines, str) else tuple(lines)


def when(moment: datetime) -> str:
    """A moment in UTC and in Dutch local time: ``2026-11-20 09:12 UTC (2026-11-20 10:12 CET)``."""
    return f"{format_utc(moment)} ({format_amsterdam(moment)})"


def yes_no(value: bool) -> str:
    return "ja" if value else "nee"
