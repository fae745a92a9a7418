#!/usr/bin/env bash
# The local Kafka: Apache Kafka 3.9.1 from Maven Central, one KRaft node (broker + controller)
# on 127.0.0.1. Usage: kafka.sh [start|stop|status|logs|reset]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
SETTLE_HOME="${SETTLE_HOME:-$REPO_ROOT/.local}"
KAFKA_VERSION=3.9.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx768m}"
BASE="$SETTLE_HOME/kafka"
LIBS="$BASE/libs" DATA="$BASE/data" LOGS="$BASE/logs" CONFIG="$BASE/server.properties" PIDFILE="$BASE/kafka.pid"

log() { printf 'kafka: %s\n' "$*"; }
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null; }
running_pid() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && cat "$PIDFILE"; }

fetch() {
  if [ -f "$LIBS/.complete-$KAFKA_VERSION" ]; then return; fi
  command -v mvn >/dev/null || { echo "kafka: Maven (mvn) is needed to fetch Kafka" >&2; exit 1; }
  command -v java >/dev/null || { echo "kafka: Java 17+ is needed to run Kafka" >&2; exit 1; }
  log "fetching Apache Kafka $KAFKA_VERSION with Maven"
  rm -rf "$LIBS" && mkdir -p "$LIBS"
  mvn -B -q -f "$HERE/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIBS" -DincludeScope=runtime
  touch "$LIBS/.complete-$KAFKA_VERSION"
}

configure() {
  mkdir -p "$DATA" "$LOGS"
  cat >"$CONFIG" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
# Topics exist only when provisioned from the contracts (settle topics provision).
auto.create.topics.enable=false
# Fast group joins for tests and a single node's replication.
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
default.replication.factor=1
min.insync.replicas=1
num.partitions=3
log.retention.hours=168
log.segment.bytes=67108864
CONF
}

format_storage() {
  if [ -f "$DATA/meta.properties" ]; then return; fi
  local id
  id=$(java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)
  log "formatting storage (cluster $id)"
  java -Dlog4j.configuration="file:$HERE/log4j.properties" -Dkafka.logs.dir="$LOGS" -cp "$LIBS/*" \
    kafka.tools.StorageTool format -t "$id" -c "$CONFIG" >/dev/null
}

start() {
  if answers; then log "already running on 127.0.0.1:$KAFKA_PORT"; return; fi
  fetch
  configure
  format_storage
  local started=$SECONDS
  : >"$LOGS/server.log"
  nohup java $KAFKA_HEAP -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$HERE/log4j.properties" -Dkafka.logs.dir="$LOGS" \
    -cp "$LIBS/*" kafka.Kafka "$CONFIG" >"$LOGS/stdout.log" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 180); do
    if grep -q "Kafka Server started" "$LOGS/server.log" 2>/dev/null && answers; then
      log "started on 127.0.0.1:$KAFKA_PORT in $((SECONDS - started)) s (pid $(cat "$PIDFILE"), logs $LOGS)"
      return
    fi
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      echo "kafka: the broker exited during start-up:" >&2
      tail -n 40 "$LOGS/server.log" "$LOGS/stdout.log" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  echo "kafka: the broker did not start within 90 s:" >&2
  tail -n 40 "$LOGS/server.log" >&2 || true
  exit 1
}

stop() {
  local pid
  pid=$(running_pid) || { log "not running"; rm -f "$PIDFILE"; return; }
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$PIDFILE"
  log "stopped"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) if answers; then log "running on 127.0.0.1:$KAFKA_PORT${PIDFILE:+ (pid $(cat "$PIDFILE" 2>/dev/null || echo '?'))}"; else log "not running"; exit 1; fi ;;
  logs) tail -n "${LINES:-100}" "$LOGS/server.log" ;;
  reset) stop; rm -rf "$DATA"; log "data removed" ;;
  *) echo "usage: kafka.sh [start|stop|status|logs|reset]" >&2; exit 2 ;;
esac
