"""``datalek rules``: the rules in force and the reviewed exceptions, read as the worker reads them.

A security team checks a rules folder here before the worker loads it: a mistake is the worker's start-up
error (file, rule or exception, field), and an exception shows what it takes out, why, whose it is and until
when (an expired one is marked: it no longer takes anything out of events after that day)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from incidents.text import visible


def rules_command(
    rules: Annotated[list[Path] | None, typer.Option(
        "--rules", help="rules folder (repeatable; default: DATALEK_DETECTION__RULES_DIRS)")] = None,
    no_default_rules: Annotated[bool, typer.Option("--no-default-rules", help="without the shipped rules")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object: rules and exceptions")] = False,
) -> None:
    """The rules in force and the reviewed exceptions (check a rules folder before the worker loads it)."""
    from datalek.rules import describe, load_rule_set
    from datalek.settings import Settings
    from incidents.errors import IncidentError
    from incidents.rules.exceptions import ZONE

    detection = Settings().detection
    folders = tuple(rules) if rules is not None else detection.rules_dirs
    try:
        loaded, exceptions = load_rule_set(folders, defaults=detection.default_rules and not no_default_rules)
    except IncidentError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(code=2) from e
    data = describe(loaded, exceptions, today=datetime.now(ZONE).date())
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    for rule in data["rules"]:
        note = f"  {rule['exceptions']} exception(s)" if rule["exceptions"] else ""
        sys.stdout.write(visible(f"{rule['id']:<30} {rule['kind']:<9} {rule['severity']:<9} {rule['source']}{note}")
                         + "\n")
    for e in data["exceptions"]:
        until = f"until {e['until']}" + (" (expired)" if e["expired"] else "") if e["until"] else "no end date"
        sys.stdout.write(visible(f"exception {', '.join(e['rules'])}: {json.dumps(e['match'])}; {e['reason']}; "
                                 f"owner {e['owner']}; {until}; {e['source']}") + "\n")
