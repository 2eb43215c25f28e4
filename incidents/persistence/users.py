"""Users and their roles. The first user added becomes the bootstrap admin's act; later adds need an admin."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from incidents.errors import IncidentError
from incidents.persistence.rows import UserRow
from incidents.workflow import Actor, NotPermitted, Role


class UnknownUser(IncidentError):
    """The person is not registered; an admin adds them with `datalek users add`."""


def actor(session: Session, name: str) -> Actor:
    row = session.get(UserRow, name)
    if row is None:
        raise UnknownUser(f"{name!r} is not a datalek user; an admin adds them with `datalek users add`")
    return Actor(row.name, Role(row.role))


def add(session: Session, *, name: str, role: Role, by: str, at: datetime) -> None:
    """Register ``name``; only an admin may, except for the very first user (bootstrap)."""
    if session.scalar(select(func.count()).select_from(UserRow)):
        if actor(session, by).role is not Role.ADMIN:
            raise NotPermitted("only an admin adds users")
    session.merge(UserRow(name=name, role=role.value, added_at=at, added_by=by))


def reader(session: Session, name: str) -> str:
    """Who reads incidents: a registered user; before anyone is registered (first run), the OS account.

    Returns the name to write in the audit log."""
    if not session.scalar(select(func.count()).select_from(UserRow)):
        return f"os:{name} (no users registered yet)"
    return actor(session, name).name
