"""Workflow steps as forms: which steps a role may take in a state (from the core's table), and the handlers
that parse a form, call ``services.act`` with the workflow function, and redirect. Same authorisation as the
CLI: the workflow functions check the role; every step is audited under the person."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from datalek.web import i18n
from datalek.web.console import REF, Console, user
from incidents import services
from incidents import workflow as wf
from incidents.assessment import assess, deadlines, override
from incidents.assessment.decision import accept
from incidents.errors import IncidentError
from incidents.model import Incident, Status

S = Status
Form = MultiDictProxy[Any]
_BY_TARGET = {S.TRIAGE: "triage", S.DISMISSED: "dismiss", S.CONFIRMED: "confirm", S.ASSESSING: "facts",
              S.DECIDED: "decide", S.REPORTED: "report", S.SUBJECTS_INFORMED: "inform", S.CLOSED: "close"}


def available(incident: Incident, role: wf.Role, *, now: datetime) -> list[dict[str, Any]]:
    """The steps ``role`` may take on ``incident`` now, in the order of the workflow table."""
    status = incident.status
    targets = [to for to in S if to in wf.ALLOWED[status] and role in wf.ROLES[to]]
    names = ["reopen" if to is S.TRIAGE and status is S.DISMISSED else _BY_TARGET[to] for to in targets]
    if status is S.ASSESSING and role in wf.ROLES[S.ASSESSING]:
        names.insert(0, "facts")
    if status is S.ASSESSING and incident.facts is None and "decide" in names:
        names.remove("decide")  # the proposal needs the facts first
    d = incident.decision  # steps the decision does not call for are not offered (the guards would refuse them)
    if d is not None and not d.notify_regulator and "report" in names:
        names.remove("report")
    if d is not None and not (d.notify_subjects or d.public_communication) and "inform" in names:
        names.remove("inform")
    if incident.meldnummer and role is wf.Role.PRIVACY_OFFICER:
        names.append("follow_up")
    overdue = incident.became_aware_at is not None and deadlines.is_overdue(incident.became_aware_at, now=now)
    return [{"name": n, "overdue": overdue} for n in names]


class BadInput(ValueError):
    """A form value cannot be read; the message says which and how."""


def moment(value: str, *, field: str) -> datetime | None:
    """A time from a form: ``datetime-local`` (read in Europe/Amsterdam) or ISO 8601 with offset; empty: None."""
    text = value.strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{field}: {text!r} is not a time such as 2026-11-20T09:30") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=deadlines.AMSTERDAM)


def _text(form: Form, name: str) -> str:
    return str(form.get(name, ""))


def _move(to: Status, form: Form, now: datetime) -> services.Step:
    reason = _text(form, "reason")
    return lambda i, a: wf.transition(i, to, at=now, actor=a, reason=reason)


def _confirm(form: Form, now: datetime) -> services.Step:
    aware, before = moment(_text(form, "aware_at"), field="aware_at"), bool(form.get("before_detection"))
    return lambda i, a: wf.confirm(i, at=now, actor=a, reason=_text(form, "reason"), became_aware_at=aware,
                                   before_detection=before)


def _decide(form: Form, now: datetime) -> services.Step:
    choice, reason = _text(form, "choice"), _text(form, "reason")

    def step(i: Incident, a: wf.Actor) -> tuple[Incident, wf.StatusChanged]:
        if i.facts is None:
            raise wf.MissingInformation("record the facts first")
        proposal = assess(i.facts).proposal
        if choice != "override":
            return wf.decide(i, accept(proposal, actor=a.name, reason=reason), at=now, actor=a)
        decision = override(proposal, actor=a.name, reason=reason, notify_regulator=form.get("notify_ap") == "yes",
                            notify_subjects=form.get("notify_subjects") == "yes")
        return wf.decide(i, decision, at=now, actor=a)

    return step


def _report(form: Form, now: datetime) -> services.Step:
    when = moment(_text(form, "reported_at"), field="reported_at") or now
    return lambda i, a: wf.report(i, meldnummer=_text(form, "meldnummer"), reported_at=when, at=now, actor=a,
                                  delay_reason=_text(form, "delay_reason"))


def _inform(form: Form, now: datetime) -> services.Step:
    when = moment(_text(form, "informed_at"), field="informed_at") or now
    return lambda i, a: wf.inform_subjects(i, informed_at=when, at=now, actor=a)


def _follow_up(form: Form, now: datetime) -> services.Step:
    try:
        kind = wf.FollowUpKind(_text(form, "kind"))
    except ValueError:
        raise BadInput("kind: choose supplement, amend or withdraw") from None
    return lambda i, a: (i, wf.follow_up(i, kind=kind, text=_text(form, "text"), at=now, actor=a))


STEPS: Mapping[str, Callable[[Form, datetime], services.Step]] = {
    "triage": lambda f, now: _move(S.TRIAGE, f, now), "reopen": lambda f, now: _move(S.TRIAGE, f, now),
    "dismiss": lambda f, now: _move(S.DISMISSED, f, now), "confirm": _confirm, "decide": _decide,
    "report": _report, "inform": _inform, "close": lambda f, now: _move(S.CLOSED, f, now),
    "follow_up": _follow_up,
}


class Actions:
    def __init__(self, console: Console) -> None:
        self.c = console

    async def act(self, request: web.Request) -> web.Response:
        """POST /incidents/{ref}/act/{step}: parse, call the service, redirect to the incident (or say why not)."""
        ref, name = request.match_info["ref"], request.match_info["step"]
        form = await request.post()
        now = self.c.clock()
        try:
            step = STEPS[name](form, now)
            incident = await asyncio.to_thread(services.act, self.c.container.uow(), ref, actor_name=user().name,
                                               now=now, step=step)
        except wf.NotPermitted as e:
            return self.refused(ref, e, status=403)
        except (IncidentError, ValueError) as e:
            return self.refused(ref, e, status=422)
        raise web.HTTPSeeOther(f"/incidents/{incident.id}")

    def refused(self, ref: str, e: Exception, *, status: int) -> web.Response:
        return self.c.page("problem", {"problem": str(e), "kind": i18n.refusal(e, self.c.lang()), "ref": ref,
                                       "title": "refused"}, status=status)


def add_routes(router: web.UrlDispatcher, console: Console) -> None:
    a = Actions(console)
    steps = "|".join(STEPS)
    router.add_post(f"/incidents/{{ref:{REF}}}/act/{{step:{steps}}}", a.act, name="act")
