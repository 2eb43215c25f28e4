"""`datalek ingest` and `datalek syslog`: parsed events to the events topic in envelopes (kafka-python).

Every input line ends up either in an event or, with its reason and position, on the dead-letter topic.
"""

from __future__ import annotations

import gzip
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from kafka import KafkaProducer

from streams import records, schema
from streams.envelopes import Envelope, Envelopes, FlushPolicy
from streams.parsers import ParseResult, Rejected, Skipped

MAX_NOTES = 100


class BadInput(Exception):
    """The input file cannot be read."""


@dataclass
class IngestSummary:
    events: int = 0
    messages: int = 0
    rejected: int = 0
    reasons: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # other programs' lines, per program
    noted: int = 0  # values kept although not ECS (streams.normalise), and the first MAX_NOTES of them
    notes: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    @property
    def rate(self) -> float:
        return self.events / max(time.monotonic() - self.started, 1e-6)

    def rejected_lines(self, *, shown: int = 20) -> list[str]:
        """The first ``shown`` rejections with their reasons, and "... and N more" for the rest."""
        lines = [f"rejected {reason}" for reason in self.reasons[:shown]]
        if self.rejected > len(lines):
            lines.append(f"... and {self.rejected - len(lines)} more (all on the dead-letter topic)")
        return lines

    def skipped_text(self) -> str:
        """"skipped 3 (CRON 2, kernel 1)": lines of programs the format does not read (not dead letters)."""
        per_program = ", ".join(f"{ascii(name)[1:-1]} {count}" for name, count in sorted(self.skipped.items()))
        return f"skipped {self.skipped.total()}" + (f" ({per_program})" if per_program else "")


def open_input(path: str) -> IO[bytes]:
    """The input as bytes (lines are decoded and size-checked by ``streams.lines``, never here)."""
    if path == "-":
        return sys.stdin.buffer
    p = Path(path)
    if not p.is_file():
        raise BadInput(f"{path}: no such file")
    try:
        return cast(IO[bytes], gzip.open(p, "rb")) if p.suffix == ".gz" else p.open("rb")
    except OSError as e:
        raise BadInput(f"{path}: {e.strerror}") from e


class Followed:
    """A growing file, like `tail -F`, as a binary source whose ``readline(size)`` waits for a whole line (or
    ``size`` bytes): it reopens the file after rotation (new inode) or truncation, and ends when ``stop()``."""

    def __init__(self, path: Path, *, poll: float = 0.5, stop: Callable[[], bool] = lambda: False) -> None:
        self._path, self._poll, self._stop = path, poll, stop
        self._handle: IO[bytes] = path.open("rb")

    def readline(self, size: int = -1, /) -> bytes:
        buffer = b""
        while not self._stop():
            chunk = self._handle.readline(size - len(buffer) if size > 0 else -1)
            if chunk:
                buffer += chunk
                if buffer.endswith(b"\n") or 0 < size <= len(buffer):
                    return buffer
                continue
            if _rotated(self._path, self._handle):
                self._handle.close()
                self._handle = self._path.open("rb")
                continue
            time.sleep(self._poll)
        return b""

    def close(self) -> None:
        self._handle.close()


def follow(path: Path, *, poll: float = 0.5, stop: Callable[[], bool] = lambda: False) -> Iterator[str]:
    """Text lines of a growing file (see Followed), without a size cap: for callers that read trusted files."""
    source = Followed(path, poll=poll, stop=stop)
    try:
        yield from (line.decode("utf-8", errors="replace") for line in iter(source.readline, b""))
    finally:
        source.close()


def _rotated(path: Path, handle: IO[bytes]) -> bool:
    try:
        current = os.stat(path)
    except FileNotFoundError:
        return False  # between rename and re-creation: keep waiting
    return current.st_ino != os.fstat(handle.fileno()).st_ino or current.st_size < handle.tell()


def asset_key(event: Mapping[str, Any]) -> bytes | None:
    """The Kafka key of an event: its asset, else its host (keeps one asset's events in order on one partition)."""
    value = event.get("datalek.asset") or event.get("host.name")
    return str(value).encode() if value else None


def send(results: Iterable[ParseResult], producer: KafkaProducer, *, topic: str, dead_letter_topic: str,
         envelope_size: int, progress: Callable[[IngestSummary], None] = lambda s: None,
         flush_producer: bool = True, linger: float = 0.2, max_lag: float = 60.0,
         clock: Callable[[], float] = time.monotonic) -> IngestSummary:
    """Group events by asset into envelopes (sent when full, after ``linger`` seconds, or once the input is
    ``max_lag`` event-time seconds past their oldest event); rejected input goes to the dead-letter topic."""
    summary = IngestSummary()
    envelopes = Envelopes(FlushPolicy(size=envelope_size, linger=linger, max_lag=max_lag), clock=clock)

    def flush(ready: list[Envelope]) -> None:
        for key, events in ready:
            producer.send(topic, key=key, value=schema.encode_envelope(events))
            summary.messages += 1

    for n, result in enumerate(results):
        if isinstance(result, Skipped):  # another program's line: counted, never dead-lettered
            summary.skipped[result.program] += 1
            continue
        if isinstance(result, Rejected):
            summary.rejected += 1
            if len(summary.reasons) < MAX_NOTES:  # the first few are shown; a count says how many more
                summary.reasons.append(f"{result.position}: {result.reason}")
            record = records.dead_letter(reason=result.reason, topic=f"ingest:{result.position}",
                                         partition=None, offset=None, payload=result.raw)
            producer.send(dead_letter_topic, value=records.fit(record, limit=records.DEAD_LETTER_BYTES))
        else:
            summary.noted += len(result.notes)
            summary.notes += [f"{result.position}: {note}" for note in result.notes[:MAX_NOTES - len(summary.notes)]]
            flush(envelopes.add(asset_key(result.event), dict(result.event)))
            summary.events += 1
        if n % 5000 == 4999:
            progress(summary)
    flush(envelopes.drain())
    if flush_producer:
        producer.flush()
    return summary


class SyslogForwarder:
    """Parses each received syslog line and produces it to the events topic (or the dead letters)."""

    def __init__(self, producer: KafkaProducer, parse: Callable[..., Iterator[ParseResult]], *, topic: str,
                 dead_letter_topic: str, context: Callable[[str, int], Any]) -> None:
        self.producer, self.parse, self.context = producer, parse, context
        self.topic, self.dead_letter_topic = topic, dead_letter_topic
        self.summary = IngestSummary()
        self._line = 0

    def __call__(self, line: str, peer: str) -> None:
        self._line += 1
        context = self.context(f"syslog-{peer.rsplit(':', 1)[0]}", self._line)
        done = send(self.parse([line], context=context), self.producer, topic=self.topic,
                    dead_letter_topic=self.dead_letter_topic, envelope_size=1, flush_producer=False)
        self.summary.events += done.events
        self.summary.rejected += done.rejected
        self.summary.skipped.update(done.skipped)

    def reject(self, reason: str, cut: str, peer: str) -> None:
        """A message the receiver refused unparsed (e.g. over the size limit): a dead letter with the reason."""
        self._line += 1
        source = f"syslog-{peer.rsplit(':', 1)[0]}:{self._line}"
        self.summary.rejected += 1
        record = records.dead_letter(reason=reason, topic=source, partition=None, offset=None, payload=cut)
        self.producer.send(self.dead_letter_topic, value=records.fit(record, limit=records.DEAD_LETTER_BYTES))
