"""`datalek web`: the privacy officer's and analysts' console; one module per feature adds its routes."""

from __future__ import annotations

import logging.config
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

import typer
from aiohttp import web

from datalek import logs
from datalek.bootstrap import Container, utc_now
from datalek.cli_common import db_label, fail, migrated, out
from datalek.settings import Settings
from datalek.web import actions, api, details, drafts, facts, pages
from datalek.web.console import Console, Handler

FEATURES = (pages, actions, facts, drafts, details)  # each has add_routes(router, console)


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


def web_command(
    host: Annotated[str, typer.Option(help="address to bind; loopback unless you open it")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8080,
) -> None:
    """The web console: incidents, the workflow steps of your role, the facts questionnaire and the drafts.
    Sign in with a token from `datalek users token`."""
    settings = Settings()
    container = migrated(settings)  # before logging is set up: the migrations' INFO lines are not news
    logging.config.dictConfig(logs.config(settings.log_level, settings.log_format))
    out.print(f"datalek web on http://{host}:{port}/incidents (database {db_label(settings)})")
    try:
        web.run_app(build_web_app(container), host=host, port=port, access_log=None, print=None)
    except OSError as e:  # the port is taken or the address is not this machine's
        raise fail(f"cannot listen on {host}:{port}: {e.strerror or e}") from e
