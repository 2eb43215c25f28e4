"""The application needs no DDL (issue 12 item 5), on PostgreSQL: an administrator runs `datalek db upgrade`
and the README's grants (section Migrations, run as written); then the worker, the CLI and the services layer
work under an application role with DATALEK_DATABASE_MIGRATE=check, a role that can change no schema, drop no
trigger, and neither change nor delete an audit row. The role is cluster-wide: a unique name, dropped after."""

from __future__ import annotations

import json
import re
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, ProgrammingError

from incidents import services
from incidents.persistence import database
from incidents.persistence.rows import IncidentRow, OutboxRow
from incidents.persistence.uow import SqlUnitOfWork
from tests.conftest import POSTGRES_URL, _postgres_database, wait_until
from tests.integration.test_db_upgrade import datalek
from tests.integration.test_pipeline import count_incidents, produce, scenario_events
from tests.unit.test_services import HOUR, NOW, detection

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

README = Path(__file__).resolve().parents[2] / "README.md"
GRANTS = re.compile(r"^<!-- grants-test -->\n```sql\n(.*?)^```", re.M | re.S)
CHECK = {"DATALEK_DATABASE_MIGRATE": "check"}


def readme_grants(*, role: str, database_name: str) -> list[str]:
    """The README's grant statements, for ``role`` on ``database_name`` instead of datalek_app on datalek."""
    blocks = GRANTS.findall(README.read_text())
    assert len(blocks) == 2, "README section Migrations: the two grant blocks"
    sql = re.sub(r"--[^\n]*", "", "\n".join(blocks)).replace("datalek_app", f'"{role}"')
    sql = sql.replace("ON DATABASE datalek ", f'ON DATABASE "{database_name}" ')
    return [statement.strip() for statement in sql.split(";") if statement.strip()]


def execute(url: str, *statements: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def scalar(url: str, query) -> object:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(query)
    finally:
        engine.dispose()


@pytest.fixture
def app_database() -> Iterator[tuple[str, str, str]]:
    """(admin URL, application URL, role): a throwaway database and a login role with no rights in it yet."""
    if not POSTGRES_URL:
        pytest.skip("DATALEK_DATABASE_URL is not set (PostgreSQL runs in CI)")
    cluster = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with cluster.connect() as conn:
            may = conn.scalar(text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"))
        if not may:
            pytest.skip("the role of DATALEK_DATABASE_URL may not create roles (.ci/postgres.sh start grants "
                        "CREATEROLE)")
        role, password = f"datalek_app_{uuid.uuid4().hex[:10]}", secrets.token_hex(16)
        databases = _postgres_database()
        admin_url = next(databases)
        try:
            with cluster.connect() as conn:
                conn.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'"))
            app_url = make_url(admin_url).set(username=role, password=password).render_as_string(hide_password=False)
            yield admin_url, app_url, role
        finally:
            databases.close()  # drops the database (WITH FORCE: the role's sessions end), then the role
            with cluster.connect() as conn:
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    finally:
        cluster.dispose()


def test_the_application_role_needs_no_ddl_and_cannot_rewrite_the_audit_log(app_database, worker_factory,
                                                                           kafka_bootstrap, tmp_path):
    admin_url, app_url, role = app_database
    upgraded = datalek("db", "upgrade", url=admin_url, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    execute(admin_url, *readme_grants(role=role, database_name=make_url(admin_url).database))

    # no DDL: no new table (not even in public), no change to one, no dropping the audit log's trigger; and the
    # schema revision is read only
    for statement in ("CREATE TABLE extra (id integer)", "ALTER TABLE incidents ADD COLUMN extra integer",
                      "DROP TRIGGER audit_log_append_only ON audit_log",
                      "UPDATE alembic_version SET version_num = 'x'"):
        with pytest.raises(ProgrammingError, match="permission denied|must be owner"):
            execute(app_url, statement)

    # the worker: check mode starts, events in, the incident recorded and its outbox row relayed
    worker = worker_factory(app_url, **CHECK)
    worker.start()
    produce(kafka_bootstrap, worker.topic("events"), [json.dumps(e).encode() for e in scenario_events()])
    wait_until(lambda: count_incidents(app_url) == 1, message="the incident recorded as the application role")
    unpublished = select(func.count()).select_from(OutboxRow).where(OutboxRow.published_at.is_(None))
    wait_until(lambda: scalar(app_url, unpublished) == 0, message="the outbox relayed as the application role")

    # the services layer: a detection elsewhere opens a second incident (rows, audit, outbox, advisory lock)
    engine = database.make_engine(app_url)
    opened = services.record_detection(SqlUnitOfWork(database.session_factory(engine)),
                                       detection("d-app", entity="user.name=medewerker9", asset="crm"),
                                       now=NOW, correlation_window=HOUR)
    engine.dispose()
    assert opened and count_incidents(app_url) == 2

    # the CLI: a person added, a workflow step, the audit chain verified
    added = datalek("users", "add", "boss", "privacy_officer", url=app_url, cwd=tmp_path, **CHECK)
    assert added.returncode == 0, added.stderr
    fg = {"DATALEK_TOKEN": added.stdout.strip(), **CHECK}
    listed = datalek("incidents", "list", "--json", url=app_url, cwd=tmp_path, **fg)
    assert listed.returncode == 0, listed.stderr
    ref = next(i["id"][:8] for i in map(json.loads, listed.stdout.splitlines()) if i["asset"] == "crm")
    triaged = datalek("incidents", "triage", ref, url=app_url, cwd=tmp_path, **fg)
    assert triaged.returncode == 0, triaged.stderr
    assert scalar(app_url, select(IncidentRow.status).where(IncidentRow.id.startswith(ref))) == "triage"
    verified = datalek("audit", "verify", url=app_url, cwd=tmp_path, **fg)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    # the audit log: the application role may not change or delete a row; the owner is stopped by the trigger
    for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(ProgrammingError, match="permission denied for table audit_log"):
            execute(app_url, statement)
        with pytest.raises(DatabaseError, match="append-only"):
            execute(admin_url, statement)
    assert "permission denied" not in worker.log.read_text(errors="replace")
