"""Events/s of the detection worker path against a plain aiokafka consumer of the same topic, in one run.

    .venv/bin/python bench/detection.py [--events 50000] [--envelope 200] [--runs 3]

One topic is filled with synthetic security events (500 customers with a few addresses each, ~30 % failed
logins, a brute-force burst every 5,000 events, record views on the CRM) in envelopes of ``--envelope``
events per Kafka message. Then:

1. baseline: aiokafka (assign, no group) reads the topic and decodes every message with ``streams.schema``
   (JSON + validation into SecurityEvents), as the worker does;
2. worker: the real Faust app of ``streams.app.build_app`` (agents, rule-state table with its changelog,
   detections topic) with the shipped rules and the 24 Online inventory; handlers that need a database are
   no-ops. Timed from its first message in to its last changelog record acknowledged by the broker, so
   start-up and rebalancing are excluded and every state write is included.

Both run ``--runs`` times, alternately, on the same topic (the worker with a fresh app id and fresh topics of
its own each time); each run prints events/s and events per CPU-second of both, the end the median ratios.

The broker is DATALEK_KAFKA__BOOTSTRAP if set, else the embedded Tansu broker started here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from datalek.brokers import EmbeddedBroker
from streams import route, schema
from streams.kafka_admin import ensure_topics

T0 = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
NAMES = ("events", "by-key", "detections", "dead-letter", "incident-events")
PARTITIONS = 1


def synthetic(n: int, rng: random.Random) -> dict[str, Any]:
    """One event; every 5,000th starts a burst of failures from one source (a brute-force pattern). ECS
    categorisation as the rules match it (kind, category, type, outcome), plus the portal's action names."""
    at = (T0 + timedelta(milliseconds=50 * n)).isoformat().replace("+00:00", "Z")
    base = {"@timestamp": at, "event.id": f"b-{n}", "datalek.schema": 1, "host.name": "portal-web-01",
            "event.kind": "event"}
    login = {"event.category": ["authentication"], "event.type": ["start"], "event.action": "login"}
    if n % 5000 < 15:
        return {**base, **login, "event.outcome": "failure", "user.name": f"klant{n % 7}",
                "source.ip": f"203.0.113.{n // 5000 % 250}", "datalek.asset": "klantportaal"}
    kind = rng.random()
    if kind < 0.15:
        return {**base, "event.category": ["database"], "event.type": ["access"], "event.action": "record_view",
                "event.outcome": "success", "user.name": f"medewerker{rng.randrange(40)}",
                "datalek.records": rng.randrange(1, 20), "datalek.asset": "crm"}
    user = rng.randrange(500)  # each customer logs in from one of a few addresses
    return {**base, **login, "event.outcome": "failure" if kind < 0.45 else "success", "user.name": f"klant{user}",
            "source.ip": f"198.51.{user % 250}.{rng.randrange(1, 5)}", "datalek.asset": "klantportaal"}


async def fill(bootstrap: str, topic: str, events: int, envelope: int) -> int:
    rng, messages = random.Random(6), 0  # noqa: S311 - reproducible test data
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_request_size=8 * 1024 * 1024)
    await producer.start()
    try:
        for start in range(0, events, envelope):
            batch = [synthetic(n, rng) for n in range(start, min(events, start + envelope))]
            value = schema.encode_envelope(batch) if envelope > 1 else json.dumps(batch[0]).encode()
            await producer.send(topic, value)
            messages += 1
        await producer.flush()
    finally:
        await producer.stop()
    return messages


