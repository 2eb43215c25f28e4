"""Clear errors, exit code 2, no traceback: a missing broker, an unreachable database, a bad file."""

import os
import subprocess
import sys

from tests.conftest import free_port


def datalek(*args: str, tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DATALEK_")}
    full_env |= {"DATALEK_KAFKA__CONNECT_TIMEOUT": "3", **env}
    return subprocess.run([sys.executable, "-m", "datalek", *args], env=full_env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def test_ingest_of_a_missing_file_names_the_file(tmp_path):
    result = datalek("ingest", "nope.jsonl", tmp_path=tmp_path)
    assert result.returncode == 2
    assert "nope.jsonl: no such file" in result.stderr and "Traceback" not in result.stderr


def test_ingest_without_a_broker_says_which_address_it_tried(tmp_path):
    (tmp_path / "e.jsonl").write_text("{}\n")
    port = free_port()
    result = datalek("ingest", "e.jsonl", tmp_path=tmp_path, DATALEK_KAFKA__BOOTSTRAP=f"127.0.0.1:{port}")
    assert result.returncode == 2, result.stderr
    assert f"no Kafka broker answers at 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_without_a_broker_fails_clearly(tmp_path):
    port = free_port()
    result = datalek("run", tmp_path=tmp_path, DATALEK_KAFKA__BOOTSTRAP=f"127.0.0.1:{port}")
    assert result.returncode == 2
    assert f"no Kafka broker answers at 127.0.0.1:{port}" in result.stderr


def test_unreachable_database_fails_clearly(tmp_path):
    url = f"postgresql+psycopg://datalek:secret@127.0.0.1:{free_port()}/datalek"
    result = datalek("incidents", "list", tmp_path=tmp_path, DATALEK_DATABASE_URL=url)
    assert result.returncode == 2
    assert "database unreachable" in result.stderr and "secret" not in result.stderr
