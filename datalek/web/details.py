"""Details the drafts need beyond the incident, kept in the console: the FG's supplementary answers per incident
(AP 1.3, 3.3, 4.1, 4.3, 5.3, 6.3.1, 7.2, 8.1, and which derived answers the FG confirmed) and the organisation's
details (an admin). Stored as strings; read into ``DraftSupplement`` and ``Organisation`` when a draft is made."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from aiohttp import web

from datalek.web.actions import BadInput, moment
from datalek.web.console import REF, Console, user
from incidents.errors import IncidentError
from incidents.persistence import documents
from incidents.workflow import NotPermitted
from notifications.answers import DraftSupplement
from notifications.organisation import Organisation

SUPPLEMENT: tuple[tuple[str, str, str], ...] = (  # (field, AP question, kind)
    ("other_supervisors", "1.3 Andere toezichthouders (één per regel; 'nee' als geen)", "lines"),
    ("other_organisations", "3.3 Andere betrokken organisaties (verwerker, ontvanger)", "text"),
    ("started_at", "4.1.1 Begin van de inbreuk (Europe/Amsterdam)", "moment"),
    ("ended_at", "4.1.2 Einde van de inbreuk (Europe/Amsterdam)", "moment"),
    ("ongoing", "4.1.2 Duurt de inbreuk nog voort?", "tristate"),
    ("how_discovered", "4.3 Hoe is de inbreuk ontdekt?", "text"),
    ("summary", "5.3 Samenvatting van het incident", "text"),
    ("records_explanation", "6.3.1 Toelichting op het aantal records", "text"),
    ("subject_description", "7.2 Omschrijving van de betrokkenen", "text"),
    ("protection_explanation", "8.1 Toelichting op de beveiliging", "text"),
    ("confirmed", "Afgeleide antwoorden die de FG heeft gecontroleerd en bevestigt (vraagnummers, bijv. 4.1.1, 5.3)",
     "numbers"),
)
_NUMBER = re.compile(r"\d+(\.\d+)*[a-e]?")
ORGANISATION: tuple[tuple[str, str], ...] = (
    ("address", "adres"), ("kvk", "KvK-nummer"), ("sector", "sector (AP 3.1.2)"),
    ("fg_registration_number", "registratienummer FG bij de AP"),
    ("reporter.name", "melder: naam"), ("reporter.function", "melder: functie"),
    ("reporter.email", "melder: e-mail"), ("reporter.phone", "melder: telefoon"),
    ("contact.name", "contactpersoon: naam"), ("contact.function", "contactpersoon: functie"),
    ("contact.email", "contactpersoon: e-mail"), ("contact.phone", "contactpersoon: telefoon"),
)


def read_supplement(data: Mapping[str, str]) -> DraftSupplement:
    """The stored answers as the drafts take them; empty means not given (the draft marks it missing)."""
    values: dict[str, Any] = {}
    for name, _, kind in SUPPLEMENT:
        raw = str(data.get(name, "")).strip()
        if not raw:
            continue
        if kind == "lines":
            values[name] = () if raw.lower() in ("nee", "no", "none", "-") else tuple(
                line.strip() for line in raw.splitlines() if line.strip())
        elif kind == "moment":
            values[name] = moment(raw, field=name)
        elif kind == "tristate":
            values[name] = raw == "yes"
        elif kind == "numbers":
            values[name] = _numbers(raw, field=name)
        else:
            values[name] = raw
    return DraftSupplement(**values)


def _numbers(raw: str, *, field: str) -> frozenset[str]:
    numbers = frozenset(raw.replace(",", " ").replace(";", " ").split())
    wrong = sorted(n for n in numbers if not _NUMBER.fullmatch(n))
    if wrong:
        raise BadInput(f"{field}: {', '.join(wrong)} is geen vraagnummer zoals 5.3 of 3.1.1b")
    return numbers


def apply_organisation(base: Organisation, data: Mapping[str, str]) -> Organisation:
    """The organisation file's details with the ones kept in the console on top."""
    plain: dict[str, Any] = {k: v.strip() for k, v in data.items() if "." not in k and v.strip()}
    people: dict[str, Any] = {}
    for who in ("reporter", "contact"):
        parts = {k.split(".", 1)[1]: v.strip() for k, v in data.items() if k.startswith(f"{who}.") and v.strip()}
        if parts:
            people[who] = replace(getattr(base, who), **parts)
    return replace(base, **plain, **people)


def _form(form: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    return {n: str(form.get(n, "")).strip()[:2000] for n in names}


class Details:
    def __init__(self, console: Console) -> None:
        self.c = console

    def _load(self, ref: str, action: str) -> tuple[str, dict[str, str]]:
        incident, _ = self.c.read(ref, user(), action)
        with self.c.container.session_factory() as session:
            return incident.id, documents.supplement(session, incident.id)

    async def supplement_form(self, request: web.Request) -> web.Response:
        incident_id, data = await asyncio.to_thread(self._load, request.match_info["ref"], "web.supplement.viewed")
        return self._supplement_page(incident_id, data, problem="")

    def _supplement_page(self, incident_id: str, data: Mapping[str, str], *, problem: str,
                         status: int = 200) -> web.Response:
        return self.c.page("supplement", {"id": incident_id, "fields": SUPPLEMENT, "data": data,
                                          "problem": problem}, status=status)

    async def save_supplement(self, request: web.Request) -> web.Response:
        incident_id, _ = await asyncio.to_thread(self._load, request.match_info["ref"], "web.supplement.saving")
        data = _form(await request.post(), tuple(n for n, _, _ in SUPPLEMENT))
        try:
            read_supplement(data)
            await asyncio.to_thread(self._store, lambda s: documents.save_supplement(
                s, incident_id=incident_id, data=data, by=user().name, at=self.c.clock()))
        except (BadInput, IncidentError) as e:
            return self._supplement_page(incident_id, data, problem=str(e),
                                         status=403 if isinstance(e, NotPermitted) else 422)
        raise web.HTTPSeeOther(f"/incidents/{incident_id}")

    def _store(self, change: Any) -> None:
        with self.c.container.session_factory.begin() as session:
            change(session)

    def _organisation(self) -> dict[str, str]:
        with self.c.container.session_factory() as session:
            return documents.organisation(session)

    async def organisation_form(self, request: web.Request) -> web.Response:
        data = await asyncio.to_thread(self._organisation)
        return self.c.page("organisation", {"fields": ORGANISATION, "data": data, "problem": ""})

    async def save_organisation(self, request: web.Request) -> web.Response:
        data = _form(await request.post(), tuple(n for n, _ in ORGANISATION))
        try:
            await asyncio.to_thread(self._store, lambda s: documents.save_organisation(
                s, data=data, by=user().name, at=self.c.clock()))
        except IncidentError as e:
            status = 403 if isinstance(e, NotPermitted) else 422
            return self.c.page("organisation", {"fields": ORGANISATION, "data": data, "problem": str(e)},
                               status=status)
        raise web.HTTPSeeOther("/organisation")


def add_routes(router: web.UrlDispatcher, console: Console) -> None:
    d = Details(console)
    router.add_get(f"/incidents/{{ref:{REF}}}/supplement", d.supplement_form, name="supplement_form")
    router.add_post(f"/incidents/{{ref:{REF}}}/supplement", d.save_supplement, name="supplement")
    router.add_get("/organisation", d.organisation_form, name="organisation_form")
    router.add_post("/organisation", d.save_organisation, name="organisation")
