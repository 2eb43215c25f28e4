"""Per-user API tokens: random, shown once, stored only as a hash; who may issue them (SQLite and PostgreSQL)."""

import hashlib

import pytest
from sqlalchemy import inspect, select

from incidents import workflow as wf
from incidents.persistence import database, users
from incidents.persistence.rows import UserRow
from tests.integration.test_workflow_cli import datalek
from tests.unit.test_services import NOW


@pytest.fixture
def factory(database_url):
    engine = database.make_engine(database_url)
    database.upgrade(engine)
    f = database.session_factory(engine)
    with f.begin() as session:
        users.add(session, name="adam", role=wf.Role.ADMIN, by="adam", at=NOW)
        users.add(session, name="ann", role=wf.Role.ANALYST, by="adam", at=NOW)
        users.add(session, name="fien", role=wf.Role.PRIVACY_OFFICER, by="adam", at=NOW)
    yield f
    engine.dispose()


def issue(factory, name, by):
    with factory.begin() as session:
        return users.issue_token(session, name=name, by=by, at=NOW)


def test_an_issued_token_names_its_user_and_only_its_hash_is_stored(factory):
    token = issue(factory, "fien", "fien")
    assert len(token) >= 43
    with factory() as session:
        assert users.authenticate(session, token) == wf.Actor("fien", wf.Role.PRIVACY_OFFICER)
        row = session.get(UserRow, "fien")
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in {getattr(row, c.key) for c in UserRow.__table__.columns}


def test_a_new_token_replaces_the_old_one(factory):
    old = issue(factory, "ann", "ann")
    new = issue(factory, "ann", "ann")
    assert old != new
    with factory() as session:
        assert users.authenticate(session, new).name == "ann"
        with pytest.raises(users.InvalidToken):
            users.authenticate(session, old)


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 43])
def test_unknown_tokens_are_refused(factory, token):
    issue(factory, "ann", "ann")
    with factory() as session, pytest.raises(users.InvalidToken):
        users.authenticate(session, token)


def test_only_an_admin_issues_tokens_for_other_people(factory):
    with pytest.raises(wf.NotPermitted):
        issue(factory, "fien", "ann")
    with pytest.raises(users.UnknownUser):
        issue(factory, "ann", "mallory")
    with pytest.raises(users.UnknownUser):
        issue(factory, "nobody", "adam")
    token = issue(factory, "fien", "adam")
    with factory() as session:
        assert users.authenticate(session, token).name == "fien"
        assert session.scalars(select(UserRow.token_hash).where(UserRow.name == "ann")).one() is None


def test_users_token_prints_a_token_that_authenticates(tmp_path):
    admin = datalek(tmp_path, "users", "add", "adam", "admin").stdout.strip()
    assert datalek(tmp_path, "users", "add", "ann", "analyst", token=admin).returncode == 0
    assert datalek(tmp_path, "users", "add", "fien", "privacy_officer", token=admin).returncode == 0
    result = datalek(tmp_path, "users", "token", "ann", token=admin)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    again = datalek(tmp_path, "users", "token", "ann", token=token)  # people renew their own
    refused = datalek(tmp_path, "users", "token", "fien", token=again.stdout.strip())
    assert refused.returncode == 2 and "admin" in refused.stderr
    token = again.stdout.strip()
    me = "ann"
    engine = database.make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    with database.session_factory(engine)() as session:
        assert users.authenticate(session, token).name == me
    engine.dispose()


def test_migration_0007_adds_and_removes_the_token_column_keeping_users(factory):
    issue(factory, "ann", "ann")
    engine = factory.kw["bind"]
    database.downgrade(engine, "0006")
    assert "token_hash" not in {c["name"] for c in inspect(engine).get_columns("users")}
    database.upgrade(engine)
    with factory() as session:
        assert session.scalars(select(UserRow.name).order_by(UserRow.name)).all() == ["adam", "ann", "fien"]
        assert session.get(UserRow, "ann").token_hash is None


def test_a_role_change_takes_effect_at_once_and_every_change_of_people_is_audited(factory):
    from incidents.persistence.audit import trail

    token = issue(factory, "ann", "ann")
    with factory.begin() as session:
        with pytest.raises(wf.NotPermitted):
            users.change_role(session, name="ann", role=wf.Role.PRIVACY_OFFICER, by="fien", at=NOW)
        users.change_role(session, name="ann", role=wf.Role.PRIVACY_OFFICER, by="adam", at=NOW)
    with factory() as session:
        assert users.authenticate(session, token).role is wf.Role.PRIVACY_OFFICER  # the same token, the new role
    with factory.begin() as session:
        users.remove(session, name="ann", by="adam", at=NOW)
    with factory() as session:
        with pytest.raises(users.InvalidToken):
            users.authenticate(session, token)
        people = [(a["actor"], a["action"], a["reason"]) for a in trail(session, users.PEOPLE_LOG)]
    assert people[-3:] == [("ann", "user.token_issued", people[-3][2]),
                           ("adam", "user.role_changed", "ann: analyst -> privacy_officer"),
                           ("adam", "user.removed", "ann (privacy_officer)")]
    assert [a for _, a, _ in people[:3]] == ["user.added"] * 3
