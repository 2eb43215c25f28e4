"""`datalek draft ID --kind ap|subjects --format md|html|json`: the drafts for one incident, as text.

The CLI loads the incident and the organisation and calls ``draft_command``; this module does no I/O.
``register`` is the breach register export (issue 3) and is not produced here.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from incidents.assessment import DEFAULT_THRESHOLD, Threshold
from incidents.model import Incident
from notifications.answers import DraftInputs, DraftSupplement, FollowUp
from notifications.edpb import edpb_export
from notifications.errors import DraftError
from notifications.notice import build_subject_notice
from notifications.organisation import Organisation
from notifications.rendering import Format, TemplateName, render_document
from notifications.report import ApDraft, build_ap_draft, draft_inputs

E = TypeVar("E", bound=StrEnum)


class DraftKind(StrEnum):
    AP = "ap"
    SUBJECTS = "subjects"
    REGISTER = "register"


def draft_command(incident: Incident, *, kind: str, fmt: str, organisation: Organisation, now: datetime,
                  supplement: DraftSupplement | None = None, follow_up: str | None = None, lang: str = "nl",
                  threshold: Threshold = DEFAULT_THRESHOLD) -> str:
    """The draft of ``kind`` in ``fmt``. A follow-up (vervolgmelding) is the default once a meldnummer exists.

    Raises ``DraftError`` for an unknown kind, format, follow-up or language.
    """
    draft_kind, out = _choice(DraftKind, kind, "kind"), _choice(Format, fmt, "format")
    chosen = _choice(FollowUp, follow_up, "follow-up") if follow_up else None
    if chosen is None and incident.meldnummer:
        chosen = FollowUp.SUPPLEMENT
    inputs = draft_inputs(incident, organisation=organisation, now=now, supplement=supplement,
                          follow_up=chosen, threshold=threshold)
    if draft_kind is DraftKind.AP:
        return _ap(inputs, out)
    if draft_kind is DraftKind.SUBJECTS:
        return _subjects(inputs, out, lang)
    raise DraftError("the register export is `datalek register export` (breach register, Art. 33(5))")


def _choice(kind: type[E], value: str, what: str) -> E:
    try:
        return kind(value)
    except ValueError:
        allowed = "|".join(m.value for m in kind)
        raise DraftError(f"unknown {what} {value!r}: use {allowed}") from None


def _ap(inputs: DraftInputs, fmt: Format) -> str:
    draft = build_ap_draft(inputs)
    if fmt is Format.JSON:
        return _json({**edpb_export(inputs, draft), "ap_form": ap_answers_json(draft)})
    title = f"Concept-melding datalek {draft.short_id} - {draft.organisation}"
    return render_document(TemplateName.AP_DRAFT, {"d": draft}, fmt=fmt, title=title, lang="nl")


def ap_answers_json(draft: ApDraft) -> list[dict[str, Any]]:
    """The AP answers in form order with their provenance."""
    return [{"number": a.number, "question": a.question, "answer": list(a.lines),
             "provenance": a.provenance.value, "confirmed": a.confirmed, "note": a.note} for a in draft.answers]


def _subjects(inputs: DraftInputs, fmt: Format, lang: str) -> str:
    if lang not in ("nl", "en"):
        raise DraftError(f"unknown language {lang!r}: use nl|en")
    notice = build_subject_notice(inputs, lang=lang)
    if fmt is Format.JSON:
        return _json(asdict(notice))
    template = TemplateName.SUBJECTS_NL if lang == "nl" else TemplateName.SUBJECTS_EN
    title = {"nl": "Mededeling datalek", "en": "Data breach notice"}[lang] + f" - {notice.organisation}"
    return render_document(template, {"n": notice}, fmt=fmt, title=title, lang=lang)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