async def plain_consumer(bootstrap: str, topic: str, events: int) -> tuple[float, float, int]:
    """Seconds, CPU seconds and event count for aiokafka reading and decoding the whole topic."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                fetch_max_bytes=64 * 1024 * 1024, max_partition_fetch_bytes=16 * 1024 * 1024)
    await consumer.start()
    try:
        partition = TopicPartition(topic, 0)
        consumer.assign([partition])
        await consumer.seek_to_beginning(partition)
        seen, start, cpu = 0, None, 0.0
        while seen < events:
            batches = await consumer.getmany(timeout_ms=1000, max_records=10_000)
            if start is None:
                start, cpu = time.perf_counter(), time.process_time()
            for records in batches.values():
                for record in records:
                    seen += sum(1 for item in schema.decode(record.value) if not isinstance(item, schema.Rejected))
        return time.perf_counter() - start, time.process_time() - cpu, seen
    finally:
        await consumer.stop()


class Meter:
    """Wraps the rule engine (same ``route_keys`` and ``detect``) and the staged table writes: counts events
    routed, event copies run, detections and rule-state writes (changelog records); times from the first
    message in to the last changelog record acknowledged by the broker, then ends the worker."""

    def __init__(self, engine: Any, expected: int, result: Path) -> None:
        self.engine, self.expected, self.result = engine, expected, result
        self.rules = engine.rules
        self.routed = self.copies = self.seen = self.detections = self.writes = 0
        self.start = self.cpu = 0.0
        self.finishing = False
        self.app: Any = None

    def route_keys(self, event: Any) -> list[str]:  # the route stage with several partitions
        keys = self.engine.route_keys(event)
        self._routed(len({route.partition_of(k, PARTITIONS) for k in keys}))  # one copy per by-key partition
        return keys

    def candidates(self, event: Any) -> list[Any]:  # the route stage with one partition (streams.route.copies)
        found = self.engine.candidates(event)
        self._routed(1 if found else 0)
        return found

    def _routed(self, copies: int) -> None:
        self.routed += 1
        self.copies += copies
        if self.routed >= self.expected and self.seen >= self.copies and self.app is not None:
            self.flushed(self.app, 0)  # the last events had no copies: nothing more will be flushed

    def detect(self, states: Any, events: Any, **options: Any) -> list[Any]:
        found = self.engine.detect(states, events, **options)
        self.seen += len(events)
        self.detections += len(found)
        return found

    def message_in(self) -> None:
        if not self.start:
            self.start, self.cpu = time.perf_counter(), time.process_time()

    def flushed(self, app: Any, writes: int) -> None:
        self.writes += writes
        if self.routed >= self.expected and self.seen >= self.copies and not self.finishing:
            self.finishing = True
            asyncio.ensure_future(self.finish(app))

    async def finish(self, app: Any) -> None:
        while app.producer.buffer.size:
            await app.producer.buffer.flush()
        await asyncio.sleep(0.01)  # the buffer's sender may still hold the last record it took
        await app.producer.flush()  # every changelog record acknowledged
        self.result.write_text(json.dumps({"seconds": time.perf_counter() - self.start,
                                           "cpu": time.process_time() - self.cpu, "events": self.routed,
                                           "copies": self.seen,
                                           "detections": self.detections, "writes": self.writes}))
        os._exit(0)  # the measurement is taken; no graceful shutdown needed


def worker(bootstrap: str, events_topic: str, prefix: str, expected: int, result: Path) -> None:
    """Child process: the real Faust app with the shipped rules."""
    import faust

    from datalek.rules import load_inventory, load_rules
    from incidents.rules import Engine
    from streams import app as stream_app

    meter = Meter(Engine(load_rules(), inventory=load_inventory()), expected, result)
    config = stream_app.StreamConfig(app_id=prefix, bootstrap=bootstrap, partitions=PARTITIONS, replication_factor=1,
                                     session_timeout=6,
                                     topics={n: f"{prefix}.{n}" for n in NAMES} | {"events": events_topic},
                                     engine=meter)  # type: ignore[arg-type]
    handlers = stream_app.Handlers(record_detection=lambda d: None, pending_outbox=list,
                                   mark_published=lambda ids: None, is_transient=lambda e: False)
    app = stream_app.build_app(config, handlers)
    meter.app = app

    class FirstMessage(faust.Sensor):
        # on_stream_event_in, not on_message_in: Faust calls that only for topics that ack, and by-key does
        # not (streams.app); with it the clock never started and the run "took" the process's uptime
        def on_stream_event_in(self, tp: Any, offset: int, stream: Any, event: Any) -> None:
            meter.message_in()

    app.sensors.add(FirstMessage())
    flush = stream_app.Staged.flush

    async def counted_flush(staged: Any, buffer: Any, **kwargs: Any) -> bool:  # the worker's flush, counted
        done = await flush(staged, buffer, **kwargs)
        meter.flushed(app, len(staged))
        return done

    stream_app.Staged.flush = counted_flush  # type: ignore[method-assign,assignment]
    runner = stream_app.worker(app, loglevel="warning")
    stream_app.tune_collector()  # as `datalek run`
    runner.execute_from_commandline()


def run_worker(bootstrap: str, events_topic: str, prefix: str, expected: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        result, log = Path(tmp) / "result.json", Path(tmp) / "worker.log"
        # The worker's log goes to a file: a pipe nobody reads fills up (64 KB) and blocks the worker
        # on its next log line, which looked like a long run "slowing down" until it never finished.
        with log.open("wb") as out:
            argv = [sys.executable, __file__, "--worker", bootstrap, events_topic, prefix, str(expected), str(result)]
            child = subprocess.Popen(argv, cwd=tmp, stdout=out, stderr=subprocess.STDOUT)
            try:
                child.wait(timeout=900)
            finally:
                if child.poll() is None:
                    child.kill()
        text = log.read_text(errors="replace")
        if not result.exists():
            raise SystemExit(f"worker failed:\n{text[-3000:]}")
        return {**json.loads(result.read_text()), "buffer_full": text.count("producer buffer full")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench(bootstrap: str, events: int, envelope: int, runs: int) -> None:
    """Fill the events topic once, then run the plain consumer and the worker (a fresh app id and topics
    each time) alternately ``runs`` times. Wall-clock rates move with whatever else the machine runs; the
    CPU seconds each side spent (the worker process from its first message in) move much less."""
    topic = f"bench{uuid.uuid4().hex[:6]}.events"
    ensure_topics(bootstrap, [topic], partitions=PARTITIONS, replication_factor=1)
    messages = asyncio.run(fill(bootstrap, topic, events, envelope))
    print(f"{events:,} events in {messages:,} messages ({envelope} events per message)")
    ratios, cpu_ratios = [], []
    for run in range(1, runs + 1):
        plain_s, plain_cpu, plain_n = asyncio.run(plain_consumer(bootstrap, topic, events))
        prefix = f"bench{uuid.uuid4().hex[:6]}"
        ensure_topics(bootstrap, [f"{prefix}.{n}" for n in NAMES if n != "events"], partitions=PARTITIONS,
                      replication_factor=1)
        result = run_worker(bootstrap, topic, prefix, events)
        plain, rate = plain_n / plain_s, result["events"] / result["seconds"]
        plain_per_cpu, per_cpu = plain_n / plain_cpu, result["events"] / result["cpu"]
        ratios.append(rate / plain)
        cpu_ratios.append(per_cpu / plain_per_cpu)
        print(f"run {run}: plain aiokafka + schema.decode {plain:>8,.0f} events/s ({plain_s:.2f} s, "
              f"{plain_per_cpu:,.0f} per CPU-s); worker {rate:>7,.0f} events/s ({result['seconds']:.2f} s, "
              f"{per_cpu:,.0f} per CPU-s, {result['detections']} detections, {result['writes']:,} state writes, "
              f"{result['buffer_full']} 'buffer full'); ratio {rate / plain:.1%}, by CPU {per_cpu / plain_per_cpu:.1%}")
    print(f"ratio worker / plain consumer: median {statistics.median(ratios):.1%} (wall clock), "
          f"{statistics.median(cpu_ratios):.1%} (events per CPU-second)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _, _, bootstrap, events_topic, prefix, expected, result = sys.argv
        worker(bootstrap, events_topic, prefix, int(expected), Path(result))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--envelope", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="plain and worker runs, alternating")
    args = parser.parse_args()
    external = os.environ.get("DATALEK_KAFKA__BOOTSTRAP")
    if external:
        bench(external, args.events, args.envelope, args.runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        broker = EmbeddedBroker(free_port(), log_path=Path(tmp) / "tansu.log")
        broker.start()
        try:
            bench(broker.bootstrap, args.events, args.envelope, args.runs)
        finally:
            broker.stop()


if __name__ == "__main__":
    main()
