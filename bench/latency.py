"""Latency of the real worker at a fixed event rate: event produced -> detection -> incident -> alert.

    .venv/bin/python bench/latency.py [--rates 500,5000] [--duration 60] [--bursts-per-second 2]
                                      [--plan-interval 5] [--poll 0.05] [--json]

For each rate a fresh `datalek run` (subprocess, as tests/conftest.py starts it; its own topics, a fresh
database, alerts to a local HTTP receiver as Apprise ``security=json://127.0.0.1:<port>/alerts``) reads
events whose event time is the wall clock, sent as `datalek ingest` sends them: ECS envelopes of up to 200
events per Kafka message, one batch every 0.1 s. The background is benign (90 % successful portal logins of
500 customers from their few addresses; 10 % failed logins, at most three per source address, so no rule
fires).
Mixed in, ``--bursts-per-second`` attack bursts: one Kafka message of 12 failed SSH logins from a fresh source
address on a fresh host that is not in the inventory, so each burst is its own brute-force detection and,
correlated by asset, its own incident. Per burst:

- produced: the bench's wall clock just before the burst's message is handed to the producer (also the
  events' ``@timestamp``);
- detection: the Kafka timestamp of the detection record (CreateTime, set by the worker's producer), and
  the time the bench's consumer of the detections topic received it;
- incident recorded: the audit row ``incident.opened`` (``audit_log.at``: the worker's wall clock taken just
  before the transaction that writes the incident, the audit row and the outbox row; the commit follows);
- incident visible: the first poll of the database (every ``--poll`` s) that sees that committed row;
- alert: the local HTTP target received the Apprise POST for the incident ("incident opened", tag
  ``security``: the worker plans alerts every ``--plan-interval`` s, DATALEK_ALERTS__PLAN_INTERVAL).

Before the measured period a canary burst is sent and its alert awaited (consumer groups assigned, the
planner running); then ``--warmup`` seconds of background alone. The broker is DATALEK_KAFKA__BOOTSTRAP if
set, else an embedded Tansu; the database a temporary SQLite file, or a throwaway PostgreSQL database when
DATALEK_DATABASE_URL is set. Every process (broker, worker, this bench) shares the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import re
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402

from bench import services  # noqa: E402
from incidents.persistence.rows import AuditRow, IncidentRow  # noqa: E402
from streams import schema  # noqa: E402

TICK = 0.1  # seconds between producer batches, as `datalek ingest` lingers
ENVELOPE = 200  # events per Kafka message (DATALEK_KAFKA__ENVELOPE_SIZE)
BURST = 12  # failed logins per attack burst (auth.repeated_failures fires at 10 in 5 minutes)
INCIDENT_LINK = re.compile(r"/incidents/([0-9a-f-]{36})")  # the alert links to its incident (no asset name)


def iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Background:
    """Benign portal logins: 90 % successes of 500 customers from their own few addresses, 10 % failures from
    addresses that fail at most three times (three customers each): below every authentication rule."""

    def __init__(self, run: str, seed: int = 15) -> None:
        self.rng, self.run, self.n, self.failures = random.Random(seed), run, 0, 0  # noqa: S311 - test data

    def event(self, at: str) -> dict[str, Any]:
        self.n += 1
        user = self.rng.randrange(500)
        base = {"@timestamp": at, "event.id": f"{self.run}-bg-{self.n}", "datalek.schema": 1, "event.kind": "event",
                "event.category": ["authentication"], "event.type": ["start"], "event.action": "login",
                "user.name": f"klant{user}", "host.name": "portal-web-01", "datalek.asset": "klantportaal"}
        if self.rng.random() < 0.1:
            k, self.failures = self.failures // 3, self.failures + 1
            return {**base, "event.outcome": "failure", "source.ip": f"10.{k >> 16 & 255}.{k >> 8 & 255}.{k & 255}"}
        return {**base, "event.outcome": "success", "source.ip": f"198.51.{user % 250}.{self.rng.randrange(1, 5)}"}


def burst(run: str, n: int, at: str) -> tuple[str, list[dict[str, Any]]]:
    """12 failed SSH logins (Elastic system.auth style) from a fresh address on a fresh, uninventoried host."""
    host = f"lat-{run}-{n:05d}"
    events = [{"@timestamp": at, "event.id": f"{run}-burst-{n}-{i}", "datalek.schema": 1, "event.kind": "event",
               "event.category": ["authentication"], "event.type": ["info"], "event.action": "ssh_login",
               "event.outcome": "failure", "user.name": ("root", "admin", "oracle")[i % 3],
               "source.ip": f"100.64.{n >> 8 & 255}.{n & 255}", "host.name": host, "process.name": "sshd"}
              for i in range(BURST)]
    return host, events


@dataclass
class Observed:
    """Wall-clock times (POSIX seconds) per burst host."""

    produced: dict[str, float] = field(default_factory=dict)
    routed: dict[str, float] = field(default_factory=dict)  # Kafka CreateTime of the burst's by-key copy
    detection_ts: dict[str, float] = field(default_factory=dict)  # Kafka CreateTime of the first detection
    detection_rx: dict[str, float] = field(default_factory=dict)
    recorded: dict[str, float] = field(default_factory=dict)  # audit_log.at of incident.opened
    visible: dict[str, float] = field(default_factory=dict)
    incident: dict[str, str] = field(default_factory=dict)  # host -> incident id
    alerts: dict[str, list[float]] = field(default_factory=dict)  # incident id -> arrival times

    def alerted(self, host: str) -> list[float]:
        return self.alerts.get(self.incident.get(host, ""), [])
    detections: int = 0
    sent_events: int = 0
    sent_seconds: float = 0.0


class Receiver:
    """The local HTTP target Apprise posts alerts to (json://): records when each arrived, by incident."""

    def __init__(self, observed: Observed) -> None:
        seen = observed.alerts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                at = time.time()
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.end_headers()
                try:
                    message = json.loads(body).get("message", "")
                except ValueError:
                    return
                match = INCIDENT_LINK.search(message)
                if match:
                    seen.setdefault(match.group(1), []).append(at)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


class DatabasePoll:
    """Polls the database every ``interval`` s for new incident.opened audit rows (a thread)."""

    def __init__(self, url: str, observed: Observed, interval: float) -> None:
        self.engine = create_engine(url)
        self.observed, self.interval, self.last = observed, interval, 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        query = (select(AuditRow.id, AuditRow.at, IncidentRow.asset, IncidentRow.id)
                 .join(IncidentRow, IncidentRow.id == AuditRow.incident_id)
                 .where(AuditRow.action == "incident.opened"))
        while not self.stopped.wait(self.interval):
            try:
                with self.engine.connect() as conn:
                    rows = conn.execute(query.where(AuditRow.id > self.last)).all()
            except Exception:  # noqa: S112 - tables not migrated yet, or a locked SQLite file: poll again
                continue
            seen = time.time()
            for row_id, at, asset, incident in rows:
                self.last = max(self.last, row_id)
                if asset:
                    self.observed.incident.setdefault(asset, incident)
                    self.observed.recorded.setdefault(asset, at.timestamp())
                    self.observed.visible.setdefault(asset, seen)

    def per_asset(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return dict(conn.execute(select(IncidentRow.asset, func.count()).group_by(IncidentRow.asset)).all())

    def close(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.engine.dispose()


async def watch(bootstrap: str, prefix: str, observed: Observed, stop: asyncio.Event) -> None:
    """Reads the by-key topic (the route stage's copies) and the detections topic from the beginning."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=20)
    await consumer.start()
    try:
        by_key, detections = f"{prefix}.by-key", f"{prefix}.detections"
        parts = [TopicPartition(t, p) for t in (by_key, detections)
                 for p in sorted(consumer.partitions_for_topic(t) or {0})]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=100)
            received = time.time()
            for tp, records in batches.items():
                for record in records:
                    if tp.topic == by_key:
                        if b'"lat-' in record.value:
                            for event in json.loads(record.value).get("events", []):
                                host = event.get("host.name", "")
                                if host.startswith("lat-"):
                                    observed.routed.setdefault(host, record.timestamp / 1000)
                        continue
                    observed.detections += 1
                    asset = json.loads(record.value).get("asset")
                    if asset and asset not in observed.detection_ts:
                        observed.detection_ts[asset] = record.timestamp / 1000
                        observed.detection_rx[asset] = received
    finally:
        await consumer.stop()


async def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.05)


async def drive(bootstrap: str, prefix: str, observed: Observed, *, rate: float, duration: float, warmup: float,
                bursts_per_second: float, settle: float) -> list[str]:
    """Canary, warm-up, then background at ``rate`` with bursts; returns the measured burst hosts."""
    topic, run = f"{prefix}.events", prefix[-6:]
    stop = asyncio.Event()
    watcher = asyncio.ensure_future(watch(bootstrap, prefix, observed, stop))
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_request_size=8 * 1024 * 1024)
    await producer.start()
    try:
        canary, events = burst(run, 99_999, iso(time.time()))
        await producer.send(topic, schema.encode_envelope(events), key=canary.encode())
        await wait_for(lambda: observed.alerted(canary), 180, "the canary burst's alert")
        background, hosts = Background(run), []
        start = time.time()
        first_burst, end = start + warmup, start + warmup + duration
        next_burst, owed, tick = first_burst, 0.0, 0
        while (at := start + tick * TICK) < end:
            await asyncio.sleep(max(0.0, at - time.time()))
            now = time.time()
            owed += rate * TICK
            count, owed = int(owed), owed - int(owed)
            stamp = iso(now)
            batch = [background.event(stamp) for _ in range(count)]
            for i in range(0, len(batch), ENVELOPE):
                await producer.send(topic, schema.encode_envelope(batch[i:i + ENVELOPE]), key=b"klantportaal")
            observed.sent_events += count
            while next_burst <= now:
                host, events = burst(run, len(hosts), iso(now))
                observed.produced[host] = time.time()
                await producer.send(topic, schema.encode_envelope(events), key=host.encode())
                hosts.append(host)
                next_burst += 1 / bursts_per_second
            tick += 1
        await producer.flush()
        observed.sent_seconds = time.time() - start
        await wait_for(lambda: all(observed.alerted(h) for h in hosts), settle, "every burst's alert")
        await asyncio.sleep(1.0)  # a second alert or detection for a burst would show here
        return hosts
    finally:
        stop.set()
        await watcher
        await producer.stop()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def stage(name: str, values: list[float]) -> dict[str, Any]:
    if not values:
        return {"stage": name, "n": 0}
    return {"stage": name, "n": len(values), **{f"p{p}": round(percentile(values, p), 3) for p in (50, 95, 99)},
            "max": round(max(values), 3)}


def measure(bootstrap: str, broker_label: str, rate: float, args: argparse.Namespace, receiver: Receiver,
            observed: Observed) -> dict[str, Any]:
    prefix = f"lat{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp, services.database(Path(tmp)) as (url, db_label):
        services.migrate(url)
        extra = {"DATALEK_ALERTS__APPRISE_URLS": json.dumps([f"security=json://127.0.0.1:{receiver.port}/alerts"]),
                 "DATALEK_ALERTS__PLAN_INTERVAL": str(args.plan_interval)}
        worker = services.Worker(bootstrap=bootstrap, database_url=url, prefix=prefix, workdir=Path(tmp), **extra)
        worker.start()
        poll = None
        try:
            worker.wait_ready()
            poll = DatabasePoll(url, observed, args.poll)
            cpu0, load0 = worker.cpu_seconds(), services.load_average()
            hosts = asyncio.run(drive(bootstrap, prefix, observed, rate=rate, duration=args.duration,
                                      warmup=args.warmup, bursts_per_second=args.bursts_per_second,
                                      settle=args.plan_interval + 300))
            cpu = worker.cpu_seconds() - cpu0
            per_asset = poll.per_asset()
        except SystemExit as e:
            raise SystemExit(f"{e}\nseen: {len(observed.detection_ts)} detected, {len(observed.recorded)} incidents, "
                             f"{len(observed.alerts)} alerted\nworker log:\n{worker.tail()}") from None
        finally:
            if poll is not None:
                poll.close()
            worker.stop()
    o = observed
    detected = [h for h in hosts if h in o.detection_ts]
    thirds = max(1, len(detected) // 3)
    lag = [o.detection_ts[h] - o.produced[h] for h in detected]
    drift = (percentile(lag[-thirds:], 50) - percentile(lag[:thirds], 50)) if lag else float("nan")
    burst_hosts = set(hosts)
    return {
        "rate": rate, "produced_rate": round(o.sent_events / o.sent_seconds), "bursts": len(hosts),
        "seconds": round(o.sent_seconds, 1), "broker": broker_label, "database": db_label,
        "plan_interval": args.plan_interval, "poll": args.poll, "load_before": load0,
        "load_after": services.load_average(), "worker_cpu_share": round(cpu / o.sent_seconds, 2),
        "drift_s": round(drift, 3),
        "stages": [
            stage("produced -> routed to by-key (Kafka CreateTime)",
                  [o.routed[h] - o.produced[h] for h in hosts if h in o.routed]),
            stage("produced -> detection (Kafka CreateTime)", lag),
            stage("produced -> detection received by bench", [o.detection_rx[h] - o.produced[h] for h in detected]),
            stage("produced -> incident recorded (audit at)",
                  [o.recorded[h] - o.produced[h] for h in hosts if h in o.recorded]),
            stage(f"produced -> incident visible (poll {args.poll} s)",
                  [o.visible[h] - o.produced[h] for h in hosts if h in o.visible]),
            stage("incident recorded -> alert received",
                  [o.alerted(h)[0] - o.recorded[h] for h in hosts if o.alerted(h) and h in o.recorded]),
            stage("incident visible -> alert received",
                  [o.alerted(h)[0] - o.visible[h] for h in hosts if o.alerted(h) and h in o.visible]),
            stage("produced -> alert received", [o.alerted(h)[0] - o.produced[h] for h in hosts if o.alerted(h)]),
        ],
        "incidents_per_burst": sorted({per_asset.get(h, 0) for h in hosts}),
        "other_incidents": sum(n for a, n in per_asset.items() if a not in burst_hosts and not a.endswith("-99999")),
        "alerts_per_burst": sorted({len(o.alerted(h)) for h in hosts}),
        "detections": o.detections,
    }


def show(r: dict[str, Any]) -> None:
    print(f"\nrate {r['rate']:,.0f} events/s (produced {r['produced_rate']:,}/s for {r['seconds']} s), "
          f"{r['bursts']} bursts; {r['broker']}; {r['database']}; plan interval {r['plan_interval']} s")
    print(f"load average before {r['load_before']}, after {r['load_after']}; worker CPU {r['worker_cpu_share']:.0%} "
          f"of one core; detection latency drift first->last third {r['drift_s']:+.3f} s")
    print(f"| {'stage':<48} | {'n':>4} | {'p50 s':>6} | {'p95 s':>6} | {'p99 s':>6} | {'max s':>6} |")
    print(f"|{'-' * 50}|{'-' * 6}|{'-' * 8}|{'-' * 8}|{'-' * 8}|{'-' * 8}|")
    for s in r["stages"]:
        if s["n"]:
            print(f"| {s['stage']:<48} | {s['n']:>4} | {s['p50']:>6.3f} | {s['p95']:>6.3f} | {s['p99']:>6.3f} "
                  f"| {s['max']:>6.3f} |")
        else:
            print(f"| {s['stage']:<48} |    0 |        |        |        |        |")
    print(f"incidents per burst {r['incidents_per_burst']} (each burst its own when [1]); other incidents "
          f"{r['other_incidents']}; alerts per burst {r['alerts_per_burst']}; detection records {r['detections']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rates", default="500,5000", help="events/s, comma-separated (default 500,5000)")
    parser.add_argument("--duration", type=float, default=60, help="measured seconds per rate")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of background before the first burst")
    parser.add_argument("--bursts-per-second", type=float, default=2)
    parser.add_argument("--plan-interval", type=float, default=5.0, help="DATALEK_ALERTS__PLAN_INTERVAL")
    parser.add_argument("--poll", type=float, default=0.05, help="database poll interval, seconds")
    parser.add_argument("--json", action="store_true", help="print the results as JSON lines too")
    args = parser.parse_args()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {services.machine()}")
    with services.broker() as (bootstrap, label):
        for rate in (float(r) for r in args.rates.split(",")):
            observed = Observed()
            receiver = Receiver(observed)
            try:
                result = measure(bootstrap, label, rate, args, receiver, observed)
            finally:
                receiver.close()
            show(result)
            if args.json:
                print(json.dumps(result))


if __name__ == "__main__":
    main()
