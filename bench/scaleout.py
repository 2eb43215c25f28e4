"""Scale-out: events/s of 1 and 2 `datalek run` workers (one app id) on a 4-partition events topic.

    DATALEK_KAFKA__BOOTSTRAP=127.0.0.1:19392 .venv/bin/python bench/scaleout.py \
        [--events 200000] [--workers 1,2] [--partitions 4] [--envelope 200] [--broker-pid PID] [--json]

For each worker count a fresh app id and topic prefix (``--partitions`` partitions for every topic,
DATALEK_KAFKA__PARTITIONS) and a fresh database. The workers are started on the empty topics and the bench
waits until each of the worker's three consumer groups (``<app>.route`` on events, ``<app>`` Faust's on
by-key, ``<app>.incidents`` on detections) is Stable with one member per worker, so start-up and the
first rebalances are outside the timing. Then ``--events`` synthetic events (bench/detection.py's generator:
500 customers, ~30 % failed logins, a brute-force burst every 5,000 events), pre-encoded into envelopes of
``--envelope`` events and spread round-robin over the partitions, are produced as fast as the producer can
(the time it took is printed; it is short against the run). Timed from the first message produced to the
moment every group has committed the end of its topic (events, then by-key, then detections: lag 0),
sampled every 0.25 s. Also printed: the workers' CPU while idle (5 s before the events), the time to the
first commit of the route stage, CPU seconds per worker (and of the broker with ``--broker-pid``), events
per worker CPU-second, and the ratio of the rates.

The broker should be Apache Kafka (`.ci/kafka.sh start`); without DATALEK_KAFKA__BOOTSTRAP an embedded Tansu
is started (the issue asks for Apache Kafka). The database is a temporary SQLite file, or
a throwaway PostgreSQL database when DATALEK_DATABASE_URL is set (better with two workers writing).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiokafka import AIOKafkaProducer  # noqa: E402
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition  # noqa: E402

from bench import detection, services  # noqa: E402
from streams import schema  # noqa: E402
from streams.kafka_admin import TOPICS, ensure_topics  # noqa: E402

SAMPLE = 0.25
IDLE = 5.0  # seconds of idle CPU measured before the events are produced
STAGES = (("events", "route"), ("by-key", None), ("detections", "incidents"))  # topic, stage (None: Faust's)


def messages(events: int, envelope: int, partitions: int) -> list[tuple[int, bytes]]:
    rng = random.Random(6)  # noqa: S311 - the same events as bench/detection.py
    out = []
    for i, start in enumerate(range(0, events, envelope)):
        batch = [detection.synthetic(n, rng) for n in range(start, min(events, start + envelope))]
        out.append((i % partitions, schema.encode_envelope(batch)))
    return out


async def fill(bootstrap: str, topic: str, values: list[tuple[int, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_request_size=8 * 1024 * 1024)
    await producer.start()
    try:
        for partition, value in values:
            await producer.send(topic, value, partition=partition)
        await producer.flush()
    finally:
        await producer.stop()


class Probe:
    """Committed offsets of the worker's groups and end offsets of their topics (kafka-python)."""

    def __init__(self, bootstrap: str, prefix: str) -> None:
        self.prefix = prefix
        self.admin = KafkaAdminClient(bootstrap_servers=bootstrap)
        self.consumer = KafkaConsumer(bootstrap_servers=bootstrap)

    def group(self, stage: str | None) -> str:
        return f"{self.prefix}.{stage}" if stage else self.prefix

    def members(self) -> dict[str, tuple[str, int]]:
        groups = [self.group(stage) for _, stage in STAGES]
        described = self.admin.describe_groups(groups)
        return {g: (d["group_state"], len(d["members"])) for g, d in described.items()}

    def lag(self) -> dict[str, tuple[int, int]]:
        """Per topic: (committed, end) summed over partitions, each by the group of its stage."""
        out = {}
        committed_by = self.admin.list_group_offsets({self.group(stage): None for _, stage in STAGES})
        for name, stage in STAGES:
            topic = f"{self.prefix}.{name}"
            parts = [TopicPartition(topic, p) for p in self.consumer.partitions_for_topic(topic) or ()]
            end = self.consumer.end_offsets(parts)
            committed = committed_by.get(self.group(stage), {})
            out[name] = (sum(committed[tp].offset for tp in parts if tp in committed and committed[tp].offset > 0),
                         sum(end.values()))
        return out

    def close(self) -> None:
        self.admin.close()
        self.consumer.close()


def wait_stable(probe: Probe, workers: int, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while True:
        seen = probe.members()
        if all(state == "Stable" and n == workers for state, n in seen.values()):
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"consumer groups not stable with {workers} members: {seen}")
        time.sleep(0.5)


