"""How a person types this datalek in a new shell, for the hints the program prints.

`make run` starts ``.venv/bin/datalek`` without putting ``.venv/bin`` on anyone's PATH, so a hint that says
``datalek ingest ...`` fails with "command not found" in the second shell it is meant for. The hint says what
works instead: ``datalek`` when the PATH already finds this very program (pipx, Docker, an activated
environment), else ``datalek`` after activating its virtual environment (the README's way), else its full path.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Invocation:
    setup: str | None  # a line to run first in a new shell (activating the virtual environment), or None
    command: str  # what to type for `datalek`

    def lines(self, *commands: str) -> list[str]:
        """Shell lines, copied as they are: ``commands`` are the arguments of datalek, one line each."""
        head = [f"{self.setup}   # puts datalek on this shell's PATH"] if self.setup else []
        return head + [f"{self.command} {c}" for c in commands]


def invocation(*, executable: str | None = None, prefix: str | None = None, base_prefix: str | None = None,
               path: str | None = None) -> Invocation:
    """The running interpreter's datalek (defaults: ``sys``'s values and the PATH of the environment)."""
    executable = executable or sys.executable
    prefix, base_prefix = prefix or sys.prefix, base_prefix or sys.base_prefix
    script = Path(executable).parent / "datalek"
    found = shutil.which("datalek", path=path)
    if found and script.exists() and Path(found).resolve() == script.resolve():
        return Invocation(None, "datalek")
    activate = Path(prefix) / "bin" / "activate"
    if prefix != base_prefix and activate.is_file():
        return Invocation(f". {shlex.quote(str(activate))}", "datalek")
    if script.exists():
        return Invocation(None, shlex.quote(str(script)))
    return Invocation(None, f"{shlex.quote(executable)} -m datalek")
