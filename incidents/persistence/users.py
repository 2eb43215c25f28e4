"""Users and their roles. The first user added becomes the bootstrap admin's act; later adds need an admin.

API tokens (the web console): random, shown once, stored only as a SHA-256 hash; a new token replaces the old.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from incidents.errors import IncidentError
from incidents.persistence.rows import UserRow
from incidents.workflow import Actor, NotPermitted, Role


class UnknownUser(IncidentError):
    """The person is not registered; an admin adds them with `datalek users add`."""


class InvalidToken(IncidentError):
    """No registered user holds this API token (never issued, replaced, or the user is gone)."""


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


def token_digest(token: str) -> str:
    """The stored form of an API token: hex SHA-256 (the token has 256 random bits, so no salt is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, *, name: str, by: str, at: datetime) -> str:
    """A new API token for ``name``, replacing any earlier one; returned once, only its hash is kept.

    People issue their own token; only an admin issues one for someone else. ``at`` is the moment of issue
    (kept for symmetry with ``add``; the schema stores no issue time yet)."""
    issuer = actor(session, by)
    if by != name and issuer.role is not Role.ADMIN:
        raise NotPermitted("only an admin issues tokens for other people")
    row = session.get(UserRow, name)
    if row is None:
        raise UnknownUser(f"{name!r} is not a datalek user; an admin adds them with `datalek users add`")
    token = secrets.token_urlsafe(32)
    row.token_hash = token_digest(token)
    session.flush()
    return token


def authenticate(session: Session, token: str) -> Actor:
    """The user holding ``token``. Lookup is by hash, so timing reveals nothing about stored tokens."""
    digest = token_digest(token)
    row = session.scalar(select(UserRow).where(UserRow.token_hash == digest)) if token else None
    if row is None or row.token_hash is None or not hmac.compare_digest(row.token_hash, digest):
        raise InvalidToken("invalid API token")
    return Actor(row.name, Role(row.role))


def token_holder(session: Session, name: str) -> tuple[Actor, str]:
    """A user and the hash of their current token (to check sessions bound to it); ``InvalidToken`` if none."""
    row = session.get(UserRow, name)
    if row is None or row.token_hash is None:
        raise InvalidToken("no current API token")
    return Actor(row.name, Role(row.role)), row.token_hash
