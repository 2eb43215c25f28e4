"""What the pages show of an incident: the list row, the 72-hour clock banner and the detail. Pure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from datalek.web import i18n, readable
from incidents.assessment import assess, deadlines
from incidents.model import UNKNOWN_ASSET_NOTE, Incident
from notifications import dutch, enisa_nl
from notifications.answers import DraftSupplement
from notifications.report import incident_warnings

URGENT = timedelta(hours=24)  # the clock is highlighted when less than this is left


def when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _span(clock: deadlines.Clock, lang: str) -> str:
    """Time left or overdue: "nog 3 uur 12 min", "te laat met 3 uur" (Dutch); "3h 12m left" (English)."""
    t = i18n.translator(lang)
    hours, minutes = divmod(int(abs(clock.time_left.total_seconds()) // 60), 60)
    if lang != "nl":
        span = f"{hours}h {minutes:02d}m"
        return f"{t('overdue_by')} {span}" if clock.overdue else f"{span} {t('left')}"
    span = " ".join([f"{hours} uur"] * bool(hours) + [f"{minutes} min"] * bool(minutes or not hours))
    return f"{t('overdue_by')} {span}" if clock.overdue else f"nog {span}"


def clock_state(i: Incident, *, now: datetime, lang: str = "en") -> str:
    """The Art. 33 72-hour clock in a few words, for the list."""
    return str(clock_banner(i, now=now, lang=lang)["text"])


def clock_banner(i: Incident, *, now: datetime, lang: str = "en") -> dict[str, Any]:
    """The clock at the top of the incident page: text, deadline in Europe/Amsterdam and a level for colour
    (``overdue``, ``urgent`` under 24 hours, ``running``, ``done``, ``idle``)."""
    t = i18n.translator(lang)
    if i.became_aware_at is None:
        return {"text": t("not_started"), "deadline": None, "level": "idle"}
    deadline = deadlines.format_amsterdam(deadlines.regulator_deadline(i.became_aware_at))
    if i.reported_at is not None:
        late = deadlines.is_late(i.became_aware_at, reported_at=i.reported_at)
        return {"text": t("reported_late" if late else "reported_in_time"), "deadline": deadline, "level": "done"}
    if i.decision is not None and not i.decision.notify_regulator:
        return {"text": t("no_notification"), "deadline": deadline, "level": "done"}
    clock = deadlines.regulator_clock(i.became_aware_at, now=now)
    level = "overdue" if clock.overdue else "urgent" if clock.time_left < URGENT else "running"
    return {"text": _span(clock, lang), "deadline": deadline, "level": level}


def _clock(name: str, clock: deadlines.Clock, lang: str) -> dict[str, Any]:
    local = deadlines.format_amsterdam
    return {"name": name, "started": when(clock.started_at), "started_local": local(clock.started_at),
            "deadline": when(clock.deadline), "deadline_local": local(clock.deadline), "state": _span(clock, lang),
            "overdue": clock.overdue}


def summary(i: Incident, *, now: datetime, lang: str = "en") -> dict[str, Any]:
    """What the list shows of one incident."""
    heading = dutch.incident_title(i.rule_ids, i.asset) if lang == "nl" and i.rule_ids else i.title
    return {"id": i.id, "short_id": i.id[:8], "title": i.title, "heading": heading, "status": i.status.value,
            "status_text": i18n.status(i.status.value, lang), "opened": when(i.opened_at),
            "asset": i.asset or "-", "rules": ", ".join(i.rule_ids), "events": len(i.event_ids),
            "severity_hints": ", ".join(i18n.choice(h, lang) for h in sorted(i.severity_hints)) or "-",
            "clock": clock_state(i, now=now, lang=lang), "banner": clock_banner(i, now=now, lang=lang)}


def detail(i: Incident, trail: list[dict[str, Any]], *, now: datetime, lang: str = "en",
           supplement: DraftSupplement | None = None) -> dict[str, Any]:
    """What the detail page shows: timeline (with its consistency warnings, as in the AP draft), facts,
    assessment, decision, clocks, evidence counts, audit trail."""
    t = i18n.translator(lang)
    moments = [("opened", i.opened_at), ("last_activity", i.last_activity_at), ("became_aware", i.became_aware_at),
               ("decided", i.decided_at), ("reported", i.reported_at),
               ("subjects_informed", i.subjects_informed_at), ("closed", i.closed_at)]
    clocks = []
    if i.became_aware_at and i.reported_at is None:
        clocks.append(_clock(t("clock_art33"), deadlines.regulator_clock(i.became_aware_at, now=now), lang))
    if i.decision and i.decided_at and i.decision.notify_subjects and i.subjects_informed_at is None:
        clocks.append(_clock(t("clock_art34"), deadlines.subject_clock(i.decided_at, now=now), lang))
    return {**summary(i, now=now, lang=lang), "entity": i.entity, "related_to": i.related_to,
            "meldnummer": i.meldnummer, "delay_reason": i.delay_reason,
            "breach_types": ", ".join(i18n.choice(b, lang) for b in sorted(i.breach_types)),
            "timeline": [{"what": t(f"moment_{w}"), "utc": when(m), "local": deadlines.format_amsterdam(m)}
                         for w, m in moments if m is not None],
            "facts": readable.facts(i.facts.to_dict(), lang) if i.facts else None,
            "assessment": assess(i.facts).to_dict() if i.facts else None,
            "explained": explained(i, lang),
            "decision": i.decision.to_dict() if i.decision else None, "clocks": clocks,
            "detections": len(i.detection_keys), "trail": readable.trail(trail, lang),
            "asset_note": None if i.asset_known else UNKNOWN_ASSET_NOTE, "affected": i.affected.to_dict(),
            "time_warnings": incident_warnings(i, now=now, supplement=supplement)}


def explained(i: Incident, lang: str) -> dict[str, Any] | None:
    """The proposal in the page's language: severity level, the ENISA computation and each reason of the
    rationale (Dutch: the texts of the AP draft's appendix), keyed by the stable factor code."""
    if not i.facts:
        return None
    a = assess(i.facts)
    if lang != "nl":
        return {"level": a.severity.level.value, "method": None, "risk": a.proposal.risk.value,
                "components": {c.code: c.reason for c in (a.severity.dpc, a.severity.ei, a.severity.cb)},
                "reasons": [(f.code.value, f.text) for f in a.proposal.rationale]}
    return {"level": dutch.SEVERITY[a.severity.level], "method": dutch.method(a), "risk": dutch.RISK[a.proposal.risk],
            "components": enisa_nl.components(a),
            "reasons": list(zip((f.code.value for f in a.proposal.rationale), dutch.rationale(a), strict=True))}
