#!/usr/bin/env bash
# Starts a real single-node Apache Kafka 4.x broker in KRaft mode on 127.0.0.1:9092, without
# Docker: the jars come from Maven Central (pom.xml), storage is formatted once, and the script
# returns when a client can create a topic. Idempotent: if the broker already answers, it does
# nothing. Logs, data and the pid live in infra/kafka/.work (git-ignored).
#
#   KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_WORK_DIR (infra/kafka/.work),
#   KAFKA_HEAP (512m), KAFKA_START_TIMEOUT seconds (90)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${KAFKA_WORK_DIR:-$HERE/.work}"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
HEAP="${KAFKA_HEAP:-512m}"
TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
LIBS="$WORK/libs"
DATA="$WORK/data"
PID_FILE="$WORK/kafka.pid"
mkdir -p "$WORK"

log() { echo "[kafka] $*"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A client can create (or find) a topic: the broker is really serving, not just listening.
client_ready() {
  java -cp "$LIBS/*" -Dlog4j2.configurationFile="$WORK/log4j2-tools.properties" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$PORT" \
    --create --if-not-exists --topic __infra_ready --partitions 1 --replication-factor 1 \
    --command-config "$WORK/client.properties" >/dev/null 2>&1
}

# Java 17+ and Maven are on our machines; a bare Debian box (as root) gets them from apt.
ensure_tools() {
  if command -v java >/dev/null && command -v mvn >/dev/null; then return; fi
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    log "installing Java and Maven from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless maven >/dev/null
  else
    log "Java 17+ and Maven (mvn) are required"; exit 1
  fi
}

fetch_jars() {
  local stamp="$LIBS/.pom.sha256"
  local want
  want="$(sha256sum "$HERE/pom.xml" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return; fi
  log "resolving Kafka jars from Maven Central"
  rm -rf "$LIBS"
  mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$LIBS" -DincludeScope=runtime
  echo "$want" >"$stamp"
}

write_config() {
  cat >"$WORK/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA
num.partitions=3
# One broker: every internal topic has one replica. Few partitions make the first start quick.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=6
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Topics are created on purpose by the services and tests, never by a typo.
auto.create.topics.enable=false
# Outbox relay checkpoints are committed offsets; keep them well beyond any idle period.
offsets.retention.minutes=43200
log.retention.hours=72
PROPS
  cat >"$WORK/log4j2.properties" <<PROPS
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $WORK/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
PROPS
  cat >"$WORK/log4j2-tools.properties" <<PROPS
status = error
rootLogger.level = ERROR
PROPS
  echo "request.timeout.ms=5000" >"$WORK/client.properties"
}

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

ensure_tools
fetch_jars
write_config

if port_open "$PORT" && client_ready; then
  log "already running on 127.0.0.1:$PORT"
  exit 0
fi

if ! running_pid >/dev/null; then
  if port_open "$PORT"; then
    log "port $PORT is taken by something that is not a working Kafka broker"; exit 1
  fi
  if [[ ! -f "$DATA/meta.properties" ]]; then
    cluster_id="$(java -cp "$LIBS/*" -Dlog4j2.configurationFile="$WORK/log4j2-tools.properties" kafka.tools.StorageTool random-uuid)"
    log "formatting storage (cluster $cluster_id)"
    java -cp "$LIBS/*" -Dlog4j2.configurationFile="$WORK/log4j2-tools.properties" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$WORK/server.properties" >/dev/null
  fi
  log "starting broker (logs: $WORK/server.log)"
  nohup java "-Xms256m" "-Xmx$HEAP" -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$WORK/log4j2.properties" \
    -cp "$LIBS/*" kafka.Kafka "$WORK/server.properties" >"$WORK/stdout.log" 2>&1 &
  echo $! >"$PID_FILE"
fi

deadline=$((SECONDS + TIMEOUT))
until port_open "$PORT" && client_ready; do
  if ! running_pid >/dev/null; then
    log "broker exited during start; last lines of its output:"; tail -n 30 "$WORK/stdout.log" "$WORK/server.log" 2>/dev/null || true
    exit 1
  fi
  if ((SECONDS > deadline)); then log "not ready after ${TIMEOUT}s"; exit 1; fi
  sleep 1
done
log "ready on 127.0.0.1:$PORT"
