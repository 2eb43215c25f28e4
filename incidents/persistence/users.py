"""People and their roles. The first person registered is the admin (bootstrap); after that only an admin
registers people, changes roles and removes people. Every change is audited (``audit_log``, incident ``-``).

API tokens (web console, API and CLI): random, shown once, stored only as a SHA-256 hash; a new token replaces
the old one. A token carries scopes (``Scope``): ``read`` incidents, act in the ``workflow``, ``ingest`` events
over HTTP. The default is read and workflow; a webhook gets a token of its own with only ``ingest``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from incidents.errors import IncidentError
from incidents.persistence import audit
from incidents.persistence.rows import UserRow
from incidents.workflow import Actor, NotPermitted, Role


class UnknownUser(IncidentError):
    """The person is not registered; an admin adds them with `datalek users add`."""


class InvalidToken(IncidentError):
    """No registered user holds this API token (never issued, replaced, or the user is gone)."""


class Scope(StrEnum):
    READ = "read"  # incidents, drafts, the register
    WORKFLOW = "workflow"  # workflow steps, facts, the decision (the console needs it to sign in)
    INGEST = "ingest"  # POST /api/v1/events


DEFAULT_SCOPES = frozenset({Scope.READ, Scope.WORKFLOW})


class MissingScope(NotPermitted):
    """The token is valid but was not issued for this kind of request."""


def actor(session: Session, name: str) -> Actor:
    row = session.get(UserRow, name)
    if row is None:
        raise UnknownUser(f"{name!r} is not a datalek user; an admin adds them with `datalek users add`")
    return Actor(row.name, Role(row.role))


class InvalidName(IncidentError):
    """A person's name must be 1-64 letters, digits or ``._@-`` (no blanks: it is what the audit log shows)."""


PEOPLE_LOG = "-"  # the audit log's incident id for changes of people, roles and tokens
_NAME = re.compile(r"[A-Za-z0-9._@-]{1,64}")


def registered(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(UserRow)) or 0


def add(session: Session, *, name: str, role: Role, by: str, at: datetime) -> Role:
    """Register ``name``; only an admin may, except for the very first person, who becomes the admin.

    Returns the role given (the bootstrap person is always ``admin``)."""
    if not _NAME.fullmatch(name or ""):
        raise InvalidName(f"{name!r} is not a valid name: use 1-64 letters, digits or . _ @ -")
    if registered(session):
        _admin(session, by, "adds people")
        if session.get(UserRow, name) is not None:
            raise NotPermitted(f"{name} is already registered; change a role with `datalek users role`")
    else:
        role = Role.ADMIN
    session.add(UserRow(name=name, role=role.value, added_at=at, added_by=by))
    _audit(session, at=at, by=by, action="user.added", reason=f"{name} as {role.value}")
    return role


def change_role(session: Session, *, name: str, role: Role, by: str, at: datetime) -> None:
    """An admin changes a person's role; the last admin cannot stop being one."""
    _admin(session, by, "changes roles")
    row = _row(session, name)
    if row.role == Role.ADMIN.value and role is not Role.ADMIN:
        _keep_an_admin(session)
    old, row.role = row.role, role.value
    _audit(session, at=at, by=by, action="user.role_changed", reason=f"{name}: {old} -> {role.value}")


def remove(session: Session, *, name: str, by: str, at: datetime) -> None:
    """An admin removes a person (their token stops working); the last admin cannot be removed."""
    _admin(session, by, "removes people")
    row = _row(session, name)
    if row.role == Role.ADMIN.value:
        _keep_an_admin(session)
    session.delete(row)
    _audit(session, at=at, by=by, action="user.removed", reason=f"{name} ({row.role})")


def people(session: Session) -> list[dict[str, str]]:
    rows = session.scalars(select(UserRow).order_by(UserRow.name))
    return [{"name": r.name, "role": r.role, "added_at": r.added_at.isoformat(), "added_by": r.added_by,
             "token": r.token_scopes.replace(" ", ",") if r.token_hash else "no"} for r in rows]


def _admin(session: Session, by: str, what: str) -> None:
    if actor(session, by).role is not Role.ADMIN:
        raise NotPermitted(f"only an admin {what}")


def _row(session: Session, name: str) -> UserRow:
    row = session.get(UserRow, name)
    if row is None:
        raise UnknownUser(f"{name!r} is not a datalek user")
    return row


def _keep_an_admin(session: Session) -> None:
    admins = session.scalar(select(func.count()).select_from(UserRow).where(UserRow.role == Role.ADMIN.value))
    if (admins or 0) <= 1:
        raise NotPermitted("this is the last admin: make someone else admin first")


def _audit(session: Session, *, at: datetime, by: str, action: str, reason: str) -> None:
    audit.append(session, incident_id=PEOPLE_LOG, at=at, actor=by, action=action, reason=reason)


def reader(session: Session, name: str) -> str:
    """Who reads incidents: a registered user; before anyone is registered (first run), the OS account.

    Returns the name to write in the audit log."""
    if not registered(session):
        return f"os:{name} (no users registered yet)"
    return actor(session, name).name


def token_digest(token: str) -> str:
    """The stored form of an API token: hex SHA-256 (the token has 256 random bits, so no salt is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, *, name: str, by: str, at: datetime,
                scopes: Iterable[Scope] = DEFAULT_SCOPES) -> str:
    """A new API token for ``name`` with ``scopes`` (none given: the default), replacing any earlier one;
    returned once, only its hash is kept.

    People issue their own token; only an admin issues one for someone else. The issue is audited at ``at``."""
    issuer = actor(session, by)
    if by != name and issuer.role is not Role.ADMIN:
        raise NotPermitted("only an admin issues tokens for other people")
    row = session.get(UserRow, name)
    if row is None:
        raise UnknownUser(f"{name!r} is not a datalek user; an admin adds them with `datalek users add`")
    granted = " ".join(sorted(set(scopes) or DEFAULT_SCOPES))
    token = secrets.token_urlsafe(32)
    row.token_hash, row.token_scopes = token_digest(token), granted
    _audit(session, at=at, by=by, action="user.token_issued", reason=f"{name} ({granted})")
    session.flush()
    return token


def authenticate(session: Session, token: str, *, scope: Scope | None = None) -> Actor:
    """The user holding ``token`` (role read afresh); with ``scope``, the token must carry it (``MissingScope``).
    Lookup is by hash, so timing reveals nothing about stored tokens."""
    digest = token_digest(token)
    row = session.scalar(select(UserRow).where(UserRow.token_hash == digest)) if token else None
    if row is None or row.token_hash is None or not hmac.compare_digest(row.token_hash, digest):
        raise InvalidToken("invalid API token")
    if scope is not None and scope.value not in row.token_scopes.split():
        raise MissingScope(f"this token lacks the {scope.value} scope (it has: {row.token_scopes})")
    return Actor(row.name, Role(row.role))


def token_holder(session: Session, name: str) -> tuple[Actor, str]:
    """A user and the hash of their current token (to check sessions bound to it); ``InvalidToken`` if none."""
    row = session.get(UserRow, name)
    if row is None or row.token_hash is None:
        raise InvalidToken("no current API token")
    return Actor(row.name, Role(row.role)), row.token_hash
