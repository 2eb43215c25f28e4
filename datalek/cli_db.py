"""`datalek db upgrade`: the schema migrations as a step of their own.

Production runs it with a database role that may change the schema (DDL) and runs every other command with
``DATALEK_DATABASE_MIGRATE=check`` under an application role that needs no DDL rights. The embedded default
(SQLite, ``auto``) migrates on every command, so a first run needs no step.
"""

from __future__ import annotations

import typer
from sqlalchemy.exc import OperationalError

from datalek.bootstrap import Container
from datalek.cli_common import db_label, fail, migrate, out
from datalek.settings import Settings
from incidents.persistence import database

db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)


@db_cli.command("upgrade")
def upgrade() -> None:
    """Apply the schema migrations (up to the latest); run it as a role that may change the schema."""
    settings = Settings()
    container = Container(settings)
    try:
        before = database.current_revision(container.engine)
    except OperationalError as e:
        raise fail(f"database unreachable ({db_label(settings)}): {e.orig}") from e
    migrate(container, upgrade=True)
    after = database.current_revision(container.engine)
    change = "already up to date" if before == after else f"was {before or 'empty'}"
    out.print(f"database {db_label(settings)}: schema at revision {after} ({change})", markup=False,
              highlight=False, soft_wrap=True)
