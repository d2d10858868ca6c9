#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on PGHOST:PGPORT (default 127.0.0.1:5432) and accepts
# the user postgres without a password from localhost, as the tests expect. On these machines
# one is installed and usually running; if it is down it is started with pg_ctlcluster; if none
# is installed (a fresh Debian box, as root) it is installed from Debian's packages.
set -euo pipefail
HOST="${PGHOST:-127.0.0.1}"
PORT="${PGPORT:-5432}"

log() { echo "[postgres] $*"; }

answers() {
  command -v pg_isready >/dev/null && pg_isready -h "$HOST" -p "$PORT" -q
}

accepts_postgres() {
  psql -h "$HOST" -p "$PORT" -U postgres -d postgres -w -tAc 'select 1' >/dev/null 2>&1
}

start_clusters() {
  command -v pg_ctlcluster >/dev/null || return 1
  local version
  for version in $(ls /etc/postgresql 2>/dev/null); do
    log "starting cluster $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  done
}

install_server() {
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    log "no PostgreSQL here and cannot install one (needs root and apt-get)"; return 1
  fi
  log "installing PostgreSQL from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

trust_localhost() {
  local version hba
  for version in $(ls /etc/postgresql 2>/dev/null); do
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    if [[ -w "$hba" ]] && ! grep -q '^host all postgres 127.0.0.1/32 trust' "$hba"; then
      log "allowing user postgres from localhost without a password ($hba)"
      sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
      pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
    fi
  done
}

wait_until_ready() {
  for _ in $(seq 1 30); do answers && return 0; sleep 1; done
  return 1
}

if answers && accepts_postgres; then
  log "ready on $HOST:$PORT"; exit 0
fi
if ! answers; then
  command -v pg_ctlcluster >/dev/null || install_server
  start_clusters || true
  wait_until_ready || { log "no server answers on $HOST:$PORT"; exit 1; }
fi
accepts_postgres || trust_localhost
accepts_postgres || { log "server answers but refuses user postgres from $HOST"; exit 1; }
log "ready on $HOST:$PORT"
