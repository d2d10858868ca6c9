#!/usr/bin/env bash
# Stops the broker started by start.sh (SIGTERM, then SIGKILL after 30 s). Data is kept; add
# --wipe to delete it too. Idempotent.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${KAFKA_WORK_DIR:-$HERE/.work}"
PID_FILE="$WORK/kafka.pid"

if [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  pid="$(cat "$PID_FILE")"
  kill "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  echo "[kafka] stopped"
else
  echo "[kafka] not running"
fi
rm -f "$PID_FILE"
if [[ "${1:-}" == "--wipe" ]]; then rm -rf "$WORK/data"; echo "[kafka] data wiped"; fi
