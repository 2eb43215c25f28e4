"""What the CLI modules share: console output, clear failures, the migrated container, the reader check."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer
from rich.console import Console
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from datalek.bootstrap import Container
from datalek.settings import Settings
from incidents.errors import IncidentError
from incidents.persistence import database, users
from incidents.persistence.uow import SqlUnitOfWork

out = Console()
err = Console(stderr=True)


def fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code=2)


def db_label(settings: Settings) -> str:
    url = make_url(settings.database_url.get_secret_value())
    if url.get_backend_name() == "sqlite" and url.database:
        return f"SQLite {Path(url.database).resolve()}"
    return url.render_as_string(hide_password=True)


def migrate(container: Container) -> None:
    try:
        database.upgrade(container.engine)
    except OperationalError as e:
        raise fail(f"database unreachable ({db_label(container.settings)}): {e.orig}") from e


def migrated(settings: Settings) -> Container:
    """A container whose database is reachable and at the latest schema."""
    container = Container(settings)
    migrate(container)
    return container


def reader(uow: SqlUnitOfWork) -> str:
    """The registered user reading incidents (audited), or a clear refusal."""
    try:
        return users.reader(uow.session, getpass.getuser())
    except IncidentError as e:
        raise fail(str(e)) from e
