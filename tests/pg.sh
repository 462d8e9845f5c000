#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, on 127.0.0.1 only, checking passwords.
#   source tests/pg.sh && pg_start    # exports TAPPEDIN_TEST_PG (an admin URL)
#   pg_stop                           # stops it and deletes its files
# Uses Debian's postgresql package (installed if missing). As root the server
# runs as the postgres account, as PostgreSQL requires.

pg_start() {
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_DIR=$(mktemp -d /tmp/tappedin-pg.XXXXXX)
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  local as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_DIR"
    as=(runuser -u postgres --)
  fi
  PG_RUN=("${as[@]}")
  # Passwords are checked (SCRAM) over TCP, as on a real server; the superuser's is made up.
  local password
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  (umask 077; echo "$password" > "$PG_DIR/pw")
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR/pw"
  "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres --pwfile="$PG_DIR/pw" \
    --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --no-sync >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -s \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c max_connections=200" start
  PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres tappedin_test
  PG_BIN=$bin
  export TAPPEDIN_TEST_PG="postgresql+psycopg://postgres:$password@127.0.0.1:$PG_PORT/tappedin_test"
}

pg_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -s stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
