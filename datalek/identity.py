"""Who acts on the command line. The trust model, in one place.

A workflow step, a read or a change of people is done by a registered person, identified by
- a personal API token (``DATALEK_TOKEN`` or ``--token``; issued by ``datalek users token``), or
- on a machine declared single-user (``DATALEK_IDENTITY__SINGLE_USER=true``), the real OS account of the
  process (``pwd.getpwuid(os.geteuid())``); environment variables such as ``$USER`` or ``$LOGNAME`` never count.
Before anyone is registered, reads are audited under the real OS account and the first ``users add`` bootstraps.
"""

from __future__ import annotations

import os
import pwd

from sqlalchemy.orm import Session

from datalek.settings import Settings
from incidents.errors import IncidentError
from incidents.persistence import users
from incidents.workflow import Actor


class NotIdentified(IncidentError):
    """The CLI does not know who is acting: no token, and the machine is not declared single-user."""


def os_account() -> str:
    """The real OS account of this process (not the environment, which anyone can set)."""
    return pwd.getpwuid(os.geteuid()).pw_name


def person(session: Session, settings: Settings, *, scope: users.Scope = users.Scope.WORKFLOW) -> Actor:
    """The registered person acting, by token (which must carry ``scope``) or (single-user machines) by OS
    account; else a clear refusal."""
    if settings.token is not None and settings.token.get_secret_value().strip():
        return users.authenticate(session, settings.token.get_secret_value().strip(), scope=scope)
    if settings.identity.single_user:
        return users.actor(session, os_account())
    raise NotIdentified("who is acting? set DATALEK_TOKEN to your token (`datalek users token`), "
                        "or on a single-user machine DATALEK_IDENTITY__SINGLE_USER=true")


def reader(session: Session, settings: Settings) -> str:
    """The name under which a read is audited: the person, or before anyone is registered the OS account."""
    if not users.registered(session):
        return f"os:{os_account()} (no users registered yet)"
    return person(session, settings, scope=users.Scope.READ).name
