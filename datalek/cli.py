"""The `datalek` command line."""

from __future__ import annotations

import json
import shlex
import sys
import threading
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from pydantic import ValidationError
from rich.table import Table

from datalek import logs
from datalek.bootstrap import Container, utc_now
from datalek.cli_common import (
    db_label,
    err,
    fail,
    migrate,
    migrated,
    out,
    read_incident,
    reader,
    shown,
    use_token,
)
from datalek.cli_db import db_cli
from datalek.cli_examples import attach as attach_examples
from datalek.cli_inventory import entities_json, inventory_cli
from datalek.cli_parse import parse_command
from datalek.cli_rules import rules_command
from datalek.cli_status import status_command
from datalek.cli_web import web_command
from datalek.invocation import invocation
from datalek.replay import replay_command
from datalek.settings import KafkaSettings, Settings
from incidents.assessment import deadlines
from incidents.model import Incident
from streams.lines import parse_bounded
from streams.normalise import MappingError, load_normaliser
from streams.parsers import FORMATS, ParseContext

if TYPE_CHECKING:  # Kafka, Faust, Apprise and the web server load in the commands that use them (fast start)
    from kafka import KafkaProducer

app = typer.Typer(help="datalek: personal-data breach tracker (GDPR Art. 33/34).", no_args_is_help=True)
incidents_cli = typer.Typer(help="Read incidents.", no_args_is_help=True)
app.add_typer(incidents_cli, name="incidents")
SCENARIO = Path(__file__).with_name("scenarios") / "24online-password-guessing.jsonl"


@app.callback()
def root(token: Annotated[str | None, typer.Option(
        "--token", help="your personal API token (instead of DATALEK_TOKEN)", show_default=False)] = None) -> None:
    """datalek: personal-data breach tracker (GDPR Art. 33/34)."""
    use_token(token)


LEVELS = ("debug", "info", "warning", "error")


@app.command()
def run(log_level: Annotated[str | None, typer.Option(
            "--log-level", help=f"{', '.join(LEVELS)} (default DATALEK_LOG_LEVEL, info)", show_default=False)] = None,
        verbose: Annotated[bool, typer.Option("-v", "--verbose", help="debug: Faust's own tables too")] = False,
        ) -> None:
    """The main job: embedded broker (when none is configured), migrations, topics, the stream worker.
    DATALEK_LOG_FORMAT=json writes one JSON object per log line (production)."""
    from datalek.brokers import EmbeddedBroker
    from streams.app import tune_collector, worker
    from streams.kafka_admin import BrokerUnavailable, ensure_topics, wait_for_broker

    settings = with_log_level(Settings(), "debug" if verbose else log_level)
    container = Container(settings)
    k = settings.kafka
    with ExitStack() as stack:
        try:
            if k.embedded:
                broker = EmbeddedBroker(k.embedded_port, log_path=Path(".datalek/tansu.log"))
                stack.callback(broker.stop)
                broker.start()
            wait_for_broker(k.bootstrap_servers, timeout=k.connect_timeout)
            ensure_topics(k.bootstrap_servers, container.all_topic_names(),
                          partitions=k.partitions, replication_factor=k.replication_factor)
        except BrokerUnavailable as e:
            raise fail(str(e)) from e
        migrate(container)
        for line in startup_summary(container):
            out.print(line, markup=False, highlight=False, soft_wrap=True)
        runner = worker(container.stream_app(), loglevel=settings.log_level,
                        logging_config=logs.config(settings.log_level, settings.log_format))
        tune_collector()
        runner.execute_from_commandline()


def with_log_level(settings: Settings, level: str | None) -> Settings:
    """``settings`` with the level given on the command line (one of ``LEVELS``), or as they are."""
    if level is None:
        return settings
    if level.lower() not in LEVELS:
        raise fail(f"--log-level: {level!r} is not one of {', '.join(LEVELS)}")
    return settings.model_copy(update={"log_level": level.lower()})


def startup_summary(container: Container) -> list[str]:
    """What `datalek run` says before the worker starts: where everything is, what it runs, where alerts go."""
    settings, k = container.settings, container.settings.kafka
    from notifications.dispatcher import load_targets

    kind = "embedded Tansu, memory storage" if k.embedded else "external"
    rules = container.rule_engine().rules
    a = settings.alerts
    targets = load_targets([u.get_secret_value() for u in a.apprise_urls], config_file=a.apprise_config)
    by_tag: dict[str, int] = {}
    for target in targets:
        for tag in target.tags or {"(untagged)"}:
            by_tag[tag] = by_tag.get(tag, 0) + 1
    alerts = (", ".join(f"{tag}: {n}" for tag, n in sorted(by_tag.items())) if targets
              else "no alert targets configured: alerts are only recorded (DATALEK_ALERTS__APPRISE_URLS)")
    return [f"datalek broker   {k.bootstrap_servers} ({kind})",
            f"        database {db_label(settings)}",
            f"        topics   {', '.join(container.topics().values())}",
            f"        rules    {len(rules)} loaded{_excepted(rules)}; inventory of {len(container.inventory.assets)} "
            "systems",
            f"        alerts   {alerts}",
            *_try_lines(invocation().lines(f"ingest {shlex.quote(str(SCENARIO))}", "incidents list"))]


