"""Rule-state memory under many distinct group keys: RSS and table size of the worker over time.

    .venv/bin/python bench/state_memory.py [--keys 1000000] [--envelope 200] [--every 0.1]

Each event is a failed portal login from a source address never seen before (``--keys`` of them), one every
``--every`` seconds of event time (1,000,000 at 0.1 s: 28 hours), so every event creates rule state (brute
force and spraying count per source) that no later event touches. The real Faust app of ``streams.app``
(shipped rules, the 24 Online inventory, no database) reads them; every 2 s it samples its RSS, the number
of keys in its rule-state table, and the changelog records it has written (state writes and tombstones).
With expiry the table is flat once stream time passes the rules' horizons (about 1.5 hours of event time
for the authentication rules); without it, it grows with every key. ``--no-expiry`` runs the worker with
expiry switched off, for comparison.

The broker is DATALEK_KAFKA__BOOTSTRAP if set, else the embedded Tansu broker started here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import detection  # noqa: E402
from datalek.brokers import EmbeddedBroker  # noqa: E402
from streams.kafka_admin import ensure_topics  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def one_off(n: int, every: float) -> dict[str, Any]:
    at = (detection.T0 + timedelta(seconds=every * n)).isoformat().replace("+00:00", "Z")
    return {"@timestamp": at, "event.id": f"k-{n}", "datalek.schema": 1, "event.kind": "event",
            "event.category": ["authentication"], "event.type": ["start"], "event.outcome": "failure",
            "user.name": f"klant{n % 500}", "source.ip": f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}",
            "datalek.asset": "klantportaal", "host.name": "portal-web-01"}


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20


def worker(bootstrap: str, prefix: str, expected: int, out: Path, expire: bool) -> None:
    """Child process: the real app; samples itself every 2 s and ends when every event was run."""
    from datalek.rules import load_inventory, load_rules
    from incidents.rules import Engine
    from streams import app as stream_app
    from streams import expire as expiry_module

    if not expire:
        expiry_module.StreamExpiry.stage = lambda self, staged, last: 0  # type: ignore[method-assign]
    seen = {"events": 0, "writes": 0, "tombstones": 0}
    engine = Engine(load_rules(), inventory=load_inventory())

    class Counting:
        rules = engine.rules

        def route_keys(self, event: Any) -> list[str]:
            return engine.route_keys(event)

        def candidates(self, event: Any) -> list[Any]:
            return engine.candidates(event)

        def detect(self, states: Any, events: Any, **options: Any) -> list[Any]:
            seen["events"] += len(events)
            return engine.detect(states, events, **options)

    config = stream_app.StreamConfig(app_id=prefix, bootstrap=bootstrap, partitions=1, replication_factor=1,
                                     session_timeout=6, topics={n: f"{prefix}.{n}" for n in detection.NAMES},
                                     engine=Counting())  # type: ignore[arg-type]
    handlers = stream_app.Handlers(record_detection=lambda d: None, pending_outbox=list,
                                   mark_published=lambda ids: None, is_transient=lambda e: False)
    app = stream_app.build_app(config, handlers)
    flush = stream_app.Staged.flush

    async def counted_flush(staged: Any, buffer: Any, **kwargs: Any) -> bool:
        seen["tombstones"] += sum(1 for v in staged.values() if v is stream_app.GONE)
        seen["writes"] += len(staged)
        return await flush(staged, buffer, **kwargs)

    stream_app.Staged.flush = counted_flush  # type: ignore[method-assign,assignment]
    start = time.monotonic()

    @app.timer(2.0)
    async def sample() -> None:
        table = app.tables["rule-state"]
        row = {"s": round(time.monotonic() - start, 1), **seen, "keys": len(table), "rss_mb": round(rss_mb(), 1),
               "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
        with out.open("a") as f:
            f.write(json.dumps(row) + "\n")
        if seen["events"] >= expected:
            os._exit(0)

    runner = stream_app.worker(app, loglevel="warning")
    stream_app.tune_collector()  # as `datalek run`
    runner.execute_from_commandline()


def bench(bootstrap: str, keys: int, envelope: int, every: float, expire: bool) -> None:
    prefix = f"mem{uuid.uuid4().hex[:6]}"
    ensure_topics(bootstrap, [f"{prefix}.{n}" for n in detection.NAMES], partitions=1, replication_factor=1)
    detection.synthetic = lambda n, rng: one_off(n, every)  # type: ignore[assignment]
    asyncio.run(detection.fill(bootstrap, f"{prefix}.events", keys, envelope))
    with tempfile.TemporaryDirectory() as tmp:
        out, log = Path(tmp) / "samples.jsonl", Path(tmp) / "worker.log"
        with log.open("wb") as sink:
            child = subprocess.Popen([sys.executable, __file__, "--worker", bootstrap, prefix, str(keys), str(out),
                                      "1" if expire else "0"], cwd=tmp, stdout=sink, stderr=subprocess.STDOUT)
            try:
                child.wait(timeout=3600)
            finally:
                if child.poll() is None:
                    child.kill()
        rows = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
        if not rows or rows[-1]["events"] < keys:
            raise SystemExit(f"worker did not finish:\n{log.read_text(errors='replace')[-3000:]}")
    print(f"{keys:,} one-off sources, one event each {every} s of event time "
          f"({keys * every / 3600:.1f} h), expiry {'on' if expire else 'off'}")
    print("| s | events | table keys | changelog records | of which tombstones | RSS MB |")
    print("|---|---|---|---|---|---|")
    step = max(1, len(rows) // 12)
    for row in [*rows[::step][:-1], rows[-1]]:
        print(f"| {row['s']} | {row['events']:,} | {row['keys']:,} | {row['writes']:,} | {row['tombstones']:,} "
              f"| {row['rss_mb']} |")
    print(f"peak RSS {max(r['peak_rss_mb'] for r in rows)} MB; peak table keys {max(r['keys'] for r in rows):,}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _, _, bootstrap, prefix, expected, out, expire = sys.argv
        worker(bootstrap, prefix, int(expected), Path(out), expire == "1")
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=1_000_000)
    parser.add_argument("--envelope", type=int, default=200)
    parser.add_argument("--every", type=float, default=0.1)
    parser.add_argument("--no-expiry", action="store_true")
    args = parser.parse_args()
    external = os.environ.get("DATALEK_KAFKA__BOOTSTRAP")
    if external:
        bench(external, args.keys, args.envelope, args.every, not args.no_expiry)
        return
    with tempfile.TemporaryDirectory() as tmp:
        broker = EmbeddedBroker(detection.free_port(), log_path=Path(tmp) / "tansu.log")
        broker.start()
        try:
            bench(broker.bootstrap, args.keys, args.envelope, args.every, not args.no_expiry)
        finally:
            broker.stop()


if __name__ == "__main__":
    main()
