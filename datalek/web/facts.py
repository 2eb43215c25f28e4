"""GET/POST /incidents/{ref}/facts: the questionnaire page and recording its answers (``record_facts``)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from datalek.web import i18n, questionnaire
from datalek.web.console import REF, Console, user
from incidents import services
from incidents import workflow as wf
from incidents.assessment import BreachFacts
from incidents.errors import IncidentError
from incidents.model import Incident


class Facts:
    def __init__(self, console: Console) -> None:
        self.c = console

    def _page(self, incident: Incident, values: Mapping[str, Any], *, marked: frozenset[str],
              errors: Mapping[str, str], status: int = 200) -> web.Response:
        return self.c.page("facts", {"i": {"id": incident.id, "short_id": incident.id[:8], "title": incident.title},
                                     "questions": questionnaire.view(values, lang=self.c.lang()),
                                     "marked": marked, "errors": errors}, status=status)

    async def form(self, request: web.Request) -> web.Response:
        incident, _ = await asyncio.to_thread(self.c.read, request.match_info["ref"], user(), "web.facts.viewed")
        values, marked = questionnaire.starting_values(incident)
        return self._page(incident, values, marked=marked, errors={})

    async def record(self, request: web.Request) -> web.Response:
        ref = request.match_info["ref"]
        answers, errors = questionnaire.parse(await request.post(), lang=self.c.lang())
        if errors:
            incident, _ = await asyncio.to_thread(self.c.read, ref, user(), "web.facts.rejected")
            return self._page(incident, answers, marked=frozenset(), errors=errors, status=422)
        facts, now = BreachFacts.from_dict(answers), self.c.clock()
        try:
            incident = await asyncio.to_thread(
                services.act, self.c.container.uow(), ref, actor_name=user().name, now=now,
                step=lambda i, a: wf.record_facts(i, facts, at=now, actor=a))
        except IncidentError as e:
            status = 403 if isinstance(e, wf.NotPermitted) else 422
            return self.c.page("problem", {"problem": str(e), "kind": i18n.refusal(e, self.c.lang()), "ref": ref},
                               status=status)
        raise web.HTTPSeeOther(f"/incidents/{incident.id}")


def add_routes(router: web.UrlDispatcher, console: Console) -> None:
    f = Facts(console)
    router.add_get(f"/incidents/{{ref:{REF}}}/facts", f.form, name="facts_form")
    router.add_post(f"/incidents/{{ref:{REF}}}/facts", f.record, name="facts")