def _excepted(rules: tuple[Any, ...]) -> str:
    """", 2 with reviewed exceptions (data.mass_access, ...)" when a rules folder holds exceptions."""
    ids = [r.id for r in rules if r.exceptions]
    return f", {len(ids)} with reviewed exceptions ({', '.join(ids)})" if ids else ""


def _try_lines(commands: list[str]) -> list[str]:
    """The hint, in another shell: each command a line of its own, never wrapped (printed with soft_wrap)."""
    return [f"{'        try:' if i == 0 else ''}".ljust(17) + c for i, c in enumerate(commands)]


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}")


def _producer(k: KafkaSettings) -> KafkaProducer:
    from kafka import KafkaProducer
    from kafka.errors import KafkaError

    # a wait longer than a moment says what it waits for (issue 14: "ingest with no broker waits 30 s silently")
    waiting = threading.Timer(2.0, lambda: err.print(
        f"note: waiting up to {k.connect_timeout:g} s for the Kafka broker at {k.bootstrap_servers}",
        markup=False, highlight=False, soft_wrap=True))
    waiting.start()
    try:
        return KafkaProducer(bootstrap_servers=k.bootstrap_servers, linger_ms=20,
                             bootstrap_timeout_ms=int(k.connect_timeout * 1000))
    except KafkaError as e:
        raise fail(f"no Kafka broker answers at {k.bootstrap_servers} ({e}); is `datalek run` running?") from e
    finally:
        waiting.cancel()


@app.command()
def ingest(
    path: Annotated[str, typer.Argument(help="file (.gz too), or - for stdin")],
    fmt: Annotated[str, typer.Option("--format", help=f"one of: {', '.join(FORMATS)}")] = "ecs",
    follow: Annotated[bool, typer.Option("--follow", help="tail a growing file (survives rotation)")] = False,
    year: Annotated[int | None, typer.Option(help="year of syslog stamps that have none")] = None,
    timezone: Annotated[str, typer.Option(help="zone of stamps that have none")] = "UTC",
    asset: Annotated[str | None, typer.Option(help="the inventory system these logs belong to")] = None,
) -> None:
    """Parse a log file or stdin and send the events to Kafka; rejected lines go to the dead-letter topic."""
    from streams import ingest as ingestion

    settings = Settings()
    k = settings.kafka
    _check_format(fmt)
    try:
        normaliser = load_normaliser(settings.detection.normalise_dirs)
        source = ingestion.open_input(path) if not follow else None
        if follow and not Path(path).is_file():
            raise ingestion.BadInput(f"{path}: no such file")
        context = ParseContext(source="stdin" if path == "-" else Path(path).name, year=year,
                               reference=utc_now(), tz=ZoneInfo(timezone), asset=asset, normaliser=normaliser)
    except (ingestion.BadInput, ZoneInfoNotFoundError, MappingError) as e:
        raise fail(str(e)) from e
    producer = _producer(k)
    source = ingestion.Followed(Path(path)) if follow else source
    assert source is not None
    results = parse_bounded(FORMATS[fmt], source, context=context, max_bytes=settings.input.max_line_bytes)
    with producer:
        summary = ingestion.send(
            results, producer, topic=k.topic("events"),
            dead_letter_topic=k.topic("dead-letter"), envelope_size=1 if follow else k.envelope_size,
            linger=k.envelope_linger, max_lag=k.envelope_max_lag,
            progress=lambda s: err.print(f"  {s.events} events, {s.rejected} rejected, {s.rate:,.0f} events/s"))
    out.print(f"sent {summary.events} events in {summary.messages} messages; rejected {summary.rejected}; "
              f"{summary.skipped_text()} ({summary.rate:,.0f} events/s)", markup=False, highlight=False,
              soft_wrap=True)
    for line in summary.rejected_lines(shown=20):
        err.print(f"  {shown(line)}", soft_wrap=True)
    if summary.notes:
        err.print(f"kept {summary.noted} values that are not ECS, e.g.:")
    for note in summary.notes[:20]:
        err.print(f"  note {note}")


