"""Examples under `--help`: shown, accepted by the CLI as written, and the same commands the README uses."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from datalek.cli import app
from datalek.cli_examples import EXAMPLES

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
MAIN = ("draft", "replay", "ingest", "incidents", "users")


def _flat(text):
    return " ".join(text.split())


def _parsed(example):
    """The command and context click makes of the example (types, choices and required options checked), without
    running it."""
    args = shlex.split(example)
    args = args[1:args.index(">")] if ">" in args else args[1:]
    command = typer.main.get_command(app)
    ctx = command.make_context("datalek", args)
    while isinstance(command, TyperGroup):
        name, command, rest = command.resolve_command(ctx, [*ctx._protected_args, *ctx.args])
        ctx = command.make_context(name, rest, parent=ctx)
    return ctx


def test_draft_help_shows_the_readme_s_draft_example():
    result = subprocess.run([sys.executable, "-m", "datalek", "draft", "--help"], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "160"}, timeout=60)
    assert result.returncode == 0
    readme_example = 'datalek draft "$ID" --kind ap --format html -o melding.html'
    assert readme_example in README and readme_example in result.stdout
    assert "Examples:" in result.stdout


@pytest.mark.parametrize("path", sorted(EXAMPLES))
def test_help_shows_each_example(path):
    result = CliRunner().invoke(app, [*path.split(), "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for example in EXAMPLES[path]:
        assert _flat(example) in _flat(result.output), (path, example)


@pytest.mark.parametrize("example", sorted({e for examples in EXAMPLES.values() for e in examples}))
def test_every_example_is_a_command_the_cli_accepts_as_written(example):
    ctx = _parsed(example)
    path = ctx.command_path.removeprefix("datalek ")
    assert example.startswith(f"datalek {path}")
    assert path in EXAMPLES and example in EXAMPLES[path] + EXAMPLES.get(path.split()[0], ())


def test_a_wrong_example_would_be_refused():
    with pytest.raises(typer.TyperException, match="aware_at"):
        _parsed('datalek incidents awareness "$ID" --reason "no time given"')  # --aware-at is required
    with pytest.raises(typer.TyperException, match="dpo"):
        _parsed("datalek users add fien dpo")  # not a role
    with pytest.raises(typer.TyperException, match="--kinds"):
        _parsed('datalek draft "$ID" --kinds ap')  # no such option


@pytest.mark.parametrize("command", MAIN)
def test_each_main_command_has_an_example_the_readme_uses(command):
    readme_commands = {_flat(line.split("  #")[0]) for line in re.findall(r"datalek [^`\n|]+", README)}
    examples = {_flat(e) for path, group in EXAMPLES.items() if path.split()[0] == command for e in group}
    assert examples & readme_commands, command
