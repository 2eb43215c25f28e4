#!/usr/bin/env bash
# PostgreSQL for tests, from Debian's `postgresql` package (a Debian cluster run with pg_ctlcluster,
# which works as root in a container without systemd).
#
#   .ci/postgres.sh start    install if missing, start a cluster listening only on 127.0.0.1,
#                            create role/database `datalek` (password `datalek`, CREATEDB, CREATEROLE:
#                            tests make throwaway databases, and an application role without DDL
#                            rights in tests/integration/test_db_roles.py);
#                            prints the SQLAlchemy URL on stdout
#   .ci/postgres.sh stop     stop the cluster
#   .ci/postgres.sh status   exit 0 and print the URL if it answers, else exit 3
#
# Progress/diagnostics go to stderr; stdout carries only the URL.
#
# Environment:
#   DATALEK_PG_PORT     port (default 5432)
#   DATALEK_PG_VERSION  Debian cluster major version (default: newest installed)
#   DATALEK_PG_CLUSTER  Debian cluster name (default: main)
set -euo pipefail

PORT="${DATALEK_PG_PORT:-5432}"
CLUSTER="${DATALEK_PG_CLUSTER:-main}"
HOST=127.0.0.1
ROLE=datalek
PASSWORD=datalek
DB=datalek
URL="postgresql+psycopg://$ROLE:$PASSWORD@$HOST:$PORT/$DB"
TIMEOUT=60

log() { echo "postgres.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_postgres() {
  # Runs a command as the `postgres` OS user, from a directory it can read.
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  elif [ "$(id -un)" = postgres ]; then
    (cd / && "$@")
  elif command -v sudo >/dev/null; then
    (cd / && sudo -n -u postgres -- "$@")
  else
    die "need root (or sudo) to manage the PostgreSQL cluster"
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

pg_version() {
  if [ -n "${DATALEK_PG_VERSION:-}" ]; then echo "$DATALEK_PG_VERSION"; return; fi
  local v
  v="$(ls -1 /usr/lib/postgresql/*/bin/postgres 2>/dev/null | awk -F/ '{print $5}' | sort -n | tail -n1)"
  [ -n "$v" ] || return 1
  echo "$v"
}

ensure_installed() {
  if command -v pg_ctlcluster >/dev/null && pg_version >/dev/null; then return 0; fi
  log "installing Debian package postgresql ..."
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  command -v pg_ctlcluster >/dev/null && pg_version >/dev/null || die "postgresql install failed"
}

is_running() { pg_ctlcluster "$VER" "$CLUSTER" status >/dev/null 2>&1; }

cluster_exists() { [ -f "/etc/postgresql/$VER/$CLUSTER/postgresql.conf" ]; }

conf_get() { pg_conftool -s "$VER" "$CLUSTER" show "$1" 2>/dev/null | tr -d "'" || true; }

configure() {
  # Returns 0 if something changed (a running cluster then needs a restart).
  # listen_addresses/ssl go into a conf.d drop-in (Debian's postgresql.conf ends with
  # include_dir = 'conf.d'; pg_conftool mangles quoted values); the port goes into
  # postgresql.conf itself, where pg_ctlcluster/pg_lsclusters read it.
  local changed=1 dropin="/etc/postgresql/$VER/$CLUSTER/conf.d/zz-datalek-ci.conf" want
  want="# written by .ci/postgres.sh
listen_addresses = '$HOST'"
  # Some container images lack the snakeoil key the Debian cluster points at; without it
  # the server refuses to start. Tests connect over loopback, so SSL is not needed then.
  if [ "$(conf_get ssl)" = on ]; then
    local key
    key="$(conf_get ssl_key_file)"
    if [ -n "$key" ] && ! as_postgres test -r "$key"; then
      log "ssl key $key not readable by postgres; turning ssl off"
      want="$want
ssl = off"
    fi
  fi
  if [ "$(cat "$dropin" 2>/dev/null || true)" != "$want" ]; then
    printf '%s\n' "$want" | as_root tee "$dropin" >/dev/null
    as_root chown postgres:postgres "$dropin" 2>/dev/null || true
    changed=0
  fi
  if [ "$(conf_get port)" != "$PORT" ]; then
    as_root pg_conftool "$VER" "$CLUSTER" set port "$PORT"; changed=0
  fi
  return $changed
}

wait_ready() {
  local deadline=$(( $(date +%s) + TIMEOUT ))
  until pg_isready -q -h "$HOST" -p "$PORT"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 40 "/var/log/postgresql/postgresql-$VER-$CLUSTER.log" >&2 2>/dev/null || true
      die "PostgreSQL not accepting connections on $HOST:$PORT after ${TIMEOUT}s"
    fi
    sleep 0.5
  done
}

psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres "$@"; }

cmd_start() {
  ensure_installed
  VER="$(pg_version)"
  if ! cluster_exists; then
    log "creating cluster $VER/$CLUSTER on port $PORT ..."
    as_root pg_createcluster "$VER" "$CLUSTER" --port "$PORT" >&2
  fi
  if configure; then
    if is_running; then
      log "configuration changed; restarting cluster $VER/$CLUSTER"
      as_root pg_ctlcluster "$VER" "$CLUSTER" restart >&2
    fi
  fi
  if ! is_running; then
    log "starting cluster $VER/$CLUSTER on $HOST:$PORT ..."
    as_root pg_ctlcluster "$VER" "$CLUSTER" start >&2 \
      || { tail -n 40 "/var/log/postgresql/postgresql-$VER-$CLUSTER.log" >&2 2>/dev/null || true
           die "pg_ctlcluster $VER $CLUSTER start failed"; }
  fi
  wait_ready

  psql_admin <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB CREATEROLE PASSWORD '$PASSWORD';
  ELSE
    ALTER ROLE $ROLE LOGIN CREATEDB CREATEROLE PASSWORD '$PASSWORD';
  END IF;
END
\$\$;
SQL
  if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    psql_admin -c "CREATE DATABASE $DB OWNER $ROLE"
  fi

  # Check the way the tests will connect: TCP, password auth, as the test role.
  local ver
  ver="$(PGPASSWORD="$PASSWORD" psql -X -h "$HOST" -p "$PORT" -U "$ROLE" -d "$DB" -tAc 'SHOW server_version')" \
    || die "cannot log in as $ROLE over TCP"
  log "PostgreSQL $ver ready on $HOST:$PORT (cluster $VER/$CLUSTER)"
  echo "$URL"
}

cmd_stop() {
  VER="$(pg_version)" || { log "PostgreSQL not installed"; return 0; }
  if cluster_exists && is_running; then
    as_root pg_ctlcluster "$VER" "$CLUSTER" stop >&2
    log "stopped cluster $VER/$CLUSTER"
  else
    log "not running"
  fi
}

cmd_status() {
  if command -v pg_isready >/dev/null && pg_isready -q -h "$HOST" -p "$PORT"; then
    echo "$URL"
    return 0
  fi
  log "not running"
  return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
