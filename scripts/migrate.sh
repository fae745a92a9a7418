#!/usr/bin/env bash
# Applies every service's migrations to its own schema (`npm run migrate`; `npm run migrate -- --check`
# then also fails if entities and migrations disagree). Reads DATABASE_URL from the environment (or .local/settle.env).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -z "${DATABASE_URL:-}" ] && [ -f .local/settle.env ]; then set -a; source .local/settle.env; set +a; fi
for s in customer-service billing-service incentive-service invoice-service marketplace-service; do
  node -r @swc-node/register "apps/$s/src/migrate.ts" "$@"
done
