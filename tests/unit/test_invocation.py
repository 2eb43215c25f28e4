"""The hint's `datalek`: what a person types in a new shell to run this very program."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from datalek.invocation import Invocation, invocation


def executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def venv(root: Path) -> Path:
    """A virtual environment's bin folder as `python -m venv` and pip leave it: python, activate, datalek."""
    executable(root / "bin" / "python")
    executable(root / "bin" / "datalek")
    (root / "bin" / "activate").write_text("# sourced\n")
    return root


def test_on_the_path_it_is_just_datalek(tmp_path):
    env = venv(tmp_path / ".venv")
    found = invocation(executable=str(env / "bin" / "python"), prefix=str(env), base_prefix="/usr",
                       path=str(env / "bin"))
    assert found == Invocation(None, "datalek")


def test_a_link_on_the_path_to_this_program_counts_as_on_the_path(tmp_path):  # pipx: ~/.local/bin/datalek
    env = venv(tmp_path / "pipx" / "venvs" / "datalek")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "datalek").symlink_to(env / "bin" / "datalek")
    found = invocation(executable=str(env / "bin" / "python"), prefix=str(env), base_prefix="/usr",
                       path=str(tmp_path / "bin"))
    assert found == Invocation(None, "datalek")


def test_a_virtual_environment_off_the_path_is_activated_first(tmp_path):  # `make run`
    env = venv(tmp_path / "clone" / ".venv")
    other = executable(tmp_path / "elsewhere" / "datalek")  # another datalek on the PATH is not this one
    found = invocation(executable=str(env / "bin" / "python"), prefix=str(env), base_prefix="/usr",
                       path=os.pathsep.join(["/nonexistent", str(other.parent)]))
    assert found == Invocation(f". {env / 'bin' / 'activate'}", "datalek")
    assert found.lines("incidents list") == [f". {env / 'bin' / 'activate'}   # puts datalek on this shell's PATH",
                                             "datalek incidents list"]


def test_outside_a_virtual_environment_the_full_path_quoted(tmp_path):
    script = executable(tmp_path / "with space" / "bin" / "datalek")
    executable(script.with_name("python"))
    found = invocation(executable=str(script.with_name("python")), prefix="/usr", base_prefix="/usr",
                       path="/nonexistent")
    assert found == Invocation(None, f"'{script}'")
    assert found.lines("incidents list") == [f"'{script}' incidents list"]


def test_without_the_console_script_python_runs_the_module(tmp_path):
    python = executable(tmp_path / "bin" / "python3")
    assert invocation(executable=str(python), prefix="/usr", base_prefix="/usr", path="/nonexistent") == \
        Invocation(None, f"{python} -m datalek")
