#!/usr/bin/env bash
# `npm run bench [-- options]`: starts PostgreSQL, Redis and Kafka if they are down (as `npm test`
# does), then runs the benchmark against them in a database of its own. Not part of `npm test`.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$REPO_ROOT"
ensure_infrastructure

export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://$PG_USER@$PG_HOST:$PG_PORT/settle_bench}"
export REDIS_URL="${BENCH_REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT}"
export KAFKA_BROKERS="${BENCH_KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
run_ts tools/ensure-database.ts "$DATABASE_URL"
# exec: Ctrl-C and a SIGTERM reach the bench itself, which stops its services and removes its data.
exec node -r @swc-node/register tools/bench/src/main.ts "$@"
