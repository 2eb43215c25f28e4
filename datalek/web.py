"""`datalek web`: the read-only console that the incident links in alerts open.

Authentication is per user: `Authorization: Bearer <token>` (from `datalek users token NAME`), or the session
cookie set by the login form (HMAC-signed with a per-process key and bound to the user's current token, so a
new token or a restart ends it). Every view of an incident or draft is audited under the user's name.
Logs carry method, route template and status only: no ids, query strings or bodies.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer
from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from datalek.bootstrap import Container, utc_now
from datalek.cli_common import db_label, migrated, out
from datalek.cli_draft import draft_command
from datalek.settings import Settings
from incidents.assessment import assess, deadlines
from incidents.errors import IncidentError
from incidents.model import UNKNOWN_ASSET_NOTE, Incident
from incidents.persistence import audit, users
from incidents.workflow import Actor
from notifications.config import load_organisation
from notifications.errors import NotificationError
from notifications.rendering import TEMPLATES_DIR, environment

LOG = logging.getLogger("datalek.web")
COOKIE = "datalek_session"
SESSION_TTL = timedelta(hours=8)
CSP = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
           "X-Frame-Options": "DENY"}
PUBLIC = frozenset({"healthz", "login", "login_form", "logout", "css"})  # routes that need no user
_REF = r"[0-9a-f-]{4,36}"  # an incident id or its prefix (as in the CLI)
_NEXT = re.compile(rf"/incidents(/{_REF}(/draft/(ap|subjects))?)?")  # where a login may lead back to
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_ACTOR: ContextVar[Actor | None] = ContextVar("datalek_web_actor", default=None)  # the user of this request


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _state(clock: deadlines.Clock) -> str:
    minutes = int(abs(clock.time_left.total_seconds()) // 60)
    span = f"{minutes // 60}h {minutes % 60:02d}m"
    return f"overdue by {span}" if clock.overdue else f"{span} left"


def clock_state(i: Incident, *, now: datetime) -> str:
    """The Art. 33 72-hour clock in a few words, for the list."""
    if i.became_aware_at is None:
        return "not started"
    if i.reported_at is not None:
        late = deadlines.is_late(i.became_aware_at, reported_at=i.reported_at)
        return "reported late" if late else "reported in time"
    if i.decision is not None and not i.decision.notify_regulator:
        return "no notification (decided)"
    return _state(deadlines.regulator_clock(i.became_aware_at, now=now))


def _clock(name: str, clock: deadlines.Clock) -> dict[str, Any]:
    local = deadlines.format_amsterdam
    return {"name": name, "started": _when(clock.started_at), "started_local": local(clock.started_at),
            "deadline": _when(clock.deadline), "deadline_local": local(clock.deadline), "state": _state(clock)}


def summary(i: Incident, *, now: datetime) -> dict[str, Any]:
    """What the list shows of one incident."""
    return {"id": i.id, "short_id": i.id[:8], "title": i.title, "status": i.status.value, "opened": _when(i.opened_at),
            "asset": i.asset or "-", "rules": ", ".join(i.rule_ids), "events": len(i.event_ids),
            "severity_hints": ", ".join(sorted(i.severity_hints)) or "-", "clock": clock_state(i, now=now)}


def detail(i: Incident, trail: list[dict[str, Any]], *, now: datetime) -> dict[str, Any]:
    """What the detail page shows: timeline, facts, assessment, decision, clocks, evidence counts, audit trail."""
    moments = [("opened", i.opened_at), ("last activity", i.last_activity_at), ("became aware", i.became_aware_at),
               ("decided", i.decided_at), ("reported to the AP", i.reported_at),
               ("data subjects informed", i.subjects_informed_at), ("closed", i.closed_at)]
    clocks = []
    if i.became_aware_at and i.reported_at is None:
        clocks.append(_clock("Art. 33: notify the AP within 72 hours",
                             deadlines.regulator_clock(i.became_aware_at, now=now)))
    if i.decision and i.decided_at and i.decision.notify_subjects and i.subjects_informed_at is None:
        clocks.append(_clock("Art. 34: inform data subjects (internal target)",
                             deadlines.subject_clock(i.decided_at, now=now)))
    return {**summary(i, now=now), "entity": i.entity, "related_to": i.related_to, "meldnummer": i.meldnummer,
            "delay_reason": i.delay_reason, "breach_types": ", ".join(sorted(i.breach_types)),
            "timeline": [{"what": w, "utc": _when(t), "local": deadlines.format_amsterdam(t)}
                         for w, t in moments if t is not None],
            "facts": i.facts.to_dict() if i.facts else None,
            "assessment": assess(i.facts).to_dict() if i.facts else None,
            "decision": i.decision.to_dict() if i.decision else None, "clocks": clocks,
            "detections": len(i.detection_keys), "trail": trail,
            "asset_note": None if i.asset_known else UNKNOWN_ASSET_NOTE, "affected": i.affected.to_dict()}


def _user() -> Actor:
    actor = _ACTOR.get()
    assert actor is not None, "only authenticated routes read the user"
    return actor


def _style_hashes(document: str) -> str:
    """CSP sources for the inline styles of a print-ready draft (its own template text, hashed)."""
    head = document.split("</head>", 1)[0]
    digests = (base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in _STYLE.findall(head))
    return " ".join(f"'sha256-{d}'" for d in digests) or "'self'"


class Console:
    """The handlers; blocking database work runs in threads so the event loop stays free."""

    def __init__(self, container: Container, *, clock: Callable[[], datetime], key: bytes) -> None:
        self.container, self.clock, self.key = container, clock, key
        self.css = (TEMPLATES_DIR / "web" / "web.css").read_bytes()

    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Authenticate, add the security headers, log method, route and status only."""
        route = request.match_info.route
        template = route.resource.canonical if route.resource else "-"
        try:
            response = await self._call(request, handler, public=route.name in PUBLIC)
        except web.HTTPException as e:
            response = e
        except Exception as e:  # the message may hold personal data: log the type only
            LOG.error("%s %s 500 (%s)", request.method, template, type(e).__name__)
            response = web.HTTPInternalServerError(text="internal error")
        response.headers.setdefault("Content-Security-Policy", CSP)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        LOG.info("%s %s %d", request.method, template, response.status)
        if isinstance(response, web.HTTPException):
            raise response
        return response

    async def _call(self, request: web.Request, handler: Handler, *, public: bool) -> web.StreamResponse:
        """The handler, for a known user unless the route is public; the user is in ``_ACTOR`` meanwhile."""
        credentials = request.headers.get("Authorization", ""), request.cookies.get(COOKIE, "")
        actor = None if public else await asyncio.to_thread(self._identify, *credentials)
        if actor is None and not public:
            raise self._unauthorised(request)
        reset = _ACTOR.set(actor)
        try:
            return await handler(request)
        finally:
            _ACTOR.reset(reset)

    def _identify(self, authorization: str, cookie: str) -> Actor | None:
        """The user of a bearer token, else of the session cookie; None when neither is valid."""
        scheme, _, token = authorization.partition(" ")
        with self.container.session_factory() as session:
            try:
                if scheme:
                    return users.authenticate(session, token.strip()) if scheme.lower() == "bearer" else None
                return self._session_actor(session, cookie)
            except IncidentError:
                return None

    def _seal(self, name: str, token_hash: str, expires: int) -> str:
        payload = f"{name.encode().hex()}.{expires}"
        mac = hmac.new(self.key, f"{payload}.{token_hash}".encode(), hashlib.sha256).hexdigest()
        return f"{payload}.{mac}"

    def _session_actor(self, session: Session, cookie: str) -> Actor | None:
        try:
            encoded, expires, _ = cookie.split(".")
            name = bytes.fromhex(encoded).decode()
            if int(expires) < self.clock().timestamp():
                return None
        except ValueError:
            return None
        actor, token_hash = users.token_holder(session, name)
        return actor if hmac.compare_digest(self._seal(name, token_hash, int(expires)), cookie) else None

    def _unauthorised(self, request: web.Request) -> web.HTTPException:
        headers = {"WWW-Authenticate": 'Bearer realm="datalek"'}
        if "text/html" not in request.headers.get("Accept", ""):
            return web.HTTPUnauthorized(text="authentication required\n", headers=headers)
        target = request.path if _NEXT.fullmatch(request.path) else "/incidents"
        body = self.render("login", {"next": target, "failed": False, "user": None})
        return web.HTTPUnauthorized(text=body, content_type="text/html", headers=headers)

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        return environment().get_template(f"web/{name}.html").render(context)

    def page(self, name: str, context: Mapping[str, Any], *, status: int = 200) -> web.Response:
        actor = _ACTOR.get()
        body = self.render(name, {**context, "user": actor.name if actor else None})
        return web.Response(text=body, content_type="text/html", status=status)

    def _read(self, ref: str, actor: Actor, action: str) -> tuple[Incident, list[dict[str, Any]]]:
        """The incident and its trail; the read is audited under the user's name."""
        with self.container.uow() as uow:
            try:
                incident = uow.incidents.find(ref)
            except IncidentError:
                raise web.HTTPNotFound(text="no such incident\n") from None
            uow.audit(incident.id, at=self.clock(), actor=actor.name, action=action)
            uow.commit()
            return incident, audit.trail(uow.session, incident.id)

    def _list(self) -> list[dict[str, Any]]:
        with self.container.uow() as uow:
            return [summary(i, now=self.clock()) for i in uow.incidents.list()]

    async def root(self, request: web.Request) -> web.Response:
        raise web.HTTPSeeOther("/incidents")

    async def incidents(self, request: web.Request) -> web.Response:
        return self.page("incidents", {"incidents": await asyncio.to_thread(self._list)})

    async def incident(self, request: web.Request) -> web.Response:
        incident, trail = await asyncio.to_thread(self._read, request.match_info["ref"], _user(),
                                                  "web.viewed")
        return self.page("incident", {"i": detail(incident, trail, now=self.clock())})

    async def draft(self, request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        incident, _ = await asyncio.to_thread(self._read, request.match_info["ref"], _user(),
                                              f"web.draft.{kind}")
        try:
            document = await asyncio.to_thread(self._draft, incident, kind)
        except NotificationError as e:
            return self.page("problem", {"problem": str(e), "ref": incident.id}, status=422)
        response = web.Response(text=document, content_type="text/html")
        response.headers["Content-Security-Policy"] = f"{CSP}; style-src {_style_hashes(document)}"
        return response

    def _draft(self, incident: Incident, kind: str) -> str:
        organisation = load_organisation(self.container.settings.organisation.details)
        return draft_command(incident, kind=kind, fmt="html", organisation=organisation, now=self.clock())

    async def login_form(self, request: web.Request) -> web.Response:
        return self.page("login", {"next": "/incidents", "failed": False})

    async def login(self, request: web.Request) -> web.Response:
        form = await request.post()
        token, target = str(form.get("token", "")).strip(), str(form.get("next", ""))
        target = target if _NEXT.fullmatch(target) else "/incidents"
        actor = await asyncio.to_thread(self._identify, f"Bearer {token}", "")
        if actor is None:
            return self.page("login", {"next": target, "failed": True}, status=401)
        expires = int((self.clock() + SESSION_TTL).timestamp())
        response = web.HTTPSeeOther(target)
        response.set_cookie(COOKIE, self._seal(actor.name, users.token_digest(token), expires), httponly=True,
                            samesite="Strict", secure=request.secure, path="/",
                            max_age=int(SESSION_TTL.total_seconds()))
        raise response

    async def logout(self, request: web.Request) -> web.Response:
        response = web.HTTPSeeOther("/login")
        response.del_cookie(COOKIE, path="/")
        raise response

    async def healthz(self, request: web.Request) -> web.Response:
        try:  # the pool pings the database on checkout
            await asyncio.to_thread(lambda: self.container.engine.connect().close())
        except SQLAlchemyError:
            return web.Response(text="database unavailable\n", status=503)
        return web.Response(text="ok\n")

    async def stylesheet(self, request: web.Request) -> web.Response:
        return web.Response(body=self.css, content_type="text/css")


def build_web_app(container: Container, *, clock: Callable[[], datetime] = utc_now,
                  session_key: bytes | None = None) -> web.Application:
    """The console on ``container``'s database. Sessions die with the process unless ``session_key`` is given."""
    console = Console(container, clock=clock, key=session_key or secrets.token_bytes(32))

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        return await console.guard(request, handler)

    app = web.Application(middlewares=[guard], client_max_size=64 * 1024)
    r = app.router
    r.add_get("/", console.root, name="root")
    r.add_get("/incidents", console.incidents, name="incidents")
    r.add_get(f"/incidents/{{ref:{_REF}}}", console.incident, name="incident")
    r.add_get(f"/incidents/{{ref:{_REF}}}/draft/{{kind:ap|subjects}}", console.draft, name="draft")
    r.add_get("/login", console.login_form, name="login_form")
    r.add_post("/login", console.login, name="login")
    r.add_post("/logout", console.logout, name="logout")
    r.add_get("/healthz", console.healthz, name="healthz")
    r.add_get("/static/web.css", console.stylesheet, name="css")
    return app


def web_command(
    host: Annotated[str, typer.Option(help="address to bind; loopback unless you open it")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8080,
) -> None:
    """The read-only web console for the links in alerts; sign in with a token from `datalek users token`."""
    settings = Settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    container = migrated(settings)
    out.print(f"datalek web on http://{host}:{port}/incidents (database {db_label(settings)})")
    web.run_app(build_web_app(container), host=host, port=port, access_log=None, print=None)
