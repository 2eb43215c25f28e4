"""Throughput of `datalek ingest`: parse-only, and parse + produce to a real broker, on one large file.

    .venv/bin/python bench/ingest.py [--copies 50] [--format openssh] [FILE]

The default input is the loghub OpenSSH log repeated ``--copies`` times (2,000 lines each). The broker is
DATALEK_KAFKA__BOOTSTRAP if set, else the embedded Tansu broker started here.
"""

from __future__ import annotations

import argparse
import os
import socket
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from kafka import KafkaProducer

from datalek.brokers import EmbeddedBroker
from streams.ingest import send
from streams.kafka_admin import ensure_topics
from streams.parsers import FORMATS, ParseContext

LOGHUB = Path(__file__).resolve().parents[1] / "tests" / "data" / "loghub" / "OpenSSH_2k.log"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(path: Path, fmt: str, bootstrap: str) -> None:
    context = ParseContext(source=path.name, year=2026, reference=datetime.now(UTC))
    lines = path.read_text().splitlines(keepends=True)
    start = time.perf_counter()
    parsed = sum(1 for _ in FORMATS[fmt](lines, context=context))
    parse_s = time.perf_counter() - start
    topic = f"bench-{uuid.uuid4().hex[:6]}"
    ensure_topics(bootstrap, [f"{topic}.events", f"{topic}.dead"], partitions=1, replication_factor=1)
    with KafkaProducer(bootstrap_servers=bootstrap, linger_ms=20) as producer:
        start = time.perf_counter()
        summary = send(FORMATS[fmt](lines, context=context), producer, topic=f"{topic}.events",
                       dead_letter_topic=f"{topic}.dead", envelope_size=200)
        total_s = time.perf_counter() - start
    print(f"lines {len(lines):,}  events {summary.events:,}  rejected {summary.rejected:,}  "
          f"messages {summary.messages:,}")
    print(f"parse only:        {parsed / parse_s:>10,.0f} events/s ({parse_s:.2f} s)")
    print(f"parse + produce:   {summary.events / total_s:>10,.0f} events/s ({total_s:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", type=Path)
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--format", default="openssh")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.file
        if path is None:
            path = Path(tmp) / "openssh-large.log"
            path.write_text((LOGHUB.read_text().rstrip("\n") + "\n") * args.copies)
        bootstrap = os.environ.get("DATALEK_KAFKA__BOOTSTRAP")
        if bootstrap:
            print(f"broker: {bootstrap}")
            run(path, args.format, bootstrap)
            return
        with EmbeddedBroker(free_port(), log_path=Path(tmp) / "tansu.log") as broker:
            print(f"broker: embedded Tansu at {broker.bootstrap}")
            run(path, args.format, broker.bootstrap)


if __name__ == "__main__":
    main()
