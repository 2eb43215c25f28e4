"""Reading pages (list, incident workspace), signing in and out, health and the stylesheet."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from datalek.web import actions
from datalek.web.console import REF, Console, safe_next, user
from datalek.web.details import read_supplement
from datalek.web.security import COOKIE, CSRF_FIELD, LOGIN_COOKIE, csrf_matches, set_session_cookie, transport
from datalek.web.views import detail, summary
from incidents.persistence import documents, users
from notifications.answers import DraftSupplement


class Pages:
    def __init__(self, console: Console) -> None:
        self.c = console

    def _list(self, lang: str) -> list[dict[str, Any]]:
        with self.c.container.uow() as uow:
            return [summary(i, now=self.c.clock(), lang=lang) for i in uow.incidents.list()]

    async def root(self, request: web.Request) -> web.Response:
        raise web.HTTPSeeOther("/incidents")

    async def incidents(self, request: web.Request) -> web.Response:
        return self.c.page("incidents", {"incidents": await asyncio.to_thread(self._list, self.c.lang())})

    def _supplement(self, incident_id: str) -> DraftSupplement:
        with self.c.container.session_factory() as session:
            return read_supplement(documents.supplement(session, incident_id))

    async def incident(self, request: web.Request) -> web.Response:
        actor = user()
        incident, trail = await asyncio.to_thread(self.c.read, request.match_info["ref"], actor, "web.viewed")
        supplement = await asyncio.to_thread(self._supplement, incident.id)
        return self.c.page("incident", {"i": detail(incident, trail, now=self.c.clock(), lang=self.c.lang(),
                                                    supplement=supplement),
                                        "actions": actions.available(incident, actor.role, now=self.c.clock())})

    async def login_form(self, request: web.Request) -> web.Response:
        return self.c.login_page(request, target=request.query.get("next", "/incidents"), failed=False,
                                 status=200)

    async def login(self, request: web.Request) -> web.Response:
        seen = transport(request, trusted_proxy=self.c.trusted_proxy)
        now = self.c.clock()
        if self.c.limiter.blocked(seen.client, now=now):
            raise web.HTTPTooManyRequests(text="too many failed sign-ins; try again later\n",
                                          headers={"Retry-After": str(int(self.c.limiter.window.total_seconds()))})
        form = await request.post()
        if not self.c.sessions.login_token_valid(request.cookies.get(LOGIN_COOKIE, ""), str(form.get(CSRF_FIELD, ""))):
            raise web.HTTPForbidden(text="the sign-in form has expired; reload the page and try again\n")
        token, target = str(form.get("token", "")).strip(), safe_next(str(form.get("next", "")))
        actor = await asyncio.to_thread(self.c.by_token, token) if token.isascii() else None
        if actor is None:
            self.c.limiter.failed(seen.client, now=now)
            return self.c.login_page(request, target=target, failed=True, status=401)
        _, cookie = self.c.sessions.open(name=actor.name, token_hash=users.token_digest(token), now=now)
        response = web.HTTPSeeOther(target)
        set_session_cookie(response, cookie, seen, max_age=int(self.c.sessions.ttl.total_seconds()))
        response.del_cookie(LOGIN_COOKIE, path="/login")
        raise response

    async def logout(self, request: web.Request) -> web.Response:
        """Ends the session on the server (the cookie alone would outlive a deleted cookie in a copy)."""
        session = self.c.sessions.find(request.cookies.get(COOKIE, ""), now=self.c.clock())
        if session is not None:
            form = await request.post()
            if not csrf_matches(session.csrf, str(form.get(CSRF_FIELD, ""))):
                raise web.HTTPForbidden(text="the form has expired; reload the page and try again\n")
            self.c.sessions.end(session.id)
        response = web.HTTPSeeOther("/login")
        response.del_cookie(COOKIE, path="/")
        raise response

    async def healthz(self, request: web.Request) -> web.Response:
        try:  # the pool pings the database on checkout
            await asyncio.to_thread(lambda: self.c.container.engine.connect().close())
        except SQLAlchemyError:
            return web.Response(text="database unavailable\n", status=503)
        return web.Response(text="ok\n")

    async def stylesheet(self, request: web.Request) -> web.Response:
        return web.Response(body=self.c.css, content_type="text/css")


def add_routes(router: web.UrlDispatcher, console: Console) -> None:
    p = Pages(console)
    router.add_get("/", p.root, name="root")
    router.add_get("/incidents", p.incidents, name="incidents")
    router.add_get(f"/incidents/{{ref:{REF}}}", p.incident, name="incident")
    router.add_get("/login", p.login_form, name="login_form")
    router.add_post("/login", p.login, name="login")
    router.add_post("/logout", p.logout, name="logout")
    router.add_get("/healthz", p.healthz, name="healthz")
    router.add_get("/static/web.css", p.stylesheet, name="css")



