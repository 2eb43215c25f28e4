"""Ingestion from real sources: log files by format, a growing file, and syslog over UDP and TCP."""

import json
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from kafka import KafkaConsumer

from streams.ingest import follow
from tests.conftest import free_port, wait_until
from tests.datasets import LOGHUB_OPENSSH as LOGHUB
from tests.integration.test_pipeline import count_incidents, read_topic


def test_follow_reads_appended_lines_and_survives_rotation(tmp_path):
    log = tmp_path / "auth.log"
    log.write_text("one\n")
    seen: list[str] = []
    done = threading.Event()
    reader = threading.Thread(target=lambda: seen.extend(follow(log, poll=0.05, stop=done.is_set)))
    reader.start()
    try:
        wait_until(lambda: seen == ["one\n"], timeout=5, message="first line")
        with log.open("a") as f:
            f.write("two\nthr")
            f.flush()
            time.sleep(0.2)
            f.write("ee\n")
        wait_until(lambda: seen[-1:] == ["three\n"], timeout=5, message="appended lines")
        log.rename(tmp_path / "auth.log.1")  # logrotate: move away, then create anew
        log.write_text("four\n")
        wait_until(lambda: seen[-1:] == ["four\n"], timeout=5, message="line after rotation")
    finally:
        done.set()
        reader.join(5)
    assert seen == ["one\n", "two\n", "three\n", "four\n"]


@pytest.mark.kafka
@pytest.mark.skipif(not LOGHUB.exists(), reason="loghub dataset not present")
def test_ingest_of_the_loghub_log_sends_every_line_as_an_event(worker_factory, tmp_path):
    worker = worker_factory(f"sqlite:///{tmp_path / 'd.db'}")  # not started: only the topics are needed
    result = worker.cli("ingest", "--format", "openssh", "--year", "2026", "--asset", "lab-ssh", str(LOGHUB))
    assert result.returncode == 0, result.stderr
    assert "sent 2008 events" in result.stdout and "rejected 0" in result.stdout


@pytest.mark.kafka
def test_bad_lines_are_counted_and_dead_lettered_with_their_position(worker_factory, kafka_bootstrap, tmp_path):
    worker = worker_factory(f"sqlite:///{tmp_path / 'd.db'}")
    events = tmp_path / "events.jsonl"
    events.write_text('{"@timestamp": "2026-11-20T09:00:00Z", "event": {"category": "authentication",'
                      ' "action": "login"}}\nnot json at all\n')
    result = worker.cli("ingest", str(events))
    assert "sent 1 events" in result.stdout and "rejected 1" in result.stdout
    assert "events.jsonl:2" in result.stderr
    consumer = KafkaConsumer(worker.topic("dead-letter"), bootstrap_servers=kafka_bootstrap,
                             auto_offset_reset="earliest", consumer_timeout_ms=10000)
    [dead] = [json.loads(m.value) for m in consumer][:1]
    consumer.close()
    assert dead["topic"] == "ingest:events.jsonl:2" and dead["payload"] == "not json at all"


@pytest.mark.kafka
def test_other_programs_lines_in_a_syslog_file_are_skipped_not_dead_lettered(worker_factory, kafka_bootstrap,
                                                                              tmp_path):
    from tests.unit.parsers.support import SAMPLES

    worker = worker_factory(f"sqlite:///{tmp_path / 'd.db'}")
    result = worker.cli("ingest", "--format", "syslog", "--year", "2023", str(SAMPLES / "syslog-mixed.log"))
    assert result.returncode == 0, result.stderr
    assert "sent 22 events" in result.stdout and "rejected 1; skipped 14 (CRON 1, journalctl 1, kernel 2," \
        in result.stdout
    assert "syslog-mixed.log:32: unrecognised sshd message" in result.stderr
    consumer = KafkaConsumer(worker.topic("dead-letter"), bootstrap_servers=kafka_bootstrap,
                             auto_offset_reset="earliest", consumer_timeout_ms=10000)
    dead = [json.loads(m.value) for m in consumer]
    consumer.close()
    assert [d["topic"] for d in dead] == ["ingest:syslog-mixed.log:32"]


def test_values_outside_ecs_are_sent_and_reported_not_rejected(worker_factory, tmp_path):
    worker = worker_factory(f"sqlite:///{tmp_path / 'd.db'}")
    events = tmp_path / "okta.jsonl"
    events.write_text('{"@timestamp": "2026-11-20T09:00:00Z", "event": {"action": "login", "outcome": "deny"}}\n'
                      '{"@timestamp": 1763629200, "event": {"code": 4625}, "winlog": {"channel": "Security"}}\n')
    result = worker.cli("ingest", str(events))
    assert "sent 2 events" in result.stdout and "rejected 0" in result.stdout
    assert "kept 1 values that are not ECS" in result.stderr
    assert "okta.jsonl:1: event.outcome: 'deny' is not an ECS outcome" in result.stderr