def run(bootstrap: str, broker_label: str, workers: int, values: list[tuple[int, bytes]], args: argparse.Namespace
        ) -> dict[str, Any]:
    prefix = f"so{uuid.uuid4().hex[:8]}"
    ensure_topics(bootstrap, [f"{prefix}.{n}" for n in TOPICS], partitions=args.partitions, replication_factor=1)
    with tempfile.TemporaryDirectory() as tmp, services.database(Path(tmp)) as (url, db_label):
        services.migrate(url)
        procs = [services.Worker(bootstrap=bootstrap, database_url=url, prefix=prefix, workdir=Path(tmp),
                                 name=f"worker{i}", DATALEK_KAFKA__PARTITIONS=str(args.partitions))
                 for i in range(workers)]
        probe = Probe(bootstrap, prefix)
        try:
            for w in procs:
                w.start()
            for w in procs:
                w.wait_ready()
            wait_stable(probe, workers)
            idle0 = [w.cpu_seconds() for w in procs]
            time.sleep(IDLE)  # what the workers spend doing nothing (timers, polls, heartbeats)
            idle = [w.cpu_seconds() - c for w, c in zip(procs, idle0, strict=True)]
            load0 = services.load_average()
            cpu0 = [w.cpu_seconds() for w in procs]
            broker0 = services.cpu_seconds(args.broker_pid) if args.broker_pid else 0.0
            start = time.time()
            asyncio.run(fill(bootstrap, f"{prefix}.events", values))
            filled = time.time() - start
            first, samples = None, []
            while True:
                time.sleep(SAMPLE)
                lag, now = probe.lag(), time.time()
                samples.append({"s": round(now - start, 2), **{k: v[0] for k, v in lag.items()}})
                if first is None and lag["events"][0] > 0:
                    first = now
                if lag["events"][0] >= len(values) and all(c >= e for c, e in lag.values()):
                    break
                if now - start > args.timeout:
                    raise SystemExit(f"not consumed after {args.timeout} s: {lag}")
                for w in procs:
                    w.ready()  # raises if a worker died
            done = time.time()
            cpu = [w.cpu_seconds() - c for w, c in zip(procs, cpu0, strict=True)]
            broker_cpu = services.cpu_seconds(args.broker_pid) - broker0 if args.broker_pid else None
            detections = lag["detections"][1]
        except SystemExit as e:
            raise SystemExit(f"{e}\n" + "\n".join(f"worker {i}:\n{w.tail()}" for i, w in enumerate(procs))) from None
        finally:
            probe.close()
            for w in procs:
                w.stop()
    seconds = done - start
    return {"workers": workers, "events": args.events, "messages": len(values), "partitions": args.partitions,
            "broker": broker_label, "database": db_label, "fill_s": round(filled, 2),
            "first_commit_s": round((first or done) - start, 2), "seconds": round(seconds, 2),
            "rate": round(args.events / seconds), "worker_cpu_s": [round(c, 1) for c in cpu],
            "events_per_cpu_s": round(args.events / sum(cpu)),
            "idle_cpu_share": [round(c / IDLE, 3) for c in idle],
            "broker_cpu_s": None if broker_cpu is None else round(broker_cpu, 1),
            "detections": detections, "load_before": load0, "load_after": services.load_average(),
            "samples": samples}


def show(r: dict[str, Any]) -> None:
    cpu = ", ".join(f"{c} s ({c / r['seconds']:.0%})" for c in r["worker_cpu_s"])
    broker = "" if r["broker_cpu_s"] is None else (f"; broker CPU {r['broker_cpu_s']} s "
                                                    f"({r['broker_cpu_s'] / r['seconds']:.0%})")
    print(f"\n{r['workers']} worker(s): {r['events']:,} events in {r['messages']:,} messages on {r['partitions']} "
          f"partitions; {r['broker']}; {r['database']}")
    print(f"  produced in {r['fill_s']} s; first route commit at {r['first_commit_s']} s; all committed (lag 0 on "
          f"events, by-key, detections) at {r['seconds']} s")
    print(f"  {r['rate']:,} events/s; worker CPU {cpu}{broker}; {r['events_per_cpu_s']:,} events per worker "
          f"CPU-second; {r['detections']} detection records; load average {r['load_before']} -> {r['load_after']}")
    print(f"  idle worker CPU before the events: {', '.join(f'{c:.1%}' for c in r['idle_cpu_share'])} of a core")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--envelope", type=int, default=200)
    parser.add_argument("--broker-pid", type=int, default=0, help="to report the broker's CPU time too")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--json", action="store_true", help="print each result (with samples) as JSON too")
    args = parser.parse_args()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {services.machine()}")
    values = messages(args.events, args.envelope, args.partitions)
    results = []
    with services.broker() as (bootstrap, label):
        for workers in (int(w) for w in args.workers.split(",")):
            results.append(run(bootstrap, label, workers, values, args))
            show(results[-1])
            if args.json:
                print(json.dumps(results[-1]))
    if len(results) > 1:
        base = results[0]
        for r in results[1:]:
            print(f"\n{r['workers']} vs {base['workers']} worker(s): {r['rate'] / base['rate']:.2f}x events/s "
                  f"(target >= 1.7x for 2 vs 1)")
        per_core = max(r["events_per_cpu_s"] for r in results)
        print(f"per worker CPU-second: {', '.join(str(r['events_per_cpu_s']) for r in results)} events; a 4-node "
              f"cluster, one worker with a core of its own per node and 4 partitions, would at most do "
              f"4 x {per_core:,} = {4 * per_core:,} events/s")


if __name__ == "__main__":
    main()
