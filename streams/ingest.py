"""`datalek ingest`: JSON lines from a file or stdin to the events topic, in envelopes (kafka-python)."""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kafka import KafkaProducer

from streams import records, schema


class BadInput(Exception):
    """The input file cannot be read."""


@dataclass
class IngestSummary:
    events: int = 0
    messages: int = 0
    rejected: int = 0
    reasons: list[str] = field(default_factory=list)


def open_input(path: str) -> IO[str]:
    if path == "-":
        return sys.stdin
    p = Path(path)
    if not p.is_file():
        raise BadInput(f"{path}: no such file")
    try:
        return gzip.open(p, "rt", encoding="utf-8") if p.suffix == ".gz" else p.open(encoding="utf-8")
    except OSError as e:
        raise BadInput(f"{path}: {e.strerror}") from e


def read_jsonl(lines: Iterable[str], source: str) -> Iterator[tuple[str, dict[str, Any] | str, str | None]]:
    """(position, object or raw line, rejection reason or None) per non-blank line."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        position = f"{source}:{number}"
        try:
            obj = json.loads(line)
        except ValueError as e:
            yield position, line.rstrip("\n"), f"line is not valid JSON: {e}"
            continue
        if not isinstance(obj, dict):
            yield position, line.rstrip("\n"), f"line is a JSON {type(obj).__name__}, not an object"
        else:
            yield position, obj, None


def _asset_key(event: dict[str, Any]) -> bytes | None:
    flat = schema.flatten(event)
    value = flat.get("datalek.asset") or flat.get("host.name")
    return str(value).encode() if value else None


def send(items: Iterable[tuple[str, dict[str, Any] | str, str | None]], producer: KafkaProducer, *,
         topic: str, dead_letter_topic: str, envelope_size: int) -> IngestSummary:
    """Group events by asset into envelopes; rejected lines go to the dead-letter topic."""
    summary = IngestSummary()
    pending: dict[bytes | None, list[dict[str, Any]]] = {}

    def flush(key: bytes | None) -> None:
        producer.send(topic, key=key, value=schema.encode_envelope(pending.pop(key)))
        summary.messages += 1

    for position, obj, reason in items:
        if reason is not None:
            summary.rejected += 1
            summary.reasons.append(f"{position}: {reason}")
            record = records.dead_letter(reason=reason, topic="ingest:" + position, partition=None,
                                         offset=None, payload=obj)
            producer.send(dead_letter_topic, value=json.dumps(record).encode())
            continue
        assert isinstance(obj, dict)
        key = _asset_key(obj)
        pending.setdefault(key, []).append(obj)
        summary.events += 1
        if len(pending[key]) >= envelope_size:
            flush(key)
    for key in list(pending):
        flush(key)
    producer.flush()
    return summary
