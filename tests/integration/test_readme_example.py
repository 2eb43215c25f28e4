"""The README's FG example runs as written, by copy and paste, on a database holding the scenario's incident."""

import os
import re
import subprocess
import sys
from pathlib import Path

from datalek.rules import load_inventory
from incidents import services
from incidents.persistence import database
from incidents.persistence.uow import SqlUnitOfWork
from tests.unit.test_services import HOUR, NOW, detection

README = Path(__file__).resolve().parents[2] / "README.md"


def fg_example() -> str:
    text = README.read_text(encoding="utf-8")
    after = text[text.index("Example, as the admin who installs datalek"):]  # the first block after it
    return re.search(r"```\n(.*?)```", after, re.S).group(1)


def test_the_readme_fg_example_runs_as_written(tmp_path):
    url = f"sqlite:///{tmp_path / 'datalek.db'}"
    engine = database.make_engine(url)
    database.upgrade(engine)
    services.record_detection(SqlUnitOfWork(database.session_factory(engine)), detection("d1", asset="klantportaal"),
                              now=NOW, correlation_window=HOUR, prefill=load_inventory().prefill)
    engine.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATALEK_")}
    env |= {"DATALEK_DATABASE_URL": url, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"}
    script = "set -euo pipefail\n" + fg_example()
    result = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert (tmp_path / "melding.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "is reported" in result.stdout
