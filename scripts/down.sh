#!/usr/bin/env bash
# `npm run down`: stops the services started by `npm run up` (gracefully) and the local Kafka.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for pidfile in "$SETTLE_HOME"/run/*.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile"); name=$(basename "$pidfile" .pid)
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "$name stopped"
  fi
  rm -f "$pidfile"
done
bash "$REPO_ROOT/deploy/kafka/kafka.sh" stop
