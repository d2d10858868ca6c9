#!/usr/bin/env bash
# Stops whatever the fault tests started and may have left behind when a run was cut short: the
# service processes they spawned (by the pids they recorded), their Kafka broker (port 19092) and
# their Postgres cluster (port 55432). Idempotent; never fails. The shared Postgres (5432) and
# broker (9092) are not touched. infra/test-all.sh runs it after the fault tests, pass or fail.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"

PIDS="$ROOT/tests/artifacts/faults/pids"
if [[ -f "$PIDS" ]]; then
  while read -r pid; do
    # Only a pid that still is one of our service processes (pids are reused).
    if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qE 'services/[^ ]*/(src/server\.ts|dist/server\.js)'; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  done <"$PIDS"
  rm -f "$PIDS"
fi

KAFKA_PORT="${FAULT_KAFKA_PORT:-19092}" KAFKA_CONTROLLER_PORT="${FAULT_KAFKA_CONTROLLER_PORT:-19093}" \
  KAFKA_WORK_DIR="${FAULT_KAFKA_WORK_DIR:-$ROOT/infra/kafka/.work-faults}" \
  bash "$ROOT/infra/kafka/stop.sh" --wipe || true

PG_DIR="${FAULT_PG_DIR:-${TMPDIR:-/tmp}/wallet-guard-faults-pg-${FAULT_PG_PORT:-55432}}"
PG_DIR="${PG_DIR%/}"
if [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
  pg_ctl="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/pg_ctl"
  [[ -x "$pg_ctl" ]] || pg_ctl=pg_ctl
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$pg_ctl" -D "$PG_DIR/data" -m immediate -w stop || true
  else
    "$pg_ctl" -D "$PG_DIR/data" -m immediate -w stop || true
  fi
  echo "[faults] stopped the fault tests' Postgres cluster"
fi
rm -rf "$PG_DIR"
