"""Details kept in the console: a draft's supplementary answers (the FG) and the organisation's details for drafts
(an admin). Who may change them is checked here, once; every change is audited under the person."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from incidents.persistence import audit
from incidents.persistence.rows import DocumentRow
from incidents.persistence.users import PEOPLE_LOG, actor
from incidents.workflow import NotPermitted, Role

SUPPLEMENT = "draft_supplement"
ORGANISATION = "organisation"
_ORGANISATION_KEY = "-"


def supplement(session: Session, incident_id: str) -> dict[str, str]:
    row = session.get(DocumentRow, (SUPPLEMENT, incident_id))
    return dict(row.data) if row else {}


def organisation(session: Session) -> dict[str, str]:
    row = session.get(DocumentRow, (ORGANISATION, _ORGANISATION_KEY))
    return dict(row.data) if row else {}


def save_supplement(session: Session, *, incident_id: str, data: Mapping[str, str], by: str, at: datetime) -> None:
    """The FG's supplementary answers for the drafts of one incident."""
    if actor(session, by).role is not Role.PRIVACY_OFFICER:
        raise NotPermitted("only the privacy officer enters the draft's supplementary answers")
    _put(session, SUPPLEMENT, incident_id, data, by=by, at=at)
    audit.append(session, incident_id=incident_id, at=at, actor=by, action="draft.supplement_saved",
                 reason=", ".join(sorted(k for k, v in data.items() if v)))


def save_organisation(session: Session, *, data: Mapping[str, str], by: str, at: datetime) -> None:
    """An admin keeps the organisation's details (address, FG registration, sector, reporter, contact)."""
    if actor(session, by).role is not Role.ADMIN:
        raise NotPermitted("only an admin changes the organisation's details")
    _put(session, ORGANISATION, _ORGANISATION_KEY, data, by=by, at=at)
    audit.append(session, incident_id=PEOPLE_LOG, at=at, actor=by, action="organisation.changed",
                 reason=", ".join(sorted(k for k, v in data.items() if v)))


def _put(session: Session, kind: str, key: str, data: Mapping[str, str], *, by: str, at: datetime) -> None:
    row = session.get(DocumentRow, (kind, key))
    if row is None:
        session.add(DocumentRow(kind=kind, key=key, data=dict(data), updated_at=at, updated_by=by))
    else:
        row.data, row.updated_at, row.updated_by = dict(data), at, by