@pytest.mark.kafka
def test_syslog_over_udp_and_tcp_opens_an_incident(worker_factory, database_url, tmp_path):
    worker = worker_factory(database_url)
    worker.start()
    port = free_port()
    receiver = subprocess.Popen([sys.executable, "-m", "datalek", "syslog", "--port", str(port), "--asset",
                                 "ssh-gateway"], env=worker.env, cwd=tmp_path, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
    try:
        assert "syslog on 127.0.0.1" in receiver.stdout.readline()
        now = datetime.now(UTC).replace(microsecond=0)
        now -= timedelta(seconds=int(now.timestamp()) % 300)  # all 12 in one 5-minute (tumbling) window
        lines = [f"<38>1 {(now + timedelta(seconds=n)).isoformat()} gw sshd 4242 - - Failed password for root "
                 f"from 203.0.113.9 port {40000 + n} ssh2" for n in range(12)]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            for line in lines[:6]:
                udp.sendto(line.encode(), ("127.0.0.1", port))
        with socket.create_connection(("127.0.0.1", port)) as tcp:
            tcp.sendall("".join(f"{len(m.encode())} {m}" for m in lines[6:]).encode())  # octet counting
        wait_until(lambda: count_incidents(database_url) == 1, timeout=60, message="incident from syslog")
    finally:
        receiver.terminate()
        receiver.wait(10)


@pytest.mark.kafka
def test_raw_log_lines_written_to_kafka_are_normalised_into_incidents(worker_factory, database_url,
                                                                       kafka_bootstrap):
    from tests.integration.test_pipeline import produce

    worker = worker_factory(database_url)
    worker.start()
    lines = [line for line in LOGHUB.read_text().splitlines() if "183.62.140.253" in line][:60]
    produce(kafka_bootstrap, worker.topic("raw.openssh"), ["\n".join(lines[i:i + 20]).encode()
                                                           for i in range(0, len(lines), 20)])
    wait_until(lambda: count_incidents(database_url) >= 1, timeout=60, message="incident from raw topic")


def _ingest_bytes(worker, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "datalek", "ingest", *args], env=worker.env, cwd=worker.workdir,
                          input=stdin, capture_output=True, timeout=120)


@pytest.mark.kafka
@pytest.mark.parametrize("via_stdin", [False, True], ids=["file", "stdin"])
def test_a_5_mb_line_and_a_non_utf8_line_are_dead_lettered_and_the_lines_after_them_sent(
        worker_factory, kafka_bootstrap, tmp_path, via_stdin):
    worker = worker_factory(f"sqlite:///{tmp_path / 'd.db'}")
    good = (json.dumps({"@timestamp": "2026-11-20T09:00:00Z", "event": {"category": "authentication",
                                                                        "action": "logon-failed"}}) + "\n").encode()
    huge = b'{"@timestamp": "2026-11-20T09:00:01Z", "message": "' + b"A" * 5_000_000 + b'"}\n'
    data = good + huge + b'{"user": {"name": "j\xe9r\xf4me"}}\n' + good + good
    path = tmp_path / "events.jsonl"
    path.write_bytes(data)
    result = _ingest_bytes(worker, "-", stdin=data) if via_stdin else _ingest_bytes(worker, str(path))
    stdout, stderr = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0, stderr
    assert "sent 3 events" in stdout and "rejected 2" in stdout
    source = "stdin" if via_stdin else "events.jsonl"
    assert f"{source}:2: line 2 of {len(huge) - 1:,} bytes is over the limit of 1,048,576 bytes" in stderr
    assert f"{source}:3: line 3 is not UTF-8 text (invalid byte at offset 20)" in stderr
    dead = sorted(read_topic(kafka_bootstrap, worker.topic("dead-letter"), expect=2), key=lambda d: d["topic"])
    assert [d["topic"] for d in dead] == [f"ingest:{source}:2", f"ingest:{source}:3"]
    assert dead[0]["truncated"] is True and huge.decode().startswith(dead[0]["payload"])
    assert len(read_topic(kafka_bootstrap, worker.topic("events"), expect=1)) >= 1


@pytest.mark.kafka
def test_the_rejected_summary_shows_the_first_twenty_and_how_many_more(worker_factory, tmp_path):
    worker = worker_factory(f"sqlite:///{tmp_path / 'd.db'}")
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(f"not json {n}\n" for n in range(166)))
    result = worker.cli("ingest", str(path))
    assert result.returncode == 0, result.stderr
    assert "rejected 166" in result.stdout
    shown = [line for line in result.stderr.splitlines() if line.strip().startswith("rejected bad.jsonl:")]
    assert len(shown) == 20 and "bad.jsonl:20:" in shown[-1]
    assert "... and 146 more (all on the dead-letter topic)" in result.stderr


@pytest.mark.kafka
def test_an_oversized_syslog_message_is_dead_lettered_with_its_size_and_the_next_one_forwarded(
        worker_factory, kafka_bootstrap, tmp_path):
    worker = worker_factory(f"sqlite:///{tmp_path / 'd.db'}")  # not started: only the topics are needed
    port = free_port()
    env = {**worker.env, "DATALEK_INPUT__MAX_SYSLOG_MESSAGE_BYTES": "1000"}
    receiver = subprocess.Popen([sys.executable, "-m", "datalek", "syslog", "--port", str(port)], env=env,
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert "syslog on 127.0.0.1" in receiver.stdout.readline()
        stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
        big = f"<38>1 {stamp} gw sshd 4242 - - Failed password for root from 203.0.113.9 port 1 ssh2 " + "A" * 5000
        good = f"<38>1 {stamp} gw sshd 4242 - - Failed password for root from 203.0.113.9 port 2 ssh2"
        with socket.create_connection(("127.0.0.1", port)) as tcp:
            tcp.sendall((big + "\n" + good + "\n").encode())
        [dead] = read_topic(kafka_bootstrap, worker.topic("dead-letter"), expect=1)
        assert dead["reason"] == f"syslog message of {len(big):,} bytes is over the limit of 1,000 bytes"
        assert "AAAA" not in dead["payload"]  # never buffered whole, so nothing of it is kept
        [sent] = read_topic(kafka_bootstrap, worker.topic("events"), expect=1)
        assert [e["source.port"] for e in sent["events"]] == [2]
    finally:
        receiver.terminate()
        receiver.wait(10)
