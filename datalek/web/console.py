"""The console's core: who is asking (bearer token or session cookie), the security checks every request
passes, the language, and rendering. Feature modules add their routes and handlers on top of ``Console``.

Logs carry method, route template and status only: no ids, query strings or bodies.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from datalek.bootstrap import Container
from datalek.web import i18n
from datalek.web.security import (
    COOKIE,
    CSRF_FIELD,
    HSTS,
    LOGIN_COOKIE,
    LoginLimiter,
    Sessions,
    WebSession,
    csrf_matches,
    same_origin,
    transport,
)
from incidents import register
from incidents.errors import IncidentError
from incidents.model import Incident
from incidents.persistence import audit, users
from incidents.workflow import Actor
from notifications.rendering import TEMPLATES_DIR, environment

LOG = logging.getLogger("datalek.web")
CSP = ("default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
# same-origin, not no-referrer: under no-referrer Chromium sends "Origin: null" on our own form posts, which the
# origin check must refuse; ids in our URLs still never leave the site.
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Cache-Control": "no-store",
           "X-Frame-Options": "DENY"}
PUBLIC = frozenset({"healthz", "login", "login_form", "logout", "css"})  # routes that need no user
REF = r"[0-9a-f-]{4,36}"  # an incident id or its prefix (as in the CLI)
_NEXT = re.compile(rf"/incidents(/{REF}(/draft/(ap|subjects)|/facts|/supplement)?)?")  # where a login may lead back to
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class Caller:
    """The person of this request and, for a browser, their session (None with a bearer token)."""

    actor: Actor
    session: WebSession | None


_CALLER: ContextVar[Caller | None] = ContextVar("datalek_web_caller", default=None)
_LANG: ContextVar[str] = ContextVar("datalek_web_lang", default=i18n.DEFAULT)


def user() -> Actor:
    caller = _CALLER.get()
    assert caller is not None, "only authenticated routes read the user"
    return caller.actor


class Console:
    """Shared by the feature modules; blocking database work runs in threads so the event loop stays free."""

    def __init__(self, container: Container, *, clock: Callable[[], datetime], key: bytes) -> None:
        self.container, self.clock = container, clock
        web_settings = container.settings.web
        self.trusted_proxy = web_settings.trusted_proxy
        self.sessions = Sessions(key)
        self.limiter = LoginLimiter(attempts=web_settings.login_attempts,
                                    window=timedelta(seconds=web_settings.login_window_seconds))
        self.css = (TEMPLATES_DIR / "web" / "web.css").read_bytes()
        self.delegated: dict[str, Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]] = {}

    def delegate(self, prefix: str, guard: Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]) -> None:
        """Requests under ``prefix`` skip the console's session, CSRF and origin checks: ``guard`` authenticates
        them itself (the JSON API takes bearer tokens only, never cookies)."""
        self.delegated[prefix] = guard

    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Check origin, authenticate, add the security headers, log method, route and status only."""
        route = request.match_info.route
        template = route.resource.canonical if route.resource else "-"
        seen = transport(request, trusted_proxy=self.trusted_proxy)
        lang_token = _LANG.set(i18n.choose(request.query.get("lang"), request.cookies.get(i18n.COOKIE)))
        try:
            response = await self._call(request, handler, public=route.name in PUBLIC)
        except web.HTTPException as e:
            response = e
        except Exception as e:  # the message may hold personal data: log the type only
            LOG.error("%s %s 500 (%s)", request.method, template, type(e).__name__)
            response = web.HTTPInternalServerError(text="internal error")
        finally:
            _LANG.reset(lang_token)
        self._harden(request, response, tls=seen.tls)
        LOG.info("%s %s %d", request.method, template, response.status)
        if isinstance(response, web.HTTPException):
            raise response
        return response

    def _harden(self, request: web.Request, response: web.StreamResponse, *, tls: bool) -> None:
        response.headers.setdefault("Content-Security-Policy", CSP)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if tls:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        chosen = request.query.get("lang")
        if chosen in i18n.LANGUAGES and not response.prepared:
            response.set_cookie(i18n.COOKIE, chosen, httponly=True, samesite="Lax", secure=tls, path="/",
                                max_age=365 * 86400)

    async def _call(self, request: web.Request, handler: Handler, *, public: bool) -> web.StreamResponse:
        """The handler, for a known user unless the route is public; the caller is in ``_CALLER`` meanwhile."""
        for prefix, own in self.delegated.items():
            if request.path.startswith(prefix):
                return await own(request, handler)
        post = request.method == "POST"
        if post and not same_origin(request, transport(request, trusted_proxy=self.trusted_proxy)):
            raise web.HTTPForbidden(text="cross-site request refused\n")
        caller = None if public else await self.identify(request)
        if caller is None and not public:
            return self.unauthorised(request)
        if post and caller is not None and caller.session is not None:
            form = await request.post()
            if not csrf_matches(caller.session.csrf, str(form.get(CSRF_FIELD, ""))):
                raise web.HTTPForbidden(text="the form has expired; reload the page and try again\n")
        reset = _CALLER.set(caller)
        try:
            return await handler(request)
        finally:
            _CALLER.reset(reset)

    async def identify(self, request: web.Request) -> Caller | None:
        """The caller by bearer token, else by session cookie; None when neither is valid."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme:
            actor = None
            if scheme.lower() == "bearer" and token.strip().isascii():
                actor = await asyncio.to_thread(self.by_token, token.strip())
            return Caller(actor, None) if actor else None
        session = self.sessions.find(request.cookies.get(COOKIE, ""), now=self.clock())
        if session is None:
            return None
        actor = await asyncio.to_thread(self._by_session, session)
        if actor is None:
            self.sessions.end(session.id)
            return None
        return Caller(actor, session)

    def by_token(self, token: str) -> Actor | None:
        with self.container.session_factory() as session:
            try:
                return users.authenticate(session, token, scope=users.Scope.WORKFLOW)  # read- or ingest-only: API
            except IncidentError:
                return None

    def _by_session(self, web_session: WebSession) -> Actor | None:
        """The person, if they still hold the token they signed in with (role read afresh)."""
        with self.container.session_factory() as session:
            try:
                actor, token_hash = users.token_holder(session, web_session.name)
            except IncidentError:
                return None
        return actor if token_hash == web_session.token_hash else None

    def unauthorised(self, request: web.Request) -> web.Response:
        headers = {"WWW-Authenticate": 'Bearer realm="datalek"'}
        if "text/html" not in request.headers.get("Accept", ""):
            return web.Response(status=401, text="authentication required\n", headers=headers)
        target = request.path if _NEXT.fullmatch(request.path) else "/incidents"
        response = self.login_page(request, target=target, failed=False, status=401)
        response.headers.update(headers)
        return response

    def login_page(self, request: web.Request, *, target: str, failed: bool, status: int) -> web.Response:
        """The sign-in form with a fresh CSRF nonce: in a cookie and, signed, in the form."""
        nonce, token = self.sessions.login_token()
        response = self.page("login", {"next": safe_next(target), "failed": failed, "login_csrf": token},
                             status=status)
        seen = transport(request, trusted_proxy=self.trusted_proxy)
        response.set_cookie(LOGIN_COOKIE, nonce, httponly=True, samesite="Strict", secure=seen.tls,
                            path="/login", max_age=3600)
        return response

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        return environment().get_template(f"web/{name}.html").render(context)

    def page(self, name: str, context: Mapping[str, Any], *, status: int = 200) -> web.Response:
        caller, lang = _CALLER.get(), _LANG.get()
        base = {"user": caller.actor.name if caller else None, "role": caller.actor.role.value if caller else None,
                "csrf": caller.session.csrf if caller and caller.session else "", "lang": lang,
                "t": i18n.translator(lang)}
        body = self.render(name, {**base, **context})
        return web.Response(text=body, content_type="text/html", status=status)

    @staticmethod
    def lang() -> str:
        return _LANG.get()

    def register(self, actor: Actor, action: str) -> list[dict[str, Any]]:
        """The breach register (Art. 33(5)): every incident's entry, each read audited under the user's name."""
        with self.container.uow() as uow:
            incidents = uow.incidents.list(limit=None)
            entries = [register.entry(i, audit.trail(uow.session, i.id)) for i in incidents]
            for i in incidents:
                uow.audit(i.id, at=self.clock(), actor=actor.name, action=action)
            uow.commit()
            return entries

    def read(self, ref: str, actor: Actor, action: str) -> tuple[Incident, list[dict[str, Any]]]:
        """The incident and its trail; the read is audited under the user's name."""
        with self.container.uow() as uow:
            try:
                incident = uow.incidents.find(ref)
            except IncidentError:
                raise web.HTTPNotFound(text="no such incident\n") from None
            uow.audit(incident.id, at=self.clock(), actor=actor.name, action=action)
            uow.commit()
            return incident, audit.trail(uow.session, incident.id)


def safe_next(target: str) -> str:
    return target if _NEXT.fullmatch(target) else "/incidents"
