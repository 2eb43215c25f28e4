"""Migrations are a step of their own: `datalek db upgrade` brings the schema to the latest revision, and with
DATALEK_DATABASE_MIGRATE=check the other commands never change the schema (the application's role needs no
DDL) and refuse, in one line, a database that is not up to date. The default still migrates on first use."""

import os
import subprocess
import sys

from sqlalchemy import inspect

from incidents.persistence import database


def datalek(*args: str, url: str, cwd, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DATALEK_")}
    full_env |= {"DATALEK_DATABASE_URL": url, **env}
    return subprocess.run([sys.executable, "-m", "datalek", *args], env=full_env, cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def _tables(url: str) -> set[str]:
    engine = database.make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_check_mode_refuses_an_unmigrated_database_until_db_upgrade_ran(database_url, tmp_path):
    refused = datalek("incidents", "list", url=database_url, cwd=tmp_path, DATALEK_DATABASE_MIGRATE="check")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "schema is at revision (none)" in refused.stderr and "datalek db upgrade" in refused.stderr
    assert "incidents" not in _tables(database_url)  # check mode ran no DDL

    upgraded = datalek("db", "upgrade", url=database_url, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    engine = database.make_engine(database_url)
    head = database.head_revision(engine)
    engine.dispose()
    assert f"schema at revision {head} (was empty)" in upgraded.stdout
    again = datalek("db", "upgrade", url=database_url, cwd=tmp_path)
    assert f"schema at revision {head} (already up to date)" in again.stdout

    listed = datalek("incidents", "list", url=database_url, cwd=tmp_path, DATALEK_DATABASE_MIGRATE="check")
    assert listed.returncode == 0, listed.stderr
    assert "no incidents" in listed.stdout


def test_the_default_still_migrates_a_new_embedded_database_on_first_use(tmp_path):
    url = f"sqlite:///{tmp_path / 'first.db'}"
    listed = datalek("incidents", "list", url=url, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "incidents" in _tables(url)


def test_processes_that_start_together_on_a_fresh_database_migrate_it_once_and_all_succeed(database_url, tmp_path):
    """A worker and the web console (docker-compose), or several workers, migrate on start at the same moment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATALEK_")} | {"DATALEK_DATABASE_URL": database_url}
    code = ("import os; from incidents.persistence import database as d; "
            "d.upgrade(d.make_engine(os.environ['DATALEK_DATABASE_URL']))")
    runs = [subprocess.Popen([sys.executable, "-c", code], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
            for _ in range(4)]
    errors = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    assert [rc for rc, _ in errors] == [0, 0, 0, 0], "\n".join(err for _, err in errors)[-3000:]
    engine = database.make_engine(database_url)
    try:
        assert database.current_revision(engine) == database.head_revision(engine)
    finally:
        engine.dispose()
