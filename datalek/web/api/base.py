"""What every API handler shares: the bearer-token guard with the scope per route, JSON bodies and errors.

Logs carry method, route template and status only (the console's guard writes them); never bodies or ids.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from datalek.web.console import Console, Handler
from incidents.errors import ConcurrentUpdate, IncidentError, IncidentNotFound
from incidents.persistence import users
from incidents.persistence.users import Scope
from incidents.workflow import Actor, NotPermitted, WorkflowError

LOG = logging.getLogger("datalek.web.api")
PREFIX = "/api/v1"
ApiHandler = Callable[[web.Request, Actor], Awaitable[web.StreamResponse]]  # gets the authenticated person
BEARER = "send your token as 'Authorization: Bearer <token>' (cookies are not accepted by the API)"


class ApiError(Exception):
    """A refusal with its HTTP status; ``extra`` adds fields to the JSON body (e.g. every problem of the facts)."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


def answer(data: Any, *, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=lambda d: json.dumps(d, ensure_ascii=False))


def problem(status: int, message: str, **extra: Any) -> web.Response:
    response = answer({"error": message, **extra}, status=status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="datalek"'
    return response


def refusal(e: Exception) -> ApiError:
    """The status of a refusal by the core: role 403, unknown 404, state 409, input 400."""
    if isinstance(e, NotPermitted):
        return ApiError(403, str(e))
    if isinstance(e, IncidentNotFound):
        return ApiError(404, str(e))
    if isinstance(e, WorkflowError | ConcurrentUpdate):
        return ApiError(409, str(e))
    return ApiError(400, str(e))


async def json_object(request: web.Request) -> dict[str, Any]:
    """The body as a JSON object (the app's size limit applies: 413); anything else is a 400."""
    raw = await request.read()
    try:
        data = json.loads(raw)
    except RecursionError:
        raise ApiError(400, "the body is nested too deeply") from None
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "the body must be a JSON object")
    return data


class ApiGuard:
    """Turns every failure under /api/v1 into a JSON error; ``scoped`` wraps a handler in the token check."""

    def __init__(self, console: Console) -> None:
        self.c = console

    def scoped(self, scope: Scope, handler: ApiHandler) -> Handler:
        """``handler`` for a person whose token carries ``scope`` (the role is checked by the core)."""

        async def authenticated(request: web.Request) -> web.StreamResponse:
            return await handler(request, await self.authenticate(request, scope))

        return authenticated

    async def __call__(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            if request.match_info.http_exception is not None:  # no such route or method: 401 comes first
                await self.authenticate(request, None)
            return await handler(request)
        except ApiError as e:
            return problem(e.status, e.message, **e.extra)
        except web.HTTPException as e:  # the router's 404/405, the body size limit (413), Console.read's 404
            return problem(e.status, (e.text or e.reason).strip())
        except Exception as e:  # the message may hold personal data: log the type only
            LOG.error("%s %s 500 (%s)", request.method, PREFIX, type(e).__name__)
            return problem(500, "internal error")

    async def authenticate(self, request: web.Request, scope: Scope | None) -> Actor:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or not token.isascii():
            raise ApiError(401, BEARER)
        return await asyncio.to_thread(self._holder, token, scope)

    def _holder(self, token: str, scope: Scope | None) -> Actor:
        with self.c.container.session_factory() as session:
            try:
                return users.authenticate(session, token, scope=scope)
            except users.MissingScope as e:
                raise ApiError(403, str(e)) from e
            except IncidentError as e:
                raise ApiError(401, "invalid API token") from e
