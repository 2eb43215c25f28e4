"""datalek as a real package: the wheel carries templates, rules, scenarios, migrations and configuration, and
the installed commands work outside the source tree (no editable install)."""

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh virtual environment with the wheel built from this tree; dependencies from the test environment
    (put behind it on the path, so only the wheel can provide `datalek`, `incidents`, `notifications`, `streams`)."""
    where = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(where / "dist"), str(ROOT)], check=True, capture_output=True, timeout=300)
    [wheel] = (where / "dist").glob("datalek-*.whl")
    venv.create(where / "venv", with_pip=False)
    target = where / "venv" / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    with zipfile.ZipFile(wheel) as archive:  # what `pip install --no-deps` does for a pure-Python wheel
        archive.extractall(target)
    python = where / "venv" / "bin" / "python"
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": sysconfig.get_paths()["purelib"], "HOME": str(where),
           "DATALEK_DATABASE_URL": f"sqlite:///{where / 'd.db'}"}
    return wheel, python, env, where


def run(installed, *args):
    _, python, env, where = installed
    code = "import sys; from datalek.cli import main; sys.argv = ['datalek', *sys.argv[1:]]; main()"
    return subprocess.run([str(python), "-c", code, *args], env=env, cwd=where, capture_output=True, text=True,
                          timeout=120)


def test_the_wheel_carries_the_package_data(installed):
    wheel, *_ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("datalek/templates/alert/body.txt", "datalek/templates/ap/draft.nl.md",
                   "datalek/templates/web/incident.html", "datalek/rules/auth-brute-force.yml",
                   "datalek/config/inventory-24online.yml", "datalek/scenarios/24online-password-guessing.jsonl",
                   "incidents/persistence/migrations/env.py"):
        assert needed in names, needed


def test_installed_modules_come_from_the_wheel_not_the_source_tree(installed):
    _, python, env, where = installed
    found = subprocess.run([str(python), "-c", "import datalek, notifications.rendering as r; "
                            "print(datalek.__file__); print(r.TEMPLATES_DIR)"], env=env, cwd=where,
                           capture_output=True, text=True, check=True).stdout.split()
    assert all(str(where / "venv") in path and str(ROOT) not in path for path in found)


def test_replay_draft_and_alert_render_from_the_installed_package(installed):
    _, python, env, where = installed
    replayed = run(installed, "replay", "--json", _scenario(installed))
    assert replayed.returncode == 0, replayed.stderr
    summary = json.loads(replayed.stdout.splitlines()[-1])
    assert summary["kind"] == "summary" and summary["incidents"] >= 1
    rendered = subprocess.run([str(python), "-c", _RENDER], env=env, cwd=where, capture_output=True, text=True)
    assert rendered.returncode == 0, rendered.stderr
    assert "# Concept-melding datalek" in rendered.stdout and "[datalek] New incident" in rendered.stdout


def test_the_installed_datalek_draft_command_writes_the_ap_draft_from_the_database(installed):
    _, python, env, where = installed
    stored = subprocess.run([str(python), "-c", _STORE], env=env, cwd=where, capture_output=True, text=True,
                            timeout=120)
    assert stored.returncode == 0, stored.stderr
    ref = stored.stdout.strip()[:8]
    for fmt, start in (("md", "# Concept-melding datalek"), ("html", "<!DOCTYPE html>")):
        drafted = run(installed, "draft", ref, "--kind", "ap", "--format", fmt)
        assert drafted.returncode == 0 and drafted.stdout.startswith(start), drafted.stderr
        assert "klantportaal" in drafted.stdout
    notice = run(installed, "draft", ref, "--kind", "subjects", "--lang", "en", "--format", "md")
    assert notice.returncode == 0 and "24 Online" in notice.stdout, notice.stderr


_STORE = """
from datetime import UTC, datetime
from incidents.detection import Detection
from incidents.persistence import database
from datalek.bootstrap import Container
from datalek.settings import Settings
c = Container(Settings())
database.upgrade(c.engine)
at = datetime(2026, 11, 20, 9, 12, tzinfo=UTC)
c.record_detection(Detection(key="k", rule_id="auth.repeated_failures", entity="source.ip=192.0.2.1",
                             asset="klantportaal", breach_type="confidentiality", window_start=at, window_end=at,
                             detected_at=at, count=10, event_ids=("e1",), summary="burst"))
with c.uow() as uow:
    [incident] = uow.incidents.list()
print(incident.id)
"""


def _scenario(installed):
    _, python, env, where = installed
    return subprocess.run([str(python), "-c", "from datalek.cli import SCENARIO; print(SCENARIO)"], env=env,
                          cwd=where, capture_output=True, text=True, check=True).stdout.strip()


_RENDER = """
from datetime import UTC, datetime
from datalek.replay import incident_record
from datalek.rules import load_inventory
from datalek.cli_draft import draft_command
from incidents.memory import MemoryUnitOfWork
from incidents import services
from incidents.detection import Detection
from notifications.config import load_organisation
from notifications.policy import alerts_for_change
from notifications.rendering import render_alert
at = datetime(2026, 11, 20, 9, 12, tzinfo=UTC)
uow = MemoryUnitOfWork()
d = Detection(key="k", rule_id="auth.repeated_failures", entity="source.ip=192.0.2.1", asset="klantportaal",
              breach_type="confidentiality", window_start=at, window_end=at, detected_at=at, count=10,
              event_ids=("e1",), summary="burst")
services.record_detection(uow, d, now=at, correlation_window=__import__("datetime").timedelta(hours=1),
                          prefill=load_inventory().prefill)
[incident] = uow.incidents.items.values()
print(draft_command(incident, kind="ap", fmt="md", organisation=load_organisation(), now=at))
[alert] = alerts_for_change(None, incident)
print(render_alert(alert, incident, base_url="http://x/", now=at).title)
"""
