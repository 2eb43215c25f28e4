"""`datalek status`: the worker's health (broker and database reachable, lag per partition, last incident).
Exit code 0 when both are reachable, 1 otherwise, so it serves as a container health check."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from datalek.bootstrap import Container
from datalek.cli_common import out
from datalek.settings import Settings
from incidents.persistence.rows import IncidentRow

if TYPE_CHECKING:
    from streams.health import Health


def database_health(container: Container) -> tuple[str | None, datetime | None]:
    try:
        with container.session_factory() as session:
            return None, session.scalar(select(func.max(IncidentRow.opened_at)))
    except SQLAlchemyError as e:  # the type only: SQLAlchemy's message may quote the URL or parameters
        return f"unreachable ({type(e).__name__})", None


def check(settings: Settings, *, timeout: float = 5.0) -> Health:
    from streams import plain_consumer
    from streams.health import Health, broker_health

    container = Container(settings.model_copy(update={"database_timeout": timeout}))
    k = settings.kafka
    topics = container.topics()
    consumed = {plain_consumer.group(k.app_id, "route"): [topics["events"]],  # streams.app: one group per stage
                k.app_id: [topics["by-key"], *container.raw_topics().values()],
                plain_consumer.group(k.app_id, "incidents"): [topics["detections"]]}
    broker_error, partitions = None, ()
    for group, topics in consumed.items():
        broker_error, found = broker_health(k.bootstrap_servers, group=group, topics=topics, timeout=timeout)
        partitions += found
        if broker_error:
            break
    database_error, last = database_health(container)
    container.engine.dispose()
    return Health(broker_error=broker_error, database_error=database_error, last_incident_at=last,
                  partitions=partitions)


def status_command(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    timeout: Annotated[float, typer.Option(help="seconds each probe may take")] = 5.0,
) -> None:
    """Is the worker able to work: broker and database reachable, lag per partition, last incident."""
    health = check(Settings(), timeout=timeout)
    if as_json:
        sys.stdout.write(json.dumps(health.to_dict()) + "\n")
    else:
        data = health.to_dict()
        out.print(f"broker    {data['broker']}", markup=False)
        out.print(f"database  {data['database']}", markup=False)
        out.print(f"last incident  {data['last_incident_at'] or '-'}", markup=False)
        out.print(f"lag       {health.lag} messages", markup=False)
        for p in health.partitions:
            out.print(f"  {p.topic}[{p.partition}]  committed {p.committed}  end {p.end}  lag {p.lag}",
                      markup=False)
    raise typer.Exit(code=0 if health.ok else 1)
