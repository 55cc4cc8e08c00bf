#!/usr/bin/env bash
# Makes sure a 3-master Redis Cluster is up on 127.0.0.1:7101-7103 for the cluster tests (REDIS_CLUSTER_NODES).
# Idempotent: a healthy cluster (state ok, 3 masters, all 16384 slots, on every node) is reused; anything else on
# those ports is shut down and the cluster is created afresh. Under CI=true, failing to get one is an error.
set -uo pipefail

PORTS=(7101 7102 7103)
DIR="${REDIS_CLUSTER_DIR:-${TMPDIR:-/tmp}/workos-events-redis-cluster}"

info() { redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null | tr -d '\r'; }

healthy() {
  for port in "${PORTS[@]}"; do
    local out
    out="$(info "$port")"
    grep -qx 'cluster_state:ok' <<<"$out" || return 1
    grep -qx 'cluster_slots_assigned:16384' <<<"$out" || return 1
    grep -qx 'cluster_slots_ok:16384' <<<"$out" || return 1
    grep -qx "cluster_size:${#PORTS[@]}" <<<"$out" || return 1
    grep -qx "cluster_known_nodes:${#PORTS[@]}" <<<"$out" || return 1
  done
}

wait_for() { # seconds check...
  local seconds="$1"
  shift
  for _ in $(seq 1 "$((seconds * 5))"); do "$@" && return 0; sleep 0.2; done
  return 1
}

fail() {
  echo "Redis Cluster: $*" >&2
  if [ "${CI:-}" = "true" ]; then
    echo "A Redis Cluster is required under CI=true: failing." >&2
    exit 1
  fi
  echo "Redis Cluster tests will skip (REDIS_CLUSTER_NODES unreachable)." >&2
  exit 0
}

nodes="$(printf '127.0.0.1:%s,' "${PORTS[@]}")"
nodes="${nodes%,}"

if healthy; then
  echo "Redis Cluster: up on $nodes (reused)"
  exit 0
fi

command -v redis-server >/dev/null && command -v redis-cli >/dev/null || fail "redis-server / redis-cli not installed"

echo "Redis Cluster: not healthy on $nodes: (re)creating it in $DIR"
for port in "${PORTS[@]}"; do
  # Whatever answers on our ports is a leftover of an earlier run: stop it (no save, the data is test data).
  redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
done
for port in "${PORTS[@]}"; do
  down() { ! redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; }
  wait_for 10 down || fail "port $port is still answering after SHUTDOWN"
done
rm -rf "$DIR"
for port in "${PORTS[@]}"; do
  mkdir -p "$DIR/$port"
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$DIR/$port" \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 \
    --save "" --appendonly no --logfile "$DIR/$port/redis.log" --pidfile "$DIR/$port/redis.pid" ||
    fail "redis-server did not start on port $port (see $DIR/$port/redis.log)"
done
for port in "${PORTS[@]}"; do
  up() { [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = "PONG" ]; }
  wait_for 10 up || fail "redis-server on port $port does not answer PING (see $DIR/$port/redis.log)"
done
redis-cli --cluster create $(printf '127.0.0.1:%s ' "${PORTS[@]}") --cluster-replicas 0 --cluster-yes >"$DIR/create.log" 2>&1 ||
  fail "redis-cli --cluster create failed: $(tail -n 5 "$DIR/create.log")"
wait_for 30 healthy || fail "cluster created but not healthy after 30 s: $(info "${PORTS[0]}" | head -n 3 | tr '\n' ' ')"
echo "Redis Cluster: up on $nodes (created)"
