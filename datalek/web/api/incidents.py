"""Incidents over JSON: list, get, workflow steps, facts, the decision, drafts and the breach register.

The steps are the console's (``actions.STEPS``, the same parsers and workflow functions) fed from a JSON
object; reads and exports are audited under the person as ``api.*``, steps by ``services.act``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from aiohttp import web
from multidict import MultiDict, MultiDictProxy

from datalek.web import actions
from datalek.web import register as register_page
from datalek.web.api.base import ApiError, ApiGuard, answer, json_object, refusal
from datalek.web.console import REF, Console
from datalek.web.drafts import Drafts
from incidents import register, services
from incidents import workflow as wf
from incidents.assessment import BreachFacts, assess, deadlines
from incidents.assessment import facts as facts_core
from incidents.errors import IncidentError
from incidents.model import Incident
from incidents.persistence import audit
from incidents.persistence.users import Scope
from notifications.errors import NotificationError

# The fields each step reads (the console's form fields); others are refused, so a typo is not lost silently.
FIELDS: Mapping[str, frozenset[str]] = {
    "triage": frozenset({"reason"}), "reopen": frozenset({"reason"}), "dismiss": frozenset({"reason"}),
    "confirm": frozenset({"reason", "aware_at", "before_detection"}),
    "report": frozenset({"meldnummer", "reported_at", "delay_reason"}), "inform": frozenset({"informed_at"}),
    "close": frozenset({"reason"}), "follow_up": frozenset({"kind", "text"}),
}
DECISION = frozenset({"choice", "reason", "notify_ap", "notify_subjects"})
DRAFT_TYPES = {"md": "text/markdown", "html": "text/html", "json": "application/json"}


def form(body: Mapping[str, Any], known: frozenset[str]) -> MultiDictProxy[str]:
    """A JSON object as the console's form values: text as is, numbers as text, true as "yes", false/null empty."""
    unknown = sorted(set(body) - known)
    if unknown:
        raise ApiError(400, f"unknown field {unknown[0]!r} (known: {', '.join(sorted(known))})")
    values: MultiDict[str] = MultiDict()
    for key, value in body.items():
        if isinstance(value, bool) or value is None:
            values[key] = "yes" if value else ""
        elif isinstance(value, str | int | float):
            values[key] = str(value)
        else:
            raise ApiError(400, f"{key}: expected text, a number or true/false")
    return MultiDictProxy(values)


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def brief(i: Incident) -> dict[str, Any]:
    """An incident in the list."""
    deadline = deadlines.regulator_deadline(i.became_aware_at) if i.became_aware_at else None
    return {"id": i.id, "title": i.title, "status": i.status.value, "opened_at": _when(i.opened_at),
            "asset": i.asset, "rule_ids": list(i.rule_ids), "severity_hints": sorted(i.severity_hints),
            "became_aware_at": _when(i.became_aware_at), "regulator_deadline": _when(deadline)}


def detail(i: Incident, trail: list[dict[str, Any]], *, role: wf.Role, now: datetime) -> dict[str, Any]:
    """The register entry, the assessment of the facts (proposal first) and the steps this role may take now."""
    steps = [s["name"] for s in actions.available(i, role, now=now)]
    return {**register.entry(i, trail), **brief(i), "assessment": assess(i.facts).to_dict() if i.facts else None,
            "steps": steps}


