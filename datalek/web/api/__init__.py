"""The JSON API ``/api/v1``: the console's workflow for programs, with the same authorisation.

Bearer tokens only (``Authorization: Bearer <personal token>``); cookies are never read here, so no CSRF or
origin check is needed. The token's scope is checked per route (``Scope``), the person's role on every request
by the same workflow functions the console and the CLI call. Errors are ``{"error": "..."}``.
"""

from __future__ import annotations

from aiohttp import web

from datalek.web.api import events, incidents, openapi
from datalek.web.api.base import PREFIX, ApiGuard
from datalek.web.console import Console


def install(app: web.Application, console: Console) -> None:
    """Add the API's routes to the console's ``app``; its requests pass the API's own guard."""
    guard = ApiGuard(console)
    console.delegate(PREFIX, guard)
    incidents.add_routes(app.router, console, guard)
    sink = events.add_routes(app.router, console, guard)
    openapi.add_routes(app.router)

    async def close(_: web.Application) -> None:
        await sink.close()

    app.on_cleanup.append(close)
