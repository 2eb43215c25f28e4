"""`datalek parse FILE --format F [--json]`: a dry run of a parser, like `logstash -t` or `vector test`.

Reads the file through the format's parser and the edge validator (``streams.schema``) that ingest and
replay use, without Kafka or a database, and prints the normalised events, the lines skipped per
program, and the rejected lines with their reasons. Text output escapes control characters of the
log lines (ESC, CR, bidi overrides) so that a hostile line cannot rewrite the terminal.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from datalek.settings import Settings
from incidents.errors import IncidentError
from incidents.text import visible
from streams import schema
from streams.lines import DEFAULT_MAX_LINE_BYTES, parse_bounded
from streams.parsers import FORMATS, ParseContext, Rejected, Skipped

SHOWN_POSITIONS = 5  # skipped lines listed per program in the text output


class UsageError(Exception):
    """The command cannot run: unknown format or time zone, missing or unreadable file."""


def records(path: str, *, fmt: str, year: int | None = None, tz: str = "UTC",
            asset: str | None = None, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES) -> Iterator[dict[str, Any]]:
    """One record per parse result ("event", "skipped", "rejected"), then a "summary"."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}")
    context = _context(path, year=year, tz=tz, asset=asset)
    counts, programs = Counter({"events": 0, "rejected": 0, "skipped": 0}), Counter[str]()
    with _lines(path) as source:
        for result in parse_bounded(FORMATS[fmt], source, context=context, max_bytes=max_line_bytes):
            record = _record(result)
            counts[_COUNTED[record["kind"]]] += 1
            if isinstance(result, Skipped):
                programs[result.program] += 1
            yield record
    yield {"kind": "summary", **counts, "skipped_programs": dict(sorted(programs.items()))}


SHOWN = 300  # characters of a rejected line shown in text output (JSON keeps the line as read)
_COUNTED = {"event": "events", "rejected": "rejected", "skipped": "skipped"}


def _record(result: Any) -> dict[str, Any]:
    if isinstance(result, Skipped):
        return {"kind": "skipped", "program": result.program, "position": result.position}
    if isinstance(result, Rejected):
        return {"kind": "rejected", "position": result.position, "reason": result.reason, "line": result.raw}
    try:  # normalised as the worker and replay do (producer mappings): what the rules will see
        event = schema.to_event(result.event)
    except IncidentError as e:
        return {"kind": "rejected", "position": result.position, "reason": f"invalid event: {e}",
                "line": json.dumps(result.event)}
    notes = {"notes": list(result.notes)} if result.notes else {}
    return {"kind": "event", "position": result.position, "event": dict(event.fields), **notes}


def _context(path: str, *, year: int | None, tz: str, asset: str | None) -> ParseContext:
    """Year-less stamps take ``year``, else the year of the file's modification time (as replay does)."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise UsageError(f"unknown time zone {tz!r}") from e
    if path == "-":
        return ParseContext(source="stdin", year=year, reference=datetime.now(UTC), tz=zone, asset=asset)
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"{path}: no such file")
    reference = datetime.fromtimestamp(file.stat().st_mtime, UTC)
    return ParseContext(source=file.name, year=year, reference=reference, tz=zone, asset=asset)


@contextmanager
def _lines(path: str) -> Iterator[IO[bytes]]:
    if path == "-":
        yield sys.stdin.buffer
        return
    try:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as handle:
            yield handle
    except OSError as e:
        raise UsageError(f"{path}: {e.strerror or e}") from e


def text(record: dict[str, Any], skipped: dict[str, list[str]]) -> str | None:
    """The text line for one record; skipped lines are collected and shown per program in the summary."""
    kind = record["kind"]
    if kind == "event":
        return visible(f"event    {record['position']}  {json.dumps(record['event'], ensure_ascii=False)}")
    if kind == "rejected":
        line = record["line"] or ""
        if len(line) > SHOWN:  # an oversized line is one rejection, not a screenful
            line = f"{line[:SHOWN]}... ({len(line) - SHOWN:,} more characters)"
        return visible(f"rejected {record['position']}  {record['reason']}: {line}")
    if kind == "skipped":
        skipped.setdefault(record["program"], []).append(record["position"])
        return None
    lines = [visible(f"skipped  {program} {len(positions)} line(s): {', '.join(positions[:SHOWN_POSITIONS])}"
                       + (", ..." if len(positions) > SHOWN_POSITIONS else ""))
             for program, positions in sorted(skipped.items())]
    lines.append(f"summary  events {record['events']}, rejected {record['rejected']}, skipped {record['skipped']}")
    return "\n".join(lines)


def parse_command(
    path: Annotated[str, typer.Argument(help="log file (.gz too), or - for stdin")],
    fmt: Annotated[str, typer.Option("--format", help=f"one of: {', '.join(FORMATS)}")] = "ecs",
    year: Annotated[int | None, typer.Option(help="year of syslog stamps that have none")] = None,
    timezone: Annotated[str, typer.Option(help="zone of stamps that have none")] = "UTC",
    asset: Annotated[str | None, typer.Option(help="the inventory system these logs belong to")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines: event, skipped, rejected, summary")] = False,
) -> None:
    """Dry run: the events, skipped and rejected lines a file gives (no Kafka, no database)."""
    skipped: dict[str, list[str]] = {}
    try:
        for record in records(path, fmt=fmt, year=year, tz=timezone, asset=asset,
                              max_line_bytes=Settings().input.max_line_bytes):
            line = json.dumps(record) if as_json else text(record, skipped)
            if line is not None:
                sys.stdout.write(line + "\n")
    except UsageError as e:
        typer.echo(f"error: {visible(str(e))}", err=True)
        raise typer.Exit(code=2) from e
