"""Offline replay: a log file through the same parsers, rule engine and correlation as the stream.

No Kafka, no database: events are parsed (``streams.parsers``), validated (``streams.schema``), run
through ``incidents.rules.Engine`` in batches like the worker's envelopes, and every detection goes
through ``incidents.services.record_detection`` over an in-memory unit of work. The output is JSON
lines: detections (and updates: later affected entities of a detection's incident) in the order they fire,
then incidents by opening time, then a summary (with the assets the inventory lacks).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from datalek.rules import load_inventory, load_rules
from datalek.settings import Settings
from incidents import services
from incidents.errors import IncidentError
from incidents.inventory import Inventory
from incidents.memory import MemoryUnitOfWork
from incidents.model import UNKNOWN_ASSET_NOTE, Incident
from incidents.rules import Engine
from incidents.rules.expiry import ExpiringStates
from incidents.security_event import SecurityEvent
from incidents.text import visible
from streams import records, schema
from streams.lines import DEFAULT_MAX_LINE_BYTES, parse_bounded
from streams.normalise import MappingError, default_normaliser, load_normaliser
from streams.parsers import FORMATS, ParseContext, Rejected, Skipped

BATCH = 200  # events per engine call, as in the ingest envelopes; the result does not depend on it


@dataclass(frozen=True, slots=True)
class ReplayOptions:
    """How to read the file and which rules, inventory and correlation window to use."""

    fmt: str = "ecs"
    rules_dirs: tuple[Path, ...] = ()
    default_rules: bool = True
    inventory: Path | None = None
    correlation_window: timedelta = timedelta(hours=1)
    year: int | None = None
    tz: str = "UTC"
    asset: str | None = None
    normalise_dirs: tuple[Path, ...] = ()  # extra producer mappings (streams.normalise), before the shipped
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES  # longer lines are rejected unread (streams.lines)


def replay(path: Path | str, *, fmt: str = "ecs", rules_dir: Path | str | None = None,
           **options: Any) -> Iterator[dict[str, Any]]:
    """Replay one file; yield detection, incident and summary records (deterministic order)."""
    dirs = (Path(rules_dir),) if rules_dir else ()
    yield from run(Path(path), ReplayOptions(fmt=fmt, rules_dirs=dirs, **options))


def run(path: Path, options: ReplayOptions) -> Iterator[dict[str, Any]]:
    inventory = load_inventory(options.inventory)
    engine = Engine(load_rules(options.rules_dirs, defaults=options.default_rules), inventory=inventory)
    uow, states = MemoryUnitOfWork(), ExpiringStates(engine.rules)
    counts = {"events": 0, "rejected": 0, "skipped": 0, "detections": 0}
    programs: Counter[str] = Counter()
    seen: set[str | None] = set()
    for batch in _batches(_events(path, options, counts, programs), BATCH):
        for detection in engine.detect(states, batch):
            counts["detections"] += detection.extends is None  # an update adds entities to a detection
            seen.add(detection.asset)
            services.record_detection(uow, detection, now=detection.detected_at,
                                      correlation_window=options.correlation_window)
            yield {"kind": "update" if detection.extends else "detection", **records.detection_to_wire(detection)}
        states.advance(max(int(event.timestamp.timestamp()) for event in batch))
    incidents = sorted(uow.incidents.items.values(), key=lambda i: (i.opened_at, i.id))
    yield from (incident_record(i, inventory) for i in incidents)
    yield {"kind": "summary", **counts, "skipped_programs": dict(sorted(programs.items())),
           "incidents": len(incidents), "rules": len(engine.rules), "unknown_assets": inventory.unknown(seen)}


def incident_record(incident: Incident, inventory: Inventory) -> dict[str, Any]:
    """An incident as JSON, with the inventory's data categories and counts for its asset."""
    return {
        "kind": "incident", "id": incident.id, "title": incident.title, "status": incident.status.value,
        "opened_at": incident.opened_at.isoformat(), "last_activity_at": incident.last_activity_at.isoformat(),
        "entity": incident.entity, "asset": incident.asset, "rule_ids": list(incident.rule_ids),
        "breach_types": sorted(incident.breach_types), "detections": list(incident.detection_keys),
        "event_ids": list(incident.event_ids), "inventory": inventory.prefill([incident.asset]).to_dict(),
        "asset_known": incident.asset_known, "asset_note": None if incident.asset_known else UNKNOWN_ASSET_NOTE,
        "affected": incident.affected.to_dict(),
    }


