#!/usr/bin/env bash
# Rolls Settle out to the cluster kubectl points at, migrations first:
#   bash deploy/k8s/rollout.sh local|production
# 1. the namespace, configuration, Kafka cluster and topics (labels component=config|kafka|storage);
# 2. the migration Jobs of this release (the previous release's Jobs are deleted first: a Job's
#    pod template cannot change), waiting until every one completed;
# 3. everything else: Deployments roll only after their schema is migrated.
# Argo CD users need none of this: the Jobs carry the PreSync hook annotation.
set -euo pipefail
overlay="${1:?usage: rollout.sh local|production}"
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/overlays/$overlay"
[ -d "$dir" ] || { echo "no overlay $overlay" >&2; exit 1; }
namespace=settle
rendered="$(mktemp)"; trap 'rm -f "$rendered"' EXIT
kubectl kustomize "$dir" >"$rendered"

echo "==> Namespace, configuration, Kafka and topics"
# The overlay's own objects first (the Namespace, local PostgreSQL/Redis, Kafka node pools).
kubectl apply -f "$rendered" --selector '!app.kubernetes.io/part-of'
kubectl apply -f "$rendered" -l 'app.kubernetes.io/component in (config, kafka, storage)'
# An overlay that renders no Secret (production) reads one made outside this repository.
if ! grep -q '^kind: Secret$' "$rendered" && ! kubectl -n "$namespace" get secret settle-secrets >/dev/null 2>&1; then
  echo "the Secret settle-secrets does not exist in namespace $namespace: create it first (docs/deployment.md, Configuration and secrets)" >&2
  exit 1
fi
echo "==> Migrations"
kubectl -n "$namespace" delete job -l app.kubernetes.io/component=migration --ignore-not-found --wait=true
kubectl apply -f "$rendered" -l app.kubernetes.io/component=migration
if ! kubectl -n "$namespace" wait --for=condition=complete job -l app.kubernetes.io/component=migration --timeout=900s; then
  kubectl -n "$namespace" logs -l app.kubernetes.io/component=migration --tail=50 >&2 || true
  echo "migrations did not complete: the running release is left as it was" >&2
  exit 1
fi
echo "==> Apps"
kubectl apply -f "$rendered"
for d in $(kubectl -n "$namespace" get deploy -l app.kubernetes.io/part-of=settle -o name); do
  kubectl -n "$namespace" rollout status "$d" --timeout=600s
done
