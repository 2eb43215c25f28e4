"""The fault suite's machinery: its own Apache Kafka broker, `datalek run` as a subprocess, a paced producer,
faults injected from a second thread, and the comparison of what the database holds with the replay."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError

from datalek.replay import ReplayOptions, run
from incidents.persistence import database
from incidents.persistence.uow import SqlUnitOfWork
from streams.parsers import FORMATS, ParseContext, Rejected
from streams.schema import encode_envelope
from tests.conftest import Worker

REPO = Path(__file__).resolve().parents[2]
ENVELOPE = 100  # events per Kafka message, in file (event-time) order
RATE = 40.0  # messages per second: a 30k-event stream arrives over ~8 s, so faults land mid-stream
RESULTS: list[dict[str, Any]] = []  # one row per case, printed at the end of the session
Signature = tuple[Any, ...]


def signature(asset: str | None, entity: str, rule_ids: Any, detections: Any, event_ids: Any) -> Signature:
    return (asset, entity, tuple(sorted(rule_ids)), tuple(sorted(detections)), tuple(sorted(event_ids)))


@dataclass(frozen=True)
class Truth:
    """What `datalek replay` makes of the stream: the ground truth of every case."""

    detections: frozenset[str]
    incidents: Counter[Signature]

    @classmethod
    def of(cls, path: Path) -> Truth:
        records = list(run(path, ReplayOptions(fmt="ecs")))
        incidents = Counter(signature(r["asset"], r["entity"], r["rule_ids"], r["detections"], r["event_ids"])
                            for r in records if r["kind"] == "incident")
        return cls(frozenset(r["key"] for r in records if r["kind"] == "detection"), incidents)


class Broker:
    """An Apache Kafka broker of the suite's own (`.ci/kafka.sh` with its own port and state dir)."""

    def __init__(self, port: int, state: Path) -> None:
        self.env = {**os.environ, "DATALEK_KAFKA_PORT": str(port), "DATALEK_KAFKA_STATE": str(state)}
        self.state = state
        self.bootstrap = f"127.0.0.1:{port}"

    def _script(self, command: str) -> None:
        subprocess.run(["bash", str(REPO / ".ci" / "kafka.sh"), command], env=self.env, check=True,
                       stdout=subprocess.DEVNULL, timeout=300)

    def start(self) -> None:
        self._script("start")

    def stop(self) -> None:
        self._script("stop")

    def restart(self) -> None:
        self._script("restart")

    def signal(self, sig: signal.Signals) -> None:
        os.kill(int((self.state / "kafka.pid").read_text()), sig)


