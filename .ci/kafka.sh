#!/usr/bin/env bash
# Real single-node Apache Kafka 4.x broker (KRaft, combined broker+controller) for tests,
# run from Maven Central jars (no tarball, no Docker).
#
#   .ci/kafka.sh start    fetch jars (once), format a fresh log dir, start, wait until ready;
#                         prints the bootstrap address (127.0.0.1:19092) on stdout
#   .ci/kafka.sh stop     SIGTERM the broker (SIGKILL after 30 s) and remove its state dir
#   .ci/kafka.sh restart  SIGTERM the broker and start it again on the same state dir (its topics,
#                         offsets and data kept); prints the bootstrap address
#   .ci/kafka.sh status   exit 0 and print the bootstrap address if running, else exit 3
#   .ci/kafka.sh version  print the Kafka version this script runs
#
# Progress/diagnostics go to stderr; stdout carries only the result line.
#
# Environment:
#   DATALEK_KAFKA_VERSION  Kafka version to fetch (default below)
#   DATALEK_KAFKA_HOME     jar cache (default ~/.cache/datalek/kafka-<version>)
#   DATALEK_KAFKA_PORT     PLAINTEXT port (default 19092; the controller uses port+1)
#   DATALEK_KAFKA_STATE    state dir (default ${TMPDIR:-/tmp}/datalek-kafka-<port>)
#   DATALEK_KAFKA_TIMEOUT  readiness deadline in seconds (default 120)
#   DATALEK_KAFKA_HEAP     JVM heap (default 1g; smaller heaps can OOM the log cleaner)
#   PYTHON                 python used for the readiness probe (needs kafka-python)
#   JAVA_HOME / JAVA       Java 17+
set -euo pipefail

KAFKA_VERSION="${DATALEK_KAFKA_VERSION:-4.4.0}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/.." && pwd)"
POM="$HERE/kafka/pom.xml"
LOG4J_CFG="$HERE/kafka/log4j2.properties"
CACHE="${DATALEK_KAFKA_HOME:-$HOME/.cache/datalek/kafka-$KAFKA_VERSION}"
PORT="${DATALEK_KAFKA_PORT:-19092}"
CONTROLLER_PORT=$((PORT + 1))
HOST=127.0.0.1
BOOTSTRAP="$HOST:$PORT"
STATE="${DATALEK_KAFKA_STATE:-${TMPDIR:-/tmp}/datalek-kafka-$PORT}"
PIDFILE="$STATE/kafka.pid"
LOG="$STATE/broker.log"
TIMEOUT="${DATALEK_KAFKA_TIMEOUT:-120}"
HEAP="${DATALEK_KAFKA_HEAP:-1g}"

if [ -n "${JAVA:-}" ]; then :
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"
else JAVA=java
fi

