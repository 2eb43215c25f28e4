"""`datalek web`: the command. The console (aiohttp, templates, the API) loads when it runs, so the other
commands start without it."""

from __future__ import annotations

import logging.config
from typing import Annotated

import typer

from datalek import logs
from datalek.cli_common import db_label, fail, migrated, out
from datalek.settings import Settings


def web_command(
    host: Annotated[str, typer.Option(help="address to bind; loopback unless you open it")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8080,
) -> None:
    """The web console: incidents, the workflow steps of your role, the facts questionnaire and the drafts.
    Sign in with a token from `datalek users token`."""
    from aiohttp import web

    from datalek.web.app import build_web_app

    settings = Settings()
    container = migrated(settings)  # before logging is set up: the migrations' INFO lines are not news
    logging.config.dictConfig(logs.config(settings.log_level, settings.log_format))
    out.print(f"datalek web on http://{host}:{port}/incidents (database {db_label(settings)})")
    try:
        web.run_app(build_web_app(container), host=host, port=port, access_log=None, print=None)
    except OSError as e:  # the port is taken or the address is not this machine's
        raise fail(f"cannot listen on {host}:{port}: {e.strerror or e}") from e
