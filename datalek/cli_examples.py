"""Examples under `--help` of the workflow commands: commands as the README writes them, to copy and paste.

``attach(app)`` sets each command's (and command group's) epilog once every command is registered. A test holds
every example to the CLI (it parses) and the draft, replay, ingest, incidents and users examples to the README.
"""

from __future__ import annotations

from collections.abc import Mapping

import typer
from typer.models import CommandInfo

SCENARIO = "datalek/scenarios/24online-password-guessing.jsonl"
EXAMPLES: Mapping[str, tuple[str, ...]] = {  # command path -> examples ("$ID": an incident id or its first 8)
    "ingest": (f"datalek ingest {SCENARIO}",
               "datalek ingest /var/log/auth.log --format syslog --follow --asset klantportaal"),
    "replay": (f"datalek replay {SCENARIO} --json",
               "datalek replay auth.log --format openssh --year 2026 --timezone Europe/Amsterdam"),
    "rules": ("datalek rules", "datalek rules --rules /etc/datalek/rules --json"),
    "draft": ('datalek draft "$ID" --kind ap --format html -o melding.html',
              'datalek draft "$ID" --kind subjects --lang en',
              'datalek draft "$ID" --kind register --format xlsx -o register.xlsx'),
    "incidents": ("datalek incidents list",
                  'datalek incidents confirm "$ID" --reason "accounts guessed"'),
    "incidents list": ("datalek incidents list", "datalek incidents list --json"),
    "incidents show": ('datalek incidents show "$ID"', 'datalek incidents show "$ID" --json'),
    "incidents triage": ('datalek incidents triage "$ID"',),
    "incidents confirm": ('datalek incidents confirm "$ID" --reason "accounts guessed"',
                          'datalek incidents confirm "$ID" --reason "accounts guessed" '
                          "--aware-at 2026-11-20T09:30+01:00"),
    "incidents dismiss": ('datalek incidents dismiss "$ID" --reason "test login by the red team"',),
    "incidents awareness": ('datalek incidents awareness "$ID" --aware-at 2026-11-20T08:45+01:00 '
                            '--reason "the service desk knew first"',),
    "incidents facts-template": ('datalek incidents facts-template "$ID" > facts.json',),
    "incidents facts": ('datalek incidents facts "$ID" facts.json',),
    "incidents decide": ('datalek incidents decide "$ID"',
                         'datalek incidents decide "$ID" --no-notify-ap --reason "data were encrypted, key safe"'),
    "incidents report": ('datalek incidents report "$ID" --meldnummer M-2026-1234',
                         'datalek incidents report "$ID" --meldnummer M-2026-1234 --delay-reason "scope unclear"'),
    "incidents inform": ('datalek incidents inform "$ID" --informed-at 2026-11-24T10:00+01:00',),
    "incidents close": ('datalek incidents close "$ID" --reason "obligations met"',),
    "incidents follow-up": ('datalek incidents follow-up "$ID" supplement --text "47 accounts, not 4"',),
    "users": ("datalek users add fien privacy_officer", "datalek users token fien"),
    "users add": ("datalek users add fien privacy_officer", "datalek users add ann analyst --token"),
    "users token": ("datalek users token fien", "datalek users token okta-webhook --scope ingest"),
    "users role": ("datalek users role fien admin",),
    "users remove": ("datalek users remove ann",),
    "users list": ("datalek users list",),
    "register export": ("datalek register export --format csv -o register.csv",
                        "datalek register export --format xlsx -o register.xlsx"),
}


def epilog(path: str) -> str:
    """The examples as Typer shows an epilog (paragraphs split on blank lines)."""
    return "Examples:\n\n" + "\n\n".join(f"  {line}" for line in EXAMPLES[path])


def _name(command: CommandInfo) -> str:
    return command.name or (command.callback.__name__.replace("_", "-") if command.callback else "")


def attach(app: typer.Typer, prefix: str = "") -> None:
    """Set the epilog of every command and group of ``app`` that has examples."""
    for command in app.registered_commands:
        path = f"{prefix}{_name(command)}"
        if path in EXAMPLES:
            command.epilog = epilog(path)
    for group in app.registered_groups:
        if group.name and group.typer_instance is not None:
            path = f"{prefix}{group.name}"
            if path in EXAMPLES:
                group.typer_instance.info.epilog = epilog(path)
            attach(group.typer_instance, f"{path} ")
