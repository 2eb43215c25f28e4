"""The audit log is tamper-evident: a hash chain that `datalek audit verify` walks, and triggers that refuse
UPDATE and DELETE (SQLite and PostgreSQL)."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from incidents.persistence import audit, database, users
from incidents.workflow import Role
from tests.integration.test_workflow_cli import datalek
from tests.unit.test_services import NOW


@pytest.fixture
def factory(database_url):
    engine = database.make_engine(database_url)
    database.upgrade(engine)
    factory = database.session_factory(engine)
    with factory.begin() as session:
        users.add(session, name="adam", role=Role.ADMIN, by="adam", at=NOW)
        users.add(session, name="ann", role=Role.ANALYST, by="adam", at=NOW)
    for n in range(3):
        with factory.begin() as session:
            audit.append(session, incident_id="i1", at=NOW, actor="ann", action="incident.viewed", reason=str(n))
    yield factory
    engine.dispose()


def test_an_untouched_chain_verifies(factory):
    with factory() as session:
        result = audit.verify(session)
    assert result.intact and result.rows == 5


def test_the_application_cannot_update_or_delete_audit_rows(factory):
    for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log WHERE action = 'user.added'"):
        with pytest.raises(DatabaseError, match="append-only"), factory.begin() as session:
            session.execute(text(statement))
    with factory() as session:
        assert audit.verify(session).intact


def _drop_guards(session):
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
    else:
        session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("DROP TRIGGER audit_log_no_delete"))


@pytest.mark.parametrize("tamper, reason", [
    ("DELETE FROM audit_log WHERE reason = '1'", "deleted"),
    ("UPDATE audit_log SET actor = 'mallory' WHERE reason = '1'", "altered"),
])
def test_a_deleted_or_altered_row_breaks_the_chain_even_without_the_triggers(factory, tamper, reason):
    with factory.begin() as session:  # someone with DDL rights removes the guards first
        _drop_guards(session)
        session.execute(text(tamper))
    with factory() as session:
        result = audit.verify(session)
    assert not result.intact and reason in result.reason


def test_datalek_audit_verify_exits_1_on_a_broken_chain(tmp_path):
    admin = datalek(tmp_path, "users", "add", "adam", "admin").stdout.strip()
    datalek(tmp_path, "users", "add", "ann", "analyst", token=admin)
    ok = datalek(tmp_path, "audit", "verify", token=admin)
    assert ok.returncode == 0 and "intact: 3 rows" in ok.stdout, ok.stderr
    engine = database.make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    with database.session_factory(engine).begin() as session:
        _drop_guards(session)
        session.execute(text("UPDATE audit_log SET reason = 'ann as admin' WHERE action = 'user.added' "
                             "AND reason LIKE 'ann%'"))
    engine.dispose()
    broken = datalek(tmp_path, "audit", "verify", token=admin)
    assert broken.returncode == 1 and "BROKEN at row 3" in broken.stderr  # adam added, his token, ann added