class IncidentsApi:
    def __init__(self, console: Console) -> None:
        self.c = console
        self.drafts = Drafts(console)

    async def list(self, request: web.Request, person: wf.Actor) -> web.Response:
        return answer({"incidents": await asyncio.to_thread(self._list)})

    def _list(self) -> list[dict[str, Any]]:
        with self.c.container.uow() as uow:
            return [brief(i) for i in uow.incidents.list(limit=None)]

    async def get(self, request: web.Request, person: wf.Actor) -> web.Response:
        incident, trail = await asyncio.to_thread(self.c.read, request.match_info["ref"], person, "api.viewed")
        return answer(detail(incident, trail, role=person.role, now=self.c.clock()))

    async def transition(self, request: web.Request, person: wf.Actor) -> web.Response:
        body = await json_object(request)
        name = body.pop("step", None)
        if not isinstance(name, str) or name not in FIELDS:
            raise ApiError(400, f"step: one of {', '.join(FIELDS)} (the decision is POST .../decision)")
        now = self.c.clock()
        return await self._act(request, person, lambda: actions.STEPS[name](form(body, FIELDS[name]), now), now)

    async def decision(self, request: web.Request, person: wf.Actor) -> web.Response:
        values, now = form(await json_object(request), DECISION), self.c.clock()
        if values.get("choice", "accept") not in ("accept", "override"):
            raise ApiError(400, "choice: accept (the proposal) or override (with notify_ap, notify_subjects, "
                                "reason)")
        return await self._act(request, person, lambda: actions.STEPS["decide"](values, now), now)

    async def facts(self, request: web.Request, person: wf.Actor) -> web.Response:
        """PUT or POST the facts JSON (the format of `datalek assess`); every problem is reported at once."""
        body, now = await json_object(request), self.c.clock()
        found = facts_core.problems(body)
        if found:
            raise ApiError(400, "the facts are not valid", problems={p.field: p.problem for p in found})

        def step() -> services.Step:
            recorded = BreachFacts.from_dict(body)
            return lambda i, a: wf.record_facts(i, recorded, at=now, actor=a)

        return await self._act(request, person, step, now, audit_as="facts.recorded")

    async def _act(self, request: web.Request, person: wf.Actor, make_step: Any, now: datetime, *,
                   audit_as: str | None = None) -> web.Response:
        """Run the step for the person as the console does (``services.act``); answer the incident as it is now."""
        try:
            step = make_step()
            incident = await asyncio.to_thread(services.act, self.c.container.uow(), request.match_info["ref"],
                                               actor_name=person.name, now=now, step=step, audit_as=audit_as)
        except (IncidentError, ValueError) as e:
            raise refusal(e) from e
        trail = await asyncio.to_thread(self._trail, incident.id)
        return answer(detail(incident, trail, role=person.role, now=now))

    def _trail(self, incident_id: str) -> list[dict[str, Any]]:
        with self.c.container.session_factory() as session:
            return audit.trail(session, incident_id)

    async def draft(self, request: web.Request, person: wf.Actor) -> web.Response:
        """GET .../drafts/{kind}?format=json|md|html&notice=nl|en (audited as api.draft.KIND)."""
        kind, fmt, notice = request.match_info["kind"], request.query.get("format", "json"), \
            request.query.get("notice", "nl")
        if fmt not in DRAFT_TYPES or notice not in ("nl", "en"):
            raise ApiError(400, "format: json, md or html; notice: nl or en")
        incident, _ = await asyncio.to_thread(self.c.read, request.match_info["ref"], person,
                                              f"api.draft.{kind}")
        try:
            document = await asyncio.to_thread(self.drafts.document, incident, kind, fmt, notice)
        except NotificationError as e:
            raise ApiError(409, str(e)) from e
        return web.Response(text=document, content_type=DRAFT_TYPES[fmt])

    async def register(self, request: web.Request, person: wf.Actor) -> web.Response:
        """GET /api/v1/register?format=json|csv|xlsx: every incident (Art. 33(5)); audited per incident."""
        fmt = request.query.get("format", "json")
        if fmt not in ("json", "csv", "xlsx"):
            raise ApiError(400, "format: json, csv or xlsx")
        entries = await asyncio.to_thread(self.c.register, person, "api.register.exported")
        return await asyncio.to_thread(register_page.export, entries, fmt)


def add_routes(router: web.UrlDispatcher, console: Console, guard: ApiGuard) -> None:
    a, one = IncidentsApi(console), f"/api/v1/incidents/{{ref:{REF}}}"
    read, act = (lambda h: guard.scoped(Scope.READ, h)), (lambda h: guard.scoped(Scope.WORKFLOW, h))
    router.add_get("/api/v1/incidents", read(a.list), name="api.incidents", allow_head=False)
    router.add_get(one, read(a.get), name="api.incident", allow_head=False)
    router.add_post(f"{one}/transitions", act(a.transition), name="api.transitions")
    facts = router.add_resource(f"{one}/facts", name="api.facts")
    facts.add_route("PUT", act(a.facts))
    facts.add_route("POST", act(a.facts))
    router.add_post(f"{one}/decision", act(a.decision), name="api.decision")
    router.add_get(f"{one}/drafts/{{kind:ap|subjects}}", read(a.draft), name="api.draft", allow_head=False)
    router.add_get("/api/v1/register", read(a.register), name="api.register", allow_head=False)
