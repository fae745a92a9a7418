#!/usr/bin/env bash
# `npm run up`: everything from a fresh clone to a running platform on this machine:
# dependencies, PostgreSQL/Redis (started if stopped), Kafka (fetched and started), topics,
# migrations, the five services and the gateway, then a demo partner and customer whose
# association travels customer-service -> outbox -> Kafka -> billing-service.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
ensure_node_modules
ensure_infrastructure

ENV_FILE="$SETTLE_HOME/settle.env"
if [ ! -f "$ENV_FILE" ]; then
  say "Writing local configuration to $ENV_FILE (fresh random secrets)"
  rand() { node -e "process.stdout.write(require('crypto').randomBytes($1).toString('base64'))"; }
  cat > "$ENV_FILE" <<CONF
DATABASE_URL=postgres://$PG_USER@$PG_HOST:$PG_PORT/settle
REDIS_URL=redis://$REDIS_HOST:$REDIS_PORT
KAFKA_BROKERS=127.0.0.1:${KAFKA_PORT:-9092}
INTERNAL_AUTH_SECRET=$(rand 48)
OPERATOR_TOKEN_SECRET=$(rand 48)
CREDENTIALS_ENCRYPTION_KEY=$(rand 32)
SETTLE_URL=http://127.0.0.1:8080
LOG_LEVEL=info
CONF
fi
set -a; source "$ENV_FILE"; set +a

run_ts tools/ensure-database.ts "$DATABASE_URL"
say "Provisioning Kafka topics"
npx settle topics provision
say "Migrating"
bash scripts/migrate.sh

mkdir -p "$SETTLE_HOME/logs" "$SETTLE_HOME/run"
start() {
  local name=$1 port=$2 pidfile="$SETTLE_HOME/run/$1.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "$name already running (pid $(cat "$pidfile"))"; return
  fi
  # SERVICE_HEAP_MB bounds V8's old space (default 256): a service otherwise grows its heap lazily far past what it uses.
  PORT=$port nohup node --max-old-space-size="${SERVICE_HEAP_MB:-256}" -r @swc-node/register "apps/$name/src/main.ts" >>"$SETTLE_HOME/logs/$name.log" 2>&1 &
  echo $! >"$pidfile"
  echo "$name started (pid $!, port $port, log .local/logs/$name.log)"
}
say "Starting services"
start customer-service 8081
start billing-service 8082
start incentive-service 8083
start invoice-service 8084
start marketplace-service 8085
start gateway 8080
start queue-dashboard 8090

wait_ready() {
  local name=$1 port=$2
  for _ in $(seq 1 120); do
    if node -e "fetch('http://127.0.0.1:$port/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
      echo "$name ready"; return
    fi
    if ! kill -0 "$(cat "$SETTLE_HOME/run/$name.pid")" 2>/dev/null; then
      tail -n 30 "$SETTLE_HOME/logs/$name.log" >&2; fail "$name exited during start-up (log above)"
    fi
    sleep 1
  done
  tail -n 30 "$SETTLE_HOME/logs/$name.log" >&2; fail "$name did not become ready within 120 s"
}
say "Waiting for readiness (PostgreSQL, Redis and Kafka reachable from every service)"
wait_ready customer-service 8081; wait_ready billing-service 8082; wait_ready incentive-service 8083
wait_ready invoice-service 8084; wait_ready marketplace-service 8085; wait_ready gateway 8080
wait_ready queue-dashboard 8090

say "Demo: a partner, a customer, the association flowing to billing, usage billed on BullMQ, signed partner API calls"
run_ts tools/demo.ts

say "Queue dashboard: http://127.0.0.1:8090/queues (sign in with: npx settle operator-token --subject \$USER)"
