"""The `datalek` command line."""

from __future__ import annotations

import getpass
import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from kafka import KafkaProducer
from kafka.errors import KafkaError
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from datalek.bootstrap import Container, utc_now
from datalek.brokers import EmbeddedBroker
from datalek.settings import Settings
from incidents.assessment import deadlines
from incidents.model import Incident
from incidents.errors import IncidentError
from incidents.persistence import database
from streams import ingest as ingestion
from streams.kafka_admin import BrokerUnavailable, ensure_topics, wait_for_broker

app = typer.Typer(help="datalek: personal-data breach tracker (GDPR Art. 33/34).", no_args_is_help=True)
incidents_cli = typer.Typer(help="Read incidents.", no_args_is_help=True)
app.add_typer(incidents_cli, name="incidents")
out = Console()
err = Console(stderr=True)
SCENARIO = Path(__file__).with_name("scenarios") / "24online-password-guessing.jsonl"


def fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code=2)


def _db_label(settings: Settings) -> str:
    url = make_url(settings.database_url.get_secret_value())
    if url.get_backend_name() == "sqlite" and url.database:
        return f"SQLite {Path(url.database).resolve()}"
    return url.render_as_string(hide_password=True)


def _migrate(container: Container) -> None:
    try:
        database.upgrade(container.engine)
    except OperationalError as e:
        raise fail(f"database unreachable ({_db_label(container.settings)}): {e.orig}") from e


def migrated(settings: Settings) -> Container:
    """A container whose database is reachable and at the latest schema."""
    container = Container(settings)
    _migrate(container)
    return container


@app.command()
def run() -> None:
    """The main job: embedded broker (when none is configured), migrations, topics, the stream worker."""
    import faust

    settings = Settings()
    container = Container(settings)
    k = settings.kafka
    with ExitStack() as stack:
        try:
            if k.embedded:
                broker = EmbeddedBroker(k.embedded_port, log_path=Path(".datalek/tansu.log"))
                stack.callback(broker.stop)
                broker.start()
            wait_for_broker(k.bootstrap_servers, timeout=k.connect_timeout)
            ensure_topics(k.bootstrap_servers, list(container.topics().values()),
                          partitions=k.partitions, replication_factor=k.replication_factor)
        except BrokerUnavailable as e:
            raise fail(str(e)) from e
        _migrate(container)
        kind = "embedded Tansu (memory storage)" if k.embedded else "external"
        out.print(f"[bold]datalek[/] broker {k.bootstrap_servers} ({kind})")
        out.print(f"        database {_db_label(settings)}")
        out.print(f"        topics {', '.join(container.topics().values())}")
        out.print(f"        try: datalek ingest {SCENARIO}  then  datalek incidents list")
        worker = faust.Worker(container.stream_app(), loglevel=settings.log_level, quiet=True)
        worker.execute_from_commandline()


@app.command()
def ingest(
    path: Annotated[str, typer.Argument(help="JSON-lines file (.gz too), or - for stdin")],
) -> None:
    """Send events from a JSON-lines file or stdin to Kafka."""
    settings = Settings()
    k = settings.kafka
    try:
        source = ingestion.open_input(path)
    except ingestion.BadInput as e:
        raise fail(str(e)) from e
    try:
        producer = KafkaProducer(bootstrap_servers=k.bootstrap_servers, linger_ms=20,
                                 bootstrap_timeout_ms=int(k.connect_timeout * 1000))
    except KafkaError as e:
        raise fail(f"no Kafka broker answers at {k.bootstrap_servers} ({e}); is `datalek run` running?") from e
    with source, producer:
        summary = ingestion.send(ingestion.read_jsonl(source, path), producer, topic=k.topic("events"),
                                 dead_letter_topic=k.topic("dead-letter"), envelope_size=k.envelope_size)
    out.print(f"sent {summary.events} events in {summary.messages} messages; rejected {summary.rejected}")
    for reason in summary.reasons[:20]:
        err.print(f"  rejected {reason}")


def _incident_json(i: Incident) -> dict[str, object]:
    from incidents.register import entry

    data = {k: v for k, v in entry(i, []).items() if k != "audit_trail"}
    data |= {"entity": i.entity, "detections": list(i.detection_keys), "event_ids": list(i.event_ids),
             "version": i.version}
    if i.became_aware_at:
        data["regulator_clock"] = deadlines.regulator_clock(i.became_aware_at, now=utc_now()).to_dict()
    return data


@incidents_cli.command("list")
def list_incidents(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Incidents, newest first."""
    container = Container(Settings())
    _migrate(container)
    with container.uow() as uow:
        items = uow.incidents.list()
    if as_json:
        for i in items:
            sys.stdout.write(json.dumps(_incident_json(i)) + "\n")
        return
    table = Table("id", "status", "opened (UTC)", "asset", "rule", "events", "title")
    for i in items:
        table.add_row(i.id[:8], i.status.value, i.opened_at.strftime("%Y-%m-%d %H:%M"), i.asset or "-",
                      ", ".join(i.rule_ids), str(len(i.event_ids)), i.title)
    out.print(table if items else "no incidents")


@incidents_cli.command("show")
def show_incident(
    incident_id: str,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    actor: Annotated[str | None, typer.Option(help="who views it (audited); default: OS user")] = None,
) -> None:
    """One incident with its evidence. Viewing is recorded in the audit log."""
    container = Container(Settings())
    _migrate(container)
    with container.uow() as uow:
        try:
            incident = uow.incidents.find(incident_id)
        except IncidentError as e:
            raise fail(str(e)) from e
        uow.audit(incident.id, at=utc_now(), actor=actor or f"os:{getpass.getuser()}", action="incident.viewed")
        uow.commit()
    data = _incident_json(incident)
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    for key, value in data.items():
        if value not in (None, [], {}):
            out.print(f"[bold]{key:>20}[/] {json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value}")


def _register_workflow() -> None:
    from datalek import cli_workflow as w

    for command in w.workflow_cli.registered_commands:
        incidents_cli.registered_commands.append(command)
    app.add_typer(w.users_cli, name="users")
    app.add_typer(w.register_cli, name="register")
    app.command("assess")(w.assess_command)


_register_workflow()


def main() -> None:
    app()