@app.command()
def syslog(
    port: Annotated[int, typer.Option(help="UDP and TCP port")] = 5514,
    host: Annotated[str, typer.Option(help="address to bind; loopback unless you open it")] = "127.0.0.1",
    fmt: Annotated[str, typer.Option("--format", help="parser for the messages")] = "syslog",
    timezone: Annotated[str, typer.Option(help="zone of stamps that have none")] = "UTC",
    asset: Annotated[str | None, typer.Option(help="the inventory system these logs belong to")] = None,
) -> None:
    """Receive syslog (RFC 5424/3164, UDP and TCP), parse and produce to Kafka."""
    import asyncio

    from streams import ingest as ingestion
    from streams.syslog_receiver import SyslogReceiver

    settings = Settings()
    k = settings.kafka
    _check_format(fmt)
    try:
        normaliser = load_normaliser(settings.detection.normalise_dirs)
    except MappingError as e:
        raise fail(str(e)) from e
    producer = _producer(k)
    zone = ZoneInfo(timezone)
    forward = ingestion.SyslogForwarder(
        producer, FORMATS[fmt], topic=k.topic("events"), dead_letter_topic=k.topic("dead-letter"),
        context=lambda source, n: ParseContext(source=source, reference=utc_now(), tz=zone, asset=asset,
                                               first_line=n, normaliser=normaliser))

    async def serve() -> None:
        async with SyslogReceiver(forward, host=host, port=port, on_reject=forward.reject,
                                  max_message_bytes=settings.input.max_syslog_message_bytes) as receiver:
            ports = receiver.ports
            out.print(f"syslog on {host} udp/{ports.udp if ports else '?'} tcp/{ports.tcp if ports else '?'}"
                      f" -> {k.topic('events')} ({fmt})")
            while True:
                await asyncio.sleep(1)
                producer.flush()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
    finally:
        producer.close()
        out.print(f"forwarded {forward.summary.events} events; rejected {forward.summary.rejected}; "
                  f"{forward.summary.skipped_text()}", markup=False, highlight=False, soft_wrap=True)


def _incident_json(i: Incident) -> dict[str, object]:
    from incidents.register import entry

    data = {k: v for k, v in entry(i, []).items() if k != "audit_trail"}
    data |= {"entity": i.entity, "detections": list(i.detection_keys), "event_ids": list(i.event_ids),
             "version": i.version, **entities_json(i)}
    if i.became_aware_at and i.reported_at is None:
        data["regulator_clock"] = deadlines.regulator_clock(i.became_aware_at, now=utc_now()).to_dict()
    if i.decision and i.decided_at and i.decision.notify_subjects and i.subjects_informed_at is None:
        data["subjects_clock"] = deadlines.subject_clock(i.decided_at, now=utc_now()).to_dict()
    return data


@incidents_cli.command("list")
def list_incidents(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Incidents, newest first."""
    container = migrated(Settings())
    with container.uow() as uow:
        reader(uow, container.settings)
        items = uow.incidents.list()
    if as_json:
        for i in items:  # affected entities only in `show`, where reading them is audited
            sys.stdout.write(json.dumps({k: v for k, v in _incident_json(i).items() if k != "affected"}) + "\n")
        return
    table = Table("id", "status", "opened (UTC)", "asset", "rules", "events")
    for i in items:
        table.add_row(i.id[:8], i.status.value, i.opened_at.strftime("%Y-%m-%d %H:%M"), shown(i.asset or "-"),
                      shown(", ".join(i.rule_ids)), str(len(i.event_ids)))
    out.print(table if items else "no incidents")


@incidents_cli.command("show")
def show_incident(
    incident_id: str,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One incident with its evidence. Viewing is recorded in the audit log."""
    incident, _ = read_incident(migrated(Settings()), incident_id, action="incident.viewed")
    data = _incident_json(incident)
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    for key, value in data.items():
        if value not in (None, [], {}):
            text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
            out.print(f"[bold]{key:>20}[/] {shown(text)}")


def _register_workflow() -> None:
    from datalek import cli_workflow as w

    for command in w.workflow_cli.registered_commands:
        incidents_cli.registered_commands.append(command)
    app.add_typer(w.users_cli, name="users")
    app.add_typer(w.register_cli, name="register")
    app.add_typer(w.audit_cli, name="audit")
    app.add_typer(db_cli, name="db")
    app.command("assess")(w.assess_command)
    app.command("draft")(w.draft)


_register_workflow()
app.command("replay")(replay_command)
app.command("parse")(parse_command)
app.add_typer(inventory_cli, name="inventory")
app.command("web")(web_command)
app.command("status")(status_command)
app.command("rules")(rules_command)
attach_examples(app)  # examples under --help (datalek/cli_examples.py), once every command is registered


def main() -> None:
    try:
        app()
    except ValidationError as e:  # raised wherever Settings() is first built: one line, no traceback
        if e.title != Settings.__name__:
            raise
        err.print(f"error: bad configuration: {configuration_problems(e)}", markup=False, highlight=False,
                  soft_wrap=True)
        raise SystemExit(2) from e


def configuration_problems(error: ValidationError) -> str:
    """Each bad setting by its environment variable and what is wrong, never its value (it may be a secret)."""
    return "; ".join(f"DATALEK_{'__'.join(str(part) for part in problem['loc']).upper()}: {problem['msg']}"
                     for problem in error.errors())