log() { echo "kafka.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

running_pid() {
  # Prints the broker PID if the pid file names a live process.
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

tail_log() {
  if [ -f "$LOG" ]; then
    log "---- last 60 lines of $LOG ----"
    tail -n 60 "$LOG" >&2 || true
    log "---- end of broker log ----"
  fi
}

fetch_jars() {
  if [ -f "$CACHE/lib/.complete" ] && ls "$CACHE/lib/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null 2>&1; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (needed once to fetch the Kafka jars)"
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central into $CACHE/lib ..."
  local t0 tmp
  t0="$(now)"
  mkdir -p "$CACHE"
  tmp="$(mktemp -d "$CACHE/lib.tmp.XXXXXX")"
  # (maven 3.8 -q still emits stray ANSI resets; keep its output in a file, show it on failure)
  if ! mvn -q -B -Dstyle.color=never -f "$POM" -Dkafka.version="$KAFKA_VERSION" \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" \
        >"$CACHE/mvn-fetch.log" 2>&1; then
    tail -n 40 "$CACHE/mvn-fetch.log" >&2 || true
    rm -rf "$tmp"
    die "maven could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION (log: $CACHE/mvn-fetch.log)"
  fi
  [ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ] || { rm -rf "$tmp"; die "kafka_2.13-$KAFKA_VERSION.jar missing after fetch"; }
  ls "$tmp"/log4j-slf4j2-impl-*.jar >/dev/null 2>&1 || { rm -rf "$tmp"; die "no SLF4J provider (log4j-slf4j2-impl) after fetch"; }
  touch "$tmp/.complete"
  rm -rf "$CACHE/lib"
  mv "$tmp" "$CACHE/lib"
  log "fetched $(ls "$CACHE/lib"/*.jar | wc -l) jars in $(elapsed "$t0") s"
}

probe_python() {
  # Finds a python that can import kafka-python; creates a throwaway venv in the cache if needed.
  local cand
  for cand in "${PYTHON:-python3}" "$REPO_ROOT/.venv/bin/python" "$CACHE/pyvenv/bin/python"; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import kafka' >/dev/null 2>&1; then
      echo "$cand"; return 0
    fi
  done
  local base="${PYTHON:-python3}"
  command -v "$base" >/dev/null 2>&1 || base=python3
  log "kafka-python not importable; installing it into $CACHE/pyvenv ..."
  rm -rf "$CACHE/pyvenv"
  "$base" -m venv "$CACHE/pyvenv" >&2 \
    && "$CACHE/pyvenv/bin/python" -m pip install -q --disable-pip-version-check kafka-python >&2 \
    || die "could not create a venv with kafka-python for the readiness probe"
  echo "$CACHE/pyvenv/bin/python"
}

PROBE_PY='
import sys
from kafka import KafkaAdminClient
admin = KafkaAdminClient(bootstrap_servers=sys.argv[1], client_id="datalek-ci-probe",
                         request_timeout_ms=5000)
try:
    info = admin.describe_cluster()
    admin.list_topics()
    print("cluster_id=%s brokers=%d controller=%s" % (
        info.get("cluster_id"), len(info.get("brokers", [])), info.get("controller_id")))
finally:
    admin.close()
'

write_props() {
  cat > "$STATE/server.properties" <<EOF
# generated by .ci/kafka.sh
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$STATE/kraft-logs
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
num.recovery.threads.per.data.dir=1
EOF
}

cmd_start() {
  local pid
  if pid="$(running_pid)"; then
    log "already running (pid $pid)"
    echo "$BOOTSTRAP"
    return 0
  fi
  for p in "$PORT" "$CONTROLLER_PORT"; do
    port_open "$p" && die "port $HOST:$p is already in use by another process"
  done
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (Kafka $KAFKA_VERSION needs Java 17+)"

  fetch_jars
  local py
  py="$(probe_python)"

  rm -rf "$STATE"
  mkdir -p "$STATE/kraft-logs" "$STATE/logs"
  write_props

  local cp="$CACHE/lib/*"
  local jvm_log=(-Dlog4j2.configurationFile="$LOG4J_CFG" -Dkafka.logs.dir="$STATE/logs")
  local t0 cluster_id
  t0="$(now)"
  # Same format as `kafka.tools.StorageTool random-uuid` (url-safe base64 of a v4 UUID), one JVM less.
  cluster_id="$("$py" -c 'import base64, uuid
while True:
    u = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    if not u.startswith("-"):
        print(u)
        break')"
  if ! "$JAVA" -cp "$cp" "${jvm_log[@]}" kafka.tools.StorageTool format --standalone \
        -t "$cluster_id" -c "$STATE/server.properties" >>"$LOG" 2>&1; then
    tail_log; die "StorageTool format failed"
  fi

  launch "$py" "$t0" "cluster $cluster_id"
}

launch() {
  # Starts the broker on the formatted $STATE and waits until it answers; prints the bootstrap address.
  local py="$1" t0="$2" what="$3" pid
  local cp="$CACHE/lib/*"
  local jvm_log=(-Dlog4j2.configurationFile="$LOG4J_CFG" -Dkafka.logs.dir="$STATE/logs")
  # setsid + nohup: the broker must outlive this script and must not hold its stdout/stderr.
  setsid nohup "$JAVA" "-Xms$HEAP" "-Xmx$HEAP" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    "${jvm_log[@]}" -cp "$cp" kafka.Kafka "$STATE/server.properties" \
    </dev/null >>"$LOG" 2>&1 &
  pid=$!
  echo "$pid" > "$PIDFILE"
  log "started Kafka $KAFKA_VERSION (pid $pid, $what), log: $LOG"

  local deadline out
  deadline=$(( $(date +%s) + TIMEOUT ))
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail_log; rm -f "$PIDFILE"; die "broker exited during start-up"
    fi
    if port_open "$PORT" && out="$("$py" -c "$PROBE_PY" "$BOOTSTRAP" 2>&1)"; then
      break
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "last probe output: ${out:-<port not open>}"
      tail_log
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$PIDFILE"
      die "broker not ready after ${TIMEOUT}s"
    fi
    sleep 0.5
  done
  log "ready in $(elapsed "$t0") s (format + start + first metadata request): $out"
  echo "$BOOTSTRAP"
}

terminate() {
  # SIGTERM the broker, SIGKILL after 30 s; its state dir stays.
  local pid="$1"
  log "stopping pid $pid ..."
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still alive after 30 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$PIDFILE"
}

cmd_stop() {
  local pid
  if pid="$(running_pid)"; then
    terminate "$pid"
  else
    log "not running"
  fi
  rm -rf "$STATE"
  log "stopped"
}

cmd_restart() {
  [ -f "$STATE/server.properties" ] && [ -d "$STATE/kraft-logs" ] || die "no broker state in $STATE to restart"
  local pid t0
  t0="$(now)"
  if pid="$(running_pid)"; then
    terminate "$pid"
    log "stopped in $(elapsed "$t0") s; starting again on $STATE"
  fi
  for p in "$PORT" "$CONTROLLER_PORT"; do
    port_open "$p" && die "port $HOST:$p is still in use"
  done
  launch "$(probe_python)" "$(now)" "restarted, data kept"
}

cmd_status() {
  local pid
  if pid="$(running_pid)" && port_open "$PORT"; then
    log "running (pid $pid, Kafka $KAFKA_VERSION, state $STATE)"
    echo "$BOOTSTRAP"
    return 0
  fi
  log "not running"
  return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_restart ;;
  status) cmd_status ;;
  version) echo "$KAFKA_VERSION" ;;
  *) echo "usage: $0 start|stop|restart|status|version" >&2; exit 2 ;;
esac
