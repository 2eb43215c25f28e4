"""Console security: server-side sessions, CSRF tokens, the same-origin check, proxy trust, sign-in limits.

Sessions live in this process (a table keyed by a random id); the cookie carries only that id, signed with
itsdangerous. Logout deletes the row; each request re-checks that the person still holds the token they
signed in with, so a new token (or removal) ends every session of theirs. A restart ends all sessions.
"""

from __future__ import annotations

import hmac
import secrets
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web
from itsdangerous import BadData, URLSafeTimedSerializer

COOKIE = "datalek_session"
LOGIN_COOKIE = "datalek_login"  # the sign-in form's nonce (double submit with its signed copy in the form)
CSRF_FIELD = "csrf"
SESSION_TTL = timedelta(hours=8)
LOGIN_FORM_TTL = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class WebSession:
    id: str
    name: str
    token_hash: str  # the person's token when they signed in: a new token ends the session
    csrf: str
    expires: datetime


class Sessions:
    """The live sessions of this process."""

    def __init__(self, key: bytes, *, ttl: timedelta = SESSION_TTL) -> None:
        self._session = URLSafeTimedSerializer(key, salt="datalek.session")
        self._login = URLSafeTimedSerializer(key, salt="datalek.login")
        self._live: dict[str, WebSession] = {}
        self.ttl = ttl

    def open(self, *, name: str, token_hash: str, now: datetime) -> tuple[WebSession, str]:
        """A new session and its cookie value."""
        self._forget_expired(now)
        s = WebSession(secrets.token_urlsafe(32), name, token_hash, secrets.token_urlsafe(32), now + self.ttl)
        self._live[s.id] = s
        return s, self._session.dumps(s.id)

    def find(self, cookie: str, *, now: datetime) -> WebSession | None:
        """The live session of a cookie; None for a forged, garbled, expired or ended one."""
        sid = _loads(self._session, cookie, self.ttl)
        s = self._live.get(sid) if sid else None
        return s if s is not None and s.expires > now else None

    def end(self, session_id: str) -> None:
        self._live.pop(session_id, None)

    def login_token(self) -> tuple[str, str]:
        """(cookie nonce, form token) for a sign-in form."""
        nonce = secrets.token_urlsafe(16)
        return nonce, self._login.dumps(nonce)

    def login_token_valid(self, nonce: str, token: str) -> bool:
        signed = _loads(self._login, token, LOGIN_FORM_TTL)
        return bool(nonce and signed) and hmac.compare_digest(str(signed).encode(), nonce.encode())

    def _forget_expired(self, now: datetime) -> None:
        for sid in [sid for sid, s in self._live.items() if s.expires <= now]:
            del self._live[sid]


def _loads(serializer: URLSafeTimedSerializer, value: str, ttl: timedelta) -> str | None:
    if not value or not value.isascii():
        return None
    try:
        loaded = serializer.loads(value, max_age=int(ttl.total_seconds()))
    except (BadData, UnicodeError, ValueError):
        return None
    return loaded if isinstance(loaded, str) else None


def csrf_matches(expected: str, given: str) -> bool:
    return bool(expected) and given.isascii() and hmac.compare_digest(expected.encode(), given.encode())


@dataclass(frozen=True, slots=True)
class Transport:
    """How a request reached us, as far as we may believe it (proxy headers only from a trusted proxy)."""

    tls: bool
    origin: str  # scheme://host of this console as the browser sees it
    client: str  # the address sign-in attempts are counted by


def transport(request: web.Request, *, trusted_proxy: bool) -> Transport:
    tls = request.secure
    client = request.remote or "-"
    host = request.host
    if trusted_proxy:
        tls = tls or request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower() == "https"
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",") if a.strip()]
        client = forwarded[-1] if forwarded else client  # the address our own proxy saw
        host = request.headers.get("X-Forwarded-Host", host).split(",")[0].strip()
    return Transport(tls=tls, origin=f"{'https' if tls else 'http'}://{host}", client=client)


def same_origin(request: web.Request, seen: Transport) -> bool:
    """A state-changing request must come from our own pages: Sec-Fetch-Site and Origin, when sent, say so."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site != "same-origin":
        return False
    origin = request.headers.get("Origin")
    return origin is None or origin == seen.origin


class LoginLimiter:
    """At most ``attempts`` failed sign-ins per client address within ``window`` (in memory)."""

    def __init__(self, *, attempts: int, window: timedelta) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque[datetime]] = {}

    def blocked(self, client: str, *, now: datetime) -> bool:
        recent = self._failures.get(client)
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        if recent is not None and not recent:
            del self._failures[client]
        return recent is not None and len(recent) >= self.attempts

    def failed(self, client: str, *, now: datetime) -> None:
        self._failures.setdefault(client, deque()).append(now)


def set_session_cookie(response: web.StreamResponse, value: str, seen: Transport, *, max_age: int) -> None:
    """HttpOnly; SameSite=Lax so links from mail and chat carry the session; Secure under TLS."""
    response.set_cookie(COOKIE, value, httponly=True, samesite="Lax", secure=seen.tls, path="/", max_age=max_age)


HSTS = "max-age=31536000"
