"""What the CLI modules share: console output, clear failures, the migrated container, the reader check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from pydantic import SecretStr
from rich.console import Console
from rich.markup import escape
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from datalek import identity
from datalek.bootstrap import Container, utc_now
from datalek.settings import Settings
from incidents.errors import IncidentError
from incidents.model import Incident
from incidents.persistence import audit, database
from incidents.persistence.uow import SqlUnitOfWork
from incidents.text import visible

out = Console(soft_wrap=True)  # a line longer than the terminal is never broken inside a path or URL
err = Console(stderr=True, soft_wrap=True)


def shown(value: object) -> str:
    """A value for the console: its control characters visible, its brackets not Rich markup."""
    return escape(visible(str(value)))


def fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {shown(message)}", soft_wrap=True)  # one line, whatever the terminal
    return typer.Exit(code=2)


def db_label(settings: Settings) -> str:
    url = make_url(settings.database_url.get_secret_value())
    if url.get_backend_name() == "sqlite" and url.database:
        return f"SQLite {Path(url.database).resolve()}"
    return url.render_as_string(hide_password=True)


def migrate(container: Container, *, upgrade: bool | None = None) -> None:
    """Bring the schema up to date (DATALEK_DATABASE_MIGRATE=auto, or ``upgrade``), else only check it is."""
    try:
        if upgrade if upgrade is not None else container.settings.database_migrate == "auto":
            database.upgrade(container.engine)
            return
        current, head = database.current_revision(container.engine), database.head_revision(container.engine)
    except OperationalError as e:
        raise fail(f"database unreachable ({db_label(container.settings)}): {e.orig}") from e
    if current != head:
        raise fail(f"the database schema is at revision {current or '(none)'}, this datalek needs {head}: "
                   "run `datalek db upgrade` as a database role that may change the schema")


def migrated(settings: Settings) -> Container:
    """A container whose database is reachable and at the latest schema; says so when it creates a new one."""
    path = database.sqlite_file(settings.database_url.get_secret_value())
    if path is not None and not path.exists():
        err.print(f"note: no database at {path} yet: creating an empty one (DATALEK_DATABASE_URL names another)",
                  markup=False, highlight=False, soft_wrap=True)
    container = Container(settings)
    migrate(container)
    return container


_TOKEN: dict[str, str] = {}  # the root option --token, when given (it beats DATALEK_TOKEN)


def use_token(token: str | None) -> None:
    if token:
        _TOKEN["token"] = token


def _identity_settings(settings: Settings) -> Settings:
    token = _TOKEN.get("token")
    return settings.model_copy(update={"token": SecretStr(token)}) if token else settings


def reader(uow: SqlUnitOfWork, settings: Settings) -> str:
    """The registered user reading incidents (audited), or a clear refusal."""
    try:
        return identity.reader(uow.session, _identity_settings(settings))
    except IncidentError as e:
        raise fail(str(e)) from e


def acting(container: Container) -> str:
    """The registered person acting (token, or the OS account on a single-user machine), or a clear refusal."""
    with container.session_factory() as session:
        try:
            return identity.person(session, _identity_settings(container.settings)).name
        except IncidentError as e:
            raise fail(str(e)) from e


def read_incident(container: Container, incident_id: str, *, action: str) -> tuple[Incident, list[dict[str, Any]]]:
    """Find an incident for a registered reader, record the access in the audit log; also its trail."""
    with container.uow() as uow:
        try:
            incident = uow.incidents.find(incident_id)
        except IncidentError as e:
            raise fail(str(e)) from e
        trail = audit.trail(uow.session, incident.id)
        uow.audit(incident.id, at=utc_now(), actor=reader(uow, container.settings), action=action)
        uow.commit()
    return incident, trail