class FaultWorker(Worker):
    """`datalek run` that can be killed with SIGKILL and started again (waits for a new "Ready")."""

    def sibling(self) -> FaultWorker:
        """Another worker of the same deployment: same topics, consumer groups, database and settings."""
        other = FaultWorker.__new__(FaultWorker)
        other.prefix, other.env, other.workdir, other.process = self.prefix, dict(self.env), self.workdir, None
        other.log = self.workdir / f"worker-{self.prefix}-{uuid.uuid4().hex[:4]}.log"
        return other

    def start(self, timeout: float = 90) -> None:
        ready = self.log.read_text(errors="replace").count("Worker]: Ready") if self.log.exists() else 0
        with self.log.open("ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "datalek", "run"], env=self.env,
                                            cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log.read_text(errors="replace").count("Worker]: Ready") > ready:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"worker did not start:\n{self.log.read_text(errors='replace')[-3000:]}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def freeze(self) -> None:
        """SIGSTOP: the process stops where it is (a long GC pause, a VM stalled by its host)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def errors(self, limit: int = 20) -> str:
        """The worker log's error lines and the stream stages' warnings (seeks back, re-runs); exception types
        and messages, no event contents are logged."""
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        found = [x[:300] for x in lines if "Error" in x or "Traceback" in x or "CRITICAL" in x or "crash" in x
                 or " WARNING streams." in x or " INFO streams." in x]
        return "\n".join(found[-limit:])

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


Message = tuple[bytes | None, bytes]  # Kafka key (None: the producer spreads them), value


def _events(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:  # parsed as `datalek ingest` and `datalek replay` parse it
        return [dict(r.event) for r in FORMATS["ecs"](lines, context=ParseContext(source=path.name))
                if not isinstance(r, Rejected)]


def messages(path: Path, *, bad: dict[int, bytes] | None = None) -> list[Message]:
    """The stream as unkeyed Kafka messages of ENVELOPE events; ``bad`` inserts raw messages before an index."""
    events = _events(path)
    good = [encode_envelope(events[n:n + ENVELOPE]) for n in range(0, len(events), ENVELOPE)]
    out: list[Message] = []
    for n, value in enumerate(good):
        out.extend([(None, bad[n])] if bad and n in bad else [])
        out.append((None, value))
    return out


def keyed_messages(path: Path) -> list[Message]:
    """The stream as `datalek ingest` sends it: envelopes per asset, keyed by the asset."""
    out: list[Message] = []
    pending: dict[str, list[dict[str, Any]]] = {}
    for event in _events(path):
        asset = str(event.get("datalek.asset") or event.get("host.name"))
        batch = pending.setdefault(asset, [])
        batch.append(event)
        if len(batch) == ENVELOPE:
            out.append((asset.encode(), encode_envelope(pending.pop(asset))))
    out += [(asset.encode(), encode_envelope(batch)) for asset, batch in pending.items()]
    return out


@dataclass
class Case:
    """One run: fresh topics and database, a worker, the stream produced at RATE, a fault scenario."""

    name: str
    broker: Broker
    worker: FaultWorker
    database_url: str
    produced: int = 0
    hold: threading.Event = field(default_factory=threading.Event)  # set: the producer waits
    rate: float = RATE  # messages per second (a scenario may lower it as it starts)
    recovery: list[float] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    proxy: Proxy | None = None  # the worker's way to the database, when the case cuts it
    others: list[FaultWorker] = field(default_factory=list)  # further workers of the deployment

    def logs(self) -> str:
        """Each worker's error lines and stream-stage warnings, the first worker's first (a failure's report:
        in a takeover the other worker's log says what it wrote)."""
        workers = (self.worker, *self.others)
        return "\n".join(f"worker log{f' ({n + 1} of {len(workers)})' if len(workers) > 1 else ''}:\n{w.errors()}"
                         for n, w in enumerate(workers))

    def add_worker(self) -> FaultWorker:
        other = self.worker.sibling()
        self.others.append(other)
        other.start()
        return other

    def topic(self, name: str) -> str:
        return self.worker.topic(name)

    @property
    def alive(self) -> bool:
        """Some worker of the deployment runs."""
        return any(w.alive for w in (self.worker, *self.others))

    def stop_all(self) -> None:
        for w in (self.worker, *self.others):
            w.stop()
            if w.alive:
                w.kill()

    # -- used by scenarios (second thread) ---------------------------------------------------------------
    def wait_produced(self, n: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.produced < n:
            if time.monotonic() > deadline:
                raise AssertionError(f"{n} messages not produced in {timeout}s")
            time.sleep(0.02)

    def lag(self) -> str:
        """Per stage, partition: committed/end (a diagnosis when a run does not settle)."""
        try:
            return "; ".join(f"{name} {_lag_of(self.broker.bootstrap, self.worker.group(name), self.topic(name))}"
                             for name in ("events", "by-key", "detections"))
        except KafkaError as e:
            return f"unknown ({type(e).__name__})"

    def partitions(self, probe: KafkaConsumer, name: str) -> list[TopicPartition]:
        topic = self.topic(name)
        return [TopicPartition(topic, p) for p in sorted(probe.partitions_for_topic(topic) or {0})]

    def end_offsets(self, name: str) -> int:
        """The topic's end offsets, summed over its partitions."""
        with KafkaConsumer(bootstrap_servers=self.broker.bootstrap) as probe:
            return sum(probe.end_offsets(self.partitions(probe, name)).values())

    def read_to_end(self, topic: str, timeout: float = 30) -> Iterator[Any]:
        """Every record of ``topic`` from its start up to its end as it was when called, each partition in
        order (a diagnosis, or what a scenario writes again); stops after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with KafkaConsumer(bootstrap_servers=self.broker.bootstrap, enable_auto_commit=False) as probe:
            partitions = [TopicPartition(topic, p) for p in sorted(probe.partitions_for_topic(topic) or {0})]
            probe.assign(partitions)
            probe.seek_to_beginning(*partitions)
            ends = probe.end_offsets(partitions)
            while any(probe.position(tp) < end for tp, end in ends.items()) and time.monotonic() < deadline:
                for records in probe.poll(timeout_ms=500).values():
                    yield from records

    def detection_keys(self, timeout: float = 30) -> set[str]:
        """The keys of every detection record on the detections topic (a diagnosis: a detection missing from
        the database was either never produced or produced and not recorded)."""
        keys: set[str] = set()
        for record in self.read_to_end(self.topic("detections"), timeout):
            try:
                keys.add(json.loads(record.value)["key"])
            except (ValueError, KeyError, TypeError):
                continue
        return keys

    def write_older_states_again(self) -> int:
        """Append to the rule-state changelog what a worker that lost its partitions mid-write can leave after
        the new owner's records (no marker after them): per rule-state key, its first record again, or, for
        a key with one record so far, its deletion, stamped as that record (as the late writer's expiry).
        Returns how many were written."""
        topic = f"{self.worker.prefix}-rule-state-changelog"
        first: dict[tuple[int, bytes], Any] = {}
        newer: set[tuple[int, bytes]] = set()
        for record in self.read_to_end(topic, timeout=120):
            where = (record.partition, record.key)
            if record.key.startswith(b'"@'):
                continue
            if record.value is None:  # deleted: its next record starts afresh
                first.pop(where, None)
                newer.discard(where)
            elif where in first:
                newer.add(where)
            else:
                first[where] = record
        producer = KafkaProducer(bootstrap_servers=self.broker.bootstrap)
        try:
            for where, record in first.items():
                producer.send(topic, key=record.key, value=record.value if where in newer else None,
                              partition=record.partition, headers=list(record.headers or ()))
            producer.flush()
        finally:
            producer.close()
        return len(first)

    def committed(self) -> int:
        """What the route stage has committed of the events topic, summed over its partitions."""
        with KafkaConsumer(bootstrap_servers=self.broker.bootstrap, group_id=self.worker.group("events"),
                           enable_auto_commit=False) as probe:
            return sum(probe.committed(tp) or 0 for tp in self.partitions(probe, "events"))

    def measure_recovery(self, since: float, timeout: float = 120) -> None:
        """Seconds from ``since`` until the worker has committed what was produced at ``since``. The probes
        are retried: a broker just resumed from a pause answers metadata without brokers until it has
        registered with its controller again (KRaft; seen in CI as MetadataEmptyBrokerList)."""
        deadline = time.monotonic() + timeout
        target = _retried(lambda: self.end_offsets("events"), deadline)
        while time.monotonic() < deadline:
            if _retried(self.committed, deadline) >= target:
                self.recovery.append(time.monotonic() - since)
                return
            time.sleep(0.25)
        self.recovery.append(float("inf"))

    # -- the run ---------------------------------------------------------------------------------------
    def run(self, values: list[Message], scenario: Callable[[Case], None] | None = None) -> None:
        self.worker.start()
        thread = threading.Thread(target=self._scenario, args=(scenario,), daemon=True) if scenario else None
        if thread:
            thread.start()
        self._produce(values)
        if thread:
            thread.join(timeout=240)
        if self.errors:
            raise self.errors[0]

    def _scenario(self, scenario: Callable[[Case], None]) -> None:
        try:
            scenario(self)
        except BaseException as e:  # reported by run()
            self.errors.append(e)

    def _produce(self, values: list[Message]) -> None:
        producer = KafkaProducer(bootstrap_servers=self.broker.bootstrap, max_request_size=2 * 1024 * 1024)
        try:
            for key, value in values:
                if self.hold.is_set():
                    producer.flush()
                    producer.close()
                    while self.hold.is_set():
                        time.sleep(0.05)
                    producer = KafkaProducer(bootstrap_servers=self.broker.bootstrap,
                                             max_request_size=2 * 1024 * 1024)
                producer.send(self.topic("events"), key=key, value=value)
                self.produced += 1
                time.sleep(1 / self.rate)
            producer.flush()
        finally:
            producer.close()

    def settle(self, *, timeout: float = 60) -> bool:
        """Wait until each stage has committed the end of its topic: events (route), by-key (detection),
        detections (recording). When one does not in time, print every stage's lag (diagnosis)."""
        deadline = time.monotonic() + timeout
        for name in ("events", "by-key", "detections"):
            with KafkaConsumer(bootstrap_servers=self.broker.bootstrap, group_id=self.worker.group(name),
                               enable_auto_commit=False) as probe:
                for tp, end in probe.end_offsets(self.partitions(probe, name)).items():
                    while (probe.committed(tp) or 0) < end:
                        if time.monotonic() > deadline or not self.alive:
                            print(f"not settled: {tp.topic}[{tp.partition}] committed {probe.committed(tp)} "
                                  f"< end {end}; lag now: {self.lag()}")
                            return False
                        time.sleep(0.3)
        # and until the database stops changing (Tansu under-reports end offsets: tansu.md)
        last, since = -1, time.monotonic()
        while time.monotonic() - since < 3 and time.monotonic() < deadline:
            now = sum(len(i.detection_keys) for i in stored(self.database_url))
            if now != last:
                last, since = now, time.monotonic()
            time.sleep(0.5)
        return True


def _lag_of(bootstrap: str, group: str, topic: str) -> str:
    with KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False) as probe:
        tps = [TopicPartition(topic, p) for p in sorted(probe.partitions_for_topic(topic) or {0})]
        ends = probe.end_offsets(tps)
        return " ".join(f"{tp.partition}:{probe.committed(tp)}/{ends[tp]}" for tp in tps)


def stored(database_url: str) -> list[Any]:
    engine = database.make_engine(database_url)
    try:
        with SqlUnitOfWork(database.session_factory(engine)) as uow:
            return list(uow.incidents.list(limit=None))
    finally:
        engine.dispose()


def compare(case: Case, truth: Truth, *, settled: bool) -> dict[str, Any]:
    incidents = stored(case.database_url)
    found = Counter(signature(i.asset, i.entity, i.rule_ids, i.detection_keys, i.event_ids) for i in incidents)
    keys = [k for i in incidents for k in i.detection_keys]
    row = {
        "case": case.name,
        "incidents": f"{sum(truth.incidents.values())}/{sum(found.values())}",
        "inc. missing": sum((truth.incidents - found).values()),
        "inc. extra": sum((found - truth.incidents).values()),
        "inc. duplicated": sum(n - 1 for n in found.values() if n > 1),
        "detections": f"{len(truth.detections)}/{len(set(keys))}",
        "det. missing": len(truth.detections - set(keys)),
        "det. extra": len(set(keys) - truth.detections),
        "det. duplicated": len(keys) - len(set(keys)),
        "recovery s": ", ".join("-" if r == float("inf") else f"{r:.1f}" for r in case.recovery) or "",
        "worker": ("running" if case.worker.alive else "dead") if not case.others else
                  f"{sum(w.alive for w in (case.worker, *case.others))} of {1 + len(case.others)} running",
        "settled": settled,
    }
    RESULTS.append(row)
    print(table([row]))
    for name, differ in (("missing", truth.detections - set(keys)), ("extra", set(keys) - truth.detections)):
        if differ:  # keys of the seeded stream's synthetic attacks: which rule, asset and window
            print(f"detections {name}:", sorted(differ)[:10])
    if truth.detections - set(keys):
        try:
            produced = case.detection_keys()
            print("of the missing, on the detections topic (produced, not recorded):",
                  sorted((truth.detections - set(keys)) & produced)[:10])
        except KafkaError as e:
            print(f"detections topic not read ({type(e).__name__})")
    for missing, extra in zip(sorted(truth.incidents - found), sorted(found - truth.incidents), strict=False):
        print("first difference:", [(n, a, b) for n, (a, b) in enumerate(zip(missing, extra, strict=True)) if a != b])
        break
    return row


def exact(row: dict[str, Any]) -> bool:
    return all(row[k] == 0 for k in ("inc. missing", "inc. extra", "inc. duplicated", "det. missing",
                                      "det. extra", "det. duplicated")) and row["settled"]


def table(rows: list[dict[str, Any]]) -> str:
    """A Markdown table (expected/found, missing, extra, duplicated, recovery seconds)."""
    if not rows:
        return ""
    heads = list(rows[0])
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(str(r[h]) for h in heads) + " |" for r in rows]
    return "\n".join(lines)



class Proxy:
    """A loopback TCP proxy in front of PostgreSQL, so the suite can stop or freeze "the database" for one
    worker without touching the server others use: ``stop`` closes every connection and refuses new ones,
    ``pause`` stops forwarding bytes (as SIGSTOP of the server would), ``resume`` undoes either."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self.paused = threading.Event()
        self.conns: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.lock = threading.Lock()
        self.listen()

    def listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        self.port = listener.getsockname()[1]
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self.paused.is_set():
                    time.sleep(0.05)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        assert self.listener is not None
        self.listener.close()
        with self.lock:
            conns, self.conns = self.conns, []
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
                c.close()
            except OSError:
                pass

    def pause(self) -> None:
        self.paused.set()

    def resume(self) -> None:
        self.paused.clear()
        if self.listener is not None and self.listener.fileno() == -1:
            self.listen()


def _retried(probe: Callable[[], int], deadline: float) -> int:
    """``probe()``, tried again on a Kafka error until ``deadline`` (then the error is raised)."""
    while True:
        try:
            return probe()
        except KafkaError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
