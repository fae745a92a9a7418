#!/usr/bin/env bash
# `npm test`: installs what is missing, starts PostgreSQL, Redis and Kafka if they are down, then
# runs every test: lint, typecheck and unit tests of every project, then the integration tier
# against the real services. Exits non-zero when anything fails.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
ensure_node_modules
ensure_kubectl
ensure_infrastructure
ensure_chromium

export DATABASE_URL="${TEST_DATABASE_URL:-postgres://$PG_USER@$PG_HOST:$PG_PORT/settle_test}"
export REDIS_URL="${TEST_REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT}"
# Every answer a test provokes is checked against its route's declared contract (docs/api/openapi.json's source).
export API_CONTRACT_CHECK="${API_CONTRACT_CHECK:-strict}"
export KAFKA_BROKERS="${TEST_KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
run_ts tools/ensure-database.ts "$DATABASE_URL"

results="$SETTLE_HOME/test-results"
rm -rf "$results" && mkdir -p "$results"
status=0
say "Lint, typecheck and unit tests"
npx nx run-many -t lint typecheck test --skip-nx-cache --outputStyle=static || status=1
say "Integration tests (real PostgreSQL, Redis, Kafka)"
# Two projects at a time (INTEGRATION_PARALLEL): every suite has its own schemas, topic prefix and
# Redis prefix, so they never see each other, and most of their time is spent waiting on the broker.
npx nx run-many -t integration --parallel="${INTEGRATION_PARALLEL:-2}" --skip-nx-cache --outputStyle=static || status=1
node tools/test-summary.js "$results" || status=1
exit $status
