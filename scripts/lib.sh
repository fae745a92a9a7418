# Shared by up.sh, test.sh and down.sh: where things live and how to bring up what is missing.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SETTLE_HOME="${SETTLE_HOME:-$REPO_ROOT/.local}"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_SKIP_NX_CACHE=${NX_SKIP_NX_CACHE:-}
PG_HOST="${PG_HOST:-127.0.0.1}" PG_PORT="${PG_PORT:-5432}" PG_USER="${PG_USER:-postgres}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}" REDIS_PORT="${REDIS_PORT:-6379}"
mkdir -p "$SETTLE_HOME"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs dependencies when node_modules is missing or older than the lock file.
ensure_node_modules() {
  if [ ! -f "$REPO_ROOT/node_modules/.package-lock.json" ] || [ "$REPO_ROOT/package-lock.json" -nt "$REPO_ROOT/node_modules/.package-lock.json" ]; then
    say "Installing dependencies (npm ci)"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund)
  fi
}

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

ensure_postgres() {
  if ! tcp_open "$PG_HOST" "$PG_PORT"; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      say "Starting PostgreSQL"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start || true
    fi
    for _ in $(seq 1 30); do tcp_open "$PG_HOST" "$PG_PORT" && break; sleep 1; done
    tcp_open "$PG_HOST" "$PG_PORT" || fail "PostgreSQL is not reachable on $PG_HOST:$PG_PORT and could not be started."
  fi
}

ensure_redis() {
  if ! tcp_open "$REDIS_HOST" "$REDIS_PORT"; then
    if command -v redis-server >/dev/null 2>&1; then
      say "Starting Redis"
      mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
      redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    fi
    for _ in $(seq 1 30); do tcp_open "$REDIS_HOST" "$REDIS_PORT" && break; sleep 1; done
    tcp_open "$REDIS_HOST" "$REDIS_PORT" || fail "Redis is not reachable on $REDIS_HOST:$REDIS_PORT and could not be started."
  fi
}

ensure_kafka() {
  bash "$REPO_ROOT/deploy/kafka/kafka.sh" start
}

# kubectl renders the Kubernetes overlays for the manifest test (`kubectl kustomize`): Debian's
# kubernetes-client package when no kubectl is on the PATH.
ensure_kubectl() {
  command -v kubectl >/dev/null 2>&1 && return
  if command -v apt-get >/dev/null 2>&1; then
    say "Installing kubectl (apt-get install kubernetes-client)"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y kubernetes-client >/dev/null || { $sudo apt-get update >/dev/null && $sudo apt-get install -y kubernetes-client >/dev/null; } || true
  fi
  command -v kubectl >/dev/null 2>&1 || fail "kubectl is needed to render deploy/k8s (kubectl kustomize): install it (Debian/Ubuntu: apt-get install kubernetes-client; elsewhere: https://kubernetes.io/docs/tasks/tools/)."
}

ensure_infrastructure() {
  ensure_postgres
  ensure_redis
  ensure_kafka
}

run_ts() { (cd "$REPO_ROOT" && node -r @swc-node/register "$@"); }

# The queue dashboard's browser test drives Debian's Chromium (no browser download).
ensure_chromium() {
  if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || fail "Chromium is missing and apt-get is not available: install Debian's chromium package or set CHROMIUM_PATH."
    say "Installing Chromium (Debian package chromium) for the dashboard's browser test"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || { $sudo apt-get update >/dev/null 2>&1 && $sudo apt-get install -y --no-install-recommends chromium >/dev/null; } \
      || fail "Could not install Chromium with apt-get: install Debian's chromium package or set CHROMIUM_PATH."
  fi
}
