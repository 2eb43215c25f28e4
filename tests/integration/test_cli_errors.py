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


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The failure as the user sees it: status 2, one line on stderr, no traceback."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("note:")]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_web_with_its_port_taken_says_so_in_one_line(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = datalek("web", "--port", str(port), tmp_path=tmp_path,
                         DATALEK_DATABASE_URL=f"sqlite:///{tmp_path / 'd.db'}")
    assert f"cannot listen on 127.0.0.1:{port}" in _one_line_error(result)


def test_a_bad_awareness_time_is_one_line(tmp_path):
    result = datalek("incidents", "confirm", "abc123", "--aware-at", "gisteren 10:00", "--reason", "seen",
                     tmp_path=tmp_path, DATALEK_DATABASE_URL=f"sqlite:///{tmp_path / 'd.db'}")
    assert "is not an ISO 8601 time" in _one_line_error(result)


def test_replay_and_parse_of_a_missing_file_are_one_line(tmp_path):
    for command in ("replay", "parse"):
        assert "nope.log: no such file" in _one_line_error(datalek(command, "nope.log", tmp_path=tmp_path))


def test_a_bad_configuration_value_names_the_variable_not_the_value(tmp_path):
    result = datalek("incidents", "list", tmp_path=tmp_path, DATALEK_KAFKA__PARTITIONS="lots-secret",
                     DATALEK_DATABASE_URL=f"sqlite:///{tmp_path / 'd.db'}")
    line = _one_line_error(result)
    assert "bad configuration: DATALEK_KAFKA__PARTITIONS:" in line and "lots-secret" not in line


def test_ingest_without_a_broker_is_one_line(tmp_path):
    (tmp_path / "e.jsonl").write_text("{}\n")
    port = free_port()
    result = datalek("ingest", "e.jsonl", tmp_path=tmp_path, DATALEK_KAFKA__BOOTSTRAP=f"127.0.0.1:{port}")
    line, result_stderr = _one_line_error(result), result.stderr
    assert f"no Kafka broker answers at 127.0.0.1:{port}" in line
    assert f"note: waiting up to 3 s for the Kafka broker at 127.0.0.1:{port}" in result_stderr
