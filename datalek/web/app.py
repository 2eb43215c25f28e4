"""The privacy officer's and analysts' console (`datalek web`, ``datalek.cli_web``); one module per feature adds
its routes."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from datalek.bootstrap import Container, utc_now
from datalek.web import actions, api, details, drafts, facts, pages, register, rules
from datalek.web.console import Console, Handler

FEATURES = (pages, actions, facts, drafts, details, register, rules)  # each has add_routes(router, console)


def build_web_app(container: Container, *, clock: Callable[[], datetime] = utc_now,
                  session_key: bytes | None = None) -> web.Application:
    """The console on ``container``'s database. Sessions live in this process and end with it."""
    console = Console(container, clock=clock, key=session_key or secrets.token_bytes(32))

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        return await console.guard(request, handler)

    app = web.Application(middlewares=[guard], client_max_size=64 * 1024)
    for feature in FEATURES:
        feature.add_routes(app.router, console)
    api.install(app, console)  # /api/v1: bearer tokens only
    return app
