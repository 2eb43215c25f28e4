"""A workflow command starts without the stream, alert and web stacks: every CLI call in a script or a test
pays the import time of what `datalek.cli` loads (halved when these moved into the commands that use them)."""

import subprocess
import sys

HEAVY = ("faust", "aiokafka", "kafka", "aiohttp", "apprise", "sigma")


def test_importing_the_cli_loads_no_broker_client_web_server_alert_library_or_sigma():
    code = "import sys, datalek.cli; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                timeout=60).stdout.split())
    assert "typer" in loaded and "sqlalchemy" in loaded  # the probe sees what the CLI loads
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