def _events(path: Path, options: ReplayOptions, counts: dict[str, int],
            programs: Counter[str]) -> Iterator[SecurityEvent]:
    if options.fmt not in FORMATS:
        raise ReplayError(f"unknown format {options.fmt!r}; one of: {', '.join(FORMATS)}")
    context = _context(path, options)
    try:
        # the shipped mappings are read once per process (a replay of many files, the corpus tests)
        normaliser = load_normaliser(options.normalise_dirs) if options.normalise_dirs else default_normaliser()
    except MappingError as e:
        raise ReplayError(str(e)) from e
    context = replace(context, normaliser=normaliser)
    with path.open("rb") as source:
        for result in parse_bounded(FORMATS[options.fmt], source, context=context, max_bytes=options.max_line_bytes):
            if isinstance(result, Skipped):  # another program's line: counted, not bad input
                counts["skipped"] += 1
                programs[result.program] += 1
                continue
            if isinstance(result, Rejected):
                counts["rejected"] += 1
                continue
            try:
                event = schema.to_event(result.event, normaliser=normaliser)
            except IncidentError:
                counts["rejected"] += 1
                continue
            counts["events"] += 1
            yield event


def _context(path: Path, options: ReplayOptions) -> ParseContext:
    """Year-less syslog stamps take ``year``, else the year of the file's modification time."""
    try:
        tz = ZoneInfo(options.tz)
    except ZoneInfoNotFoundError as e:
        raise ReplayError(f"unknown time zone {options.tz!r}") from e
    reference = None if options.year else datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return ParseContext(source=path.name, year=options.year, reference=reference, tz=tz, asset=options.asset)


def _batches(events: Iterable[SecurityEvent], size: int) -> Iterator[Sequence[SecurityEvent]]:
    batch: list[SecurityEvent] = []
    for event in events:
        batch.append(event)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class ReplayError(IncidentError):
    """The replay cannot start (unknown format, time zone, unreadable file)."""


def replay_command(
    path: Annotated[Path, typer.Argument(help="log file to replay")],
    fmt: Annotated[str, typer.Option("--format", help=f"one of: {', '.join(FORMATS)}")] = "ecs",
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="extra rules folder (repeatable)")] = None,
    no_default_rules: Annotated[bool, typer.Option("--no-default-rules", help="only the --rules")] = False,
    inventory: Annotated[Path | None, typer.Option(help="data inventory YAML (default: 24 Online's)")] = None,
    correlation_minutes: Annotated[int, typer.Option(help="correlation window")] = 60,
    year: Annotated[int | None, typer.Option(help="year of syslog stamps that have none")] = None,
    timezone: Annotated[str, typer.Option(help="zone of stamps that have none")] = "UTC",
    asset: Annotated[str | None, typer.Option(help="the inventory system these logs belong to")] = None,
    normalise: Annotated[list[Path] | None, typer.Option(
        "--normalise", help="extra producer mappings folder (repeatable)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines: detections, incidents, summary")] = False,
) -> None:
    """Run the rules and the correlation over a file, offline (no Kafka, no database)."""
    if not path.is_file():
        typer.echo(f"error: {visible(str(path))}: no such file", err=True)
        raise typer.Exit(code=2)
    options = ReplayOptions(fmt=fmt, rules_dirs=tuple(rules or ()), default_rules=not no_default_rules,
                            inventory=inventory, correlation_window=timedelta(minutes=correlation_minutes),
                            year=year, tz=timezone, asset=asset, normalise_dirs=tuple(normalise or ()),
                            max_line_bytes=Settings().input.max_line_bytes)
    try:
        for record in run(path, options):
            sys.stdout.write(json.dumps(record) + "\n" if as_json else _line(record))
    except IncidentError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(code=2) from e


def _line(record: dict[str, Any]) -> str:
    return visible(_text(record)) + "\n"


def _text(record: dict[str, Any]) -> str:
    if record["kind"] in ("detection", "update"):
        return (f"{record['kind']:<9} {record['rule_id']} {record['window_start']} asset={record['asset']}: "
                f"{record['summary']}")
    if record["kind"] == "incident":
        note = "" if record["asset_known"] else f" [{record['asset_note']}]"
        return (f"incident  {record['id'][:8]} {record['opened_at']} asset={record['asset']} "
                f"rules={','.join(record['rule_ids'])} events={len(record['event_ids'])}: {record['title']}{note}")
    return "summary   " + ", ".join(f"{k} {_value(v)}" for k, v in record.items() if k != "kind")


def _value(value: Any) -> str:
    if isinstance(value, (dict)):  # e.g. skipped lines per program (names come from the log; escaped by _line)
        return " ".join(f"{k}={v}" for k, v in value.items()) or "-"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "-"
    return str(value)
