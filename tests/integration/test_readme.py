"""The README's set-up and FG example run by copy and paste, and so does the hint `datalek run` prints.

As a newcomer after `make run`: a copy of the clone (its files linked, its `.venv` the environment running
these tests), a fresh HOME (so a new per-user database), no DATALEK_ variable but the embedded broker's port
(a free one), a PATH without the environment. `make run` is a worker that keeps running: the test starts the
same `.venv/bin/datalek run` in its place. The blocks the README marks `<!-- readme-test -->` then run as
written, in order, in one bash; between two blocks the test waits (at most 90 s) for the worker to have opened
an incident, as a reader does who reads "within seconds".
"""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
VENV = Path(sys.prefix)
DATALEK = VENV / "bin" / "datalek"
MARKED = re.compile(r"^<!-- readme-test -->\n```(?:bash|sh)?\n(.*?)^```", re.M | re.S)

pytestmark = [pytest.mark.kafka,
              pytest.mark.skipif(sys.prefix == sys.base_prefix or not DATALEK.exists(),
                                 reason="needs the tests to run in the project's virtual environment (make test)")]


def readme_blocks(text: str) -> list[str]:
    return MARKED.findall(text)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clone_of_the_repository(where: Path) -> Path:
    """The clone's files, linked (what the blocks write stays here), and its `.venv`."""
    where.mkdir()
    for entry in ROOT.iterdir():
        if not entry.name.startswith("."):
            (where / entry.name).symlink_to(entry)
    (where / ".venv").symlink_to(VENV)
    return where


def newcomer_environment(home: Path, port: int) -> dict[str, str]:
    venv_bin = str(VENV / "bin")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DATALEK_", "XDG_")) and k not in {"VIRTUAL_ENV", "PYTHONPATH", "COLUMNS"}}
    path = [p for p in env.get("PATH", "/usr/bin:/bin").split(os.pathsep) if p and Path(p) != Path(venv_bin)]
    return env | {"HOME": str(home), "PATH": os.pathsep.join(path), "DATALEK_KAFKA__EMBEDDED_PORT": str(port)}


def start_worker(clone: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # COLUMNS=40: a hint Rich wrapped at the terminal's width would break inside its paths
    with log.open("wb") as out:
        worker = subprocess.Popen([".venv/bin/datalek", "run"], cwd=clone, env=env | {"COLUMNS": "40"},
                                  stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if "Worker]: Ready" in log.read_text(errors="replace"):
            return worker
        if worker.poll() is not None:
            break
        time.sleep(0.3)
    stop(worker)
    raise AssertionError(f"`datalek run` did not start:\n{log.read_text(errors='replace')[-3000:]}")


def stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def printed_hint(banner: str) -> list[str]:
    """The commands after `try:` in what `datalek run` printed, as a person copies them."""
    lines = banner.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("try:"))
    hint = [lines[start].split("try:", 1)[1]]
    hint += [line for line in lines[start + 1:start + 4] if line.startswith(" " * 17) and line.strip()]
    return [line.strip() for line in hint]


def bash(script: str, *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", "set -euo pipefail\n" + script], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


# between two blocks: wait (as a reader does) until the worker has opened an incident
WAIT = f"""readme_wait() {{
  local deadline=$((SECONDS + 90))
  until [ -n "$({shlex.quote(str(DATALEK))} incidents list --json 2>/dev/null)" ]; do
    (( SECONDS < deadline )) || {{ echo "readme_wait: no incident after 90 s" >&2; return 1; }}
    sleep 0.5
  done
}}
"""


def test_the_readme_set_up_and_fg_example_and_the_run_hint_work_as_written(tmp_path):
    blocks = readme_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 3 and "make run" not in "".join(blocks), blocks
    assert blocks[0].startswith(". .venv/bin/activate\n"), "the set-up's first block puts datalek on the PATH"
    clone = clone_of_the_repository(tmp_path / "clone")
    (home := tmp_path / "home").mkdir()
    env = newcomer_environment(home, free_port())
    worker = start_worker(clone, env, log := tmp_path / "run.log")
    try:
        banner = log.read_text(errors="replace")
        start_up = banner[:banner.index("Worker]: Ready")].splitlines()
        assert len(start_up) + 1 < 15, banner  # issue 14: quiet by default, the Ready line included
        hint = printed_hint(banner)
        assert hint[0] == f". {VENV / 'bin' / 'activate'}   # puts datalek on this shell's PATH", banner
        assert hint[1].startswith("datalek ingest /") and hint[2] == "datalek incidents list", banner

        # the hint, pasted into a new shell in another folder
        pasted = bash("\n".join(hint), cwd=home, env=env)
        assert pasted.returncode == 0, f"{pasted.stdout}\n{pasted.stderr}"
        assert re.search(r"sent 155 events in \d+ messages; rejected 0", pasted.stdout), pasted.stdout

        # the README's blocks, in one shell in the clone
        result = bash(WAIT + "\nreadme_wait\n".join(blocks), cwd=clone, env=env)
        assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n{log.read_text(errors='replace')[-2000:]}"
    finally:
        stop(worker)
    assert len(re.findall(r"sent 155 events in \d+ messages; rejected 0", result.stdout)) == 1, result.stdout
    assert "klantportaal" in result.stdout  # the incident in `datalek incidents list`
    assert "is reported" in result.stdout  # the last step of the FG example
    assert (clone / "melding.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (home / ".local" / "share" / "datalek" / "datalek.db").is_file()  # the per-user database


def test_readme_blocks_are_found_only_after_the_marker():
    text = ("<!-- readme-test -->\n```bash\necho one\n```\n\n```bash\necho untested\n```\n"
            "<!-- readme-test -->\n```\necho two\necho three\n```\n")
    assert readme_blocks(text) == ["echo one\n", "echo two\necho three\n"]


def test_printed_paths_are_never_wrapped_by_the_terminal_width(tmp_path):
    deep = tmp_path / "a-folder-name-long-enough" / "to-pass-forty-columns" / "on-its-own"
    deep.mkdir(parents=True)
    env = newcomer_environment(tmp_path, free_port()) | {"COLUMNS": "40"}

    def datalek(*args: str, db: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(DATALEK), *args], env=env | {"DATALEK_DATABASE_URL": f"sqlite:///{deep / db}"},
                              capture_output=True, text=True, timeout=120)

    port = free_port()
    web = subprocess.Popen([str(DATALEK), "web", "--port", str(port)], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True,
                           env=env | {"DATALEK_DATABASE_URL": f"sqlite:///{deep / 'a.db'}"})
    try:
        first = web.stdout.readline()
    finally:
        web.terminate()
        web.wait(timeout=30)
    # the console's address and database, whole on one line at 40 columns
    assert first == f"datalek web on http://127.0.0.1:{port}/incidents (database SQLite {deep / 'a.db'})\n"
    listed = datalek("incidents", "list", db="b.db")
    assert listed.returncode == 0, listed.stderr
    assert f"note: no database at {deep / 'b.db'} yet: creating an empty one" in listed.stderr
