#!/usr/bin/env bash
# README command 2 (`npm test`): from a fresh clone, installs what the suite needs and runs all of
# it against a real PostgreSQL and a real Apache Kafka broker, starting them when they are not
# running. Steps: pnpm and dependencies, Postgres, Kafka, Chromium (the console tests drive it),
# typecheck, lint (Dockerfile and Kubernetes example included), the agent console build, the
# production build (pnpm build), tests, then the tests that need the machine to
# themselves: fault tests, the timed start-up of command 1 and the response-time comparisons of
# account enumeration (SERIAL=0 skips them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PNPM="npx --yes pnpm@10.34.9"
step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step "dependencies"
$PNPM install --frozen-lockfile

step "postgres"
bash infra/postgres/ensure.sh

step "kafka"
bash infra/kafka/start.sh

step "chromium"
# Debian's package, driven by playwright-core: no browser download. Installing needs root (CI is).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Chromium is missing: run as root, or: sudo apt-get install -y chromium" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version 2>/dev/null

step "typecheck"
$PNPM -r --workspace-concurrency=2 exec tsc --noEmit -p .

step "lint"
# Biome (style, and no production import of test-only code), then no import circles
# (dependency-cruiser) and no unused files, exports or dependencies (knip).
$PNPM exec biome ci .
$PNPM exec depcruise --config infra/lint/dependency-cruiser.cjs --output-type err packages services tests
$PNPM exec knip --no-progress --no-config-hints
# The production image's Dockerfile (dockerfilelint) and the Kubernetes example (the Kubernetes
# API schemas, unknown fields included).
$PNPM --filter @wallet-guard/build lint:dockerfile
$PNPM --filter @wallet-guard/build check:k8s

step "console"
# Always rebuilt here, so the browser tests run the console of this commit.
$PNPM --filter @wallet-guard/support-cases build:console

step "build"
# Every service and package compiled to JavaScript (services/<name>/dist/server.js): what the
# image runs, and what the fault tests below start as processes.
$PNPM run build:services

step "tests"
$PNPM exec vitest run --config tests/vitest.config.ts "$@"

if [ "${SERIAL:-1}" != 0 ]; then
  step "serial: faults and timed tests"
  # tests/faults kill services, stop a Kafka broker and restart Postgres, so they run one file at a
  # time on infrastructure of their own (a broker on 19092, a cluster on 55432), never the shared
  # ones. Then the timed tests, alone on the machine. About 7 minutes. Their broker, cluster and
  # processes are cleaned up pass or fail.
  trap 'bash tests/faults/support/cleanup.sh' EXIT
  $PNPM exec vitest run --config tests/vitest.serial.config.ts
fi

step "done"
