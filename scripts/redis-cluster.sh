#!/usr/bin/env bash
# Redis Cluster for the cluster topology (`make up-cluster`): six redis-server
# processes of the machine's Redis, three masters with one replica each, made
# one cluster by `redis-cli --cluster create`. Redis holds only what can be
# rebuilt from Postgres, so nothing is persisted (no RDB, no AOF); each node's
# cluster state (nodes.conf) lives in .run/redis-cluster/<port>/.
#   scripts/redis-cluster.sh start          start the six nodes, create the cluster once, wait until it is ok
#   scripts/redis-cluster.sh stop           stop the nodes this checkout started
#   scripts/redis-cluster.sh status         cluster state and one line per node; exit 3 unless ok
#   scripts/redis-cluster.sh nodes          the node addresses, comma-separated (REDIS_CLUSTER_NODES)
#   scripts/redis-cluster.sh masters        one line per master: "<slots> <port> <node id>", most slots first
#   scripts/redis-cluster.sh kill PORT      SIGKILL one node (fault tests)
#   scripts/redis-cluster.sh start-node PORT  start one stopped node again (it rejoins by its nodes.conf)
#   scripts/redis-cluster.sh reshard SLOTS [FROM_PORT TO_PORT]
#                                           move SLOTS hash slots (with their keys) from one master to
#                                           another (default: the master with the most slots to the one
#                                           with the fewest), while clients keep reading and writing
#   scripts/redis-cluster.sh rebalance      spread the slots evenly over the masters again
# Env: REDIS_CLUSTER_PORT (first port, 7001; the nodes use it and the next five).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
_log_tag=redis-cluster
load_env

HOST=127.0.0.1
BASE_PORT="${REDIS_CLUSTER_PORT:-7001}"
NODE_COUNT=6
STATE_DIR="$WARBLE_RUN/redis-cluster"
READY_DEADLINE=30

ports() { local i; for ((i = 0; i < NODE_COUNT; i++)); do echo $((BASE_PORT + i)); done; }
node_dir() { printf '%s/%s\n' "$STATE_DIR" "$1"; }
pid_file_of() { printf '%s/redis.pid\n' "$(node_dir "$1")"; }
cli() { local port="$1"; shift; redis-cli -h "$HOST" -p "$port" "$@"; }
node_up() { [[ "$(cli "$1" ping 2>/dev/null)" == PONG ]]; }

# our_pid PORT: the pid of the node this checkout started on PORT, if it runs.
our_pid() {
  local pid
  pid="$(pid_from_file "$(pid_file_of "$1")")" || return 1
  pid_matches "$pid" "redis-server" || return 1
  printf '%s\n' "$pid"
}

start_node() {
  local port="$1" dir
  dir="$(node_dir "$port")"
  if node_up "$port"; then
    our_pid "$port" >/dev/null || die "port $port answers but is not a node of this checkout's cluster"
    return 0
  fi
  mkdir -p "$dir"
  # cluster-node-timeout: a master unreachable for 5 s is failed over to its replica.
  # cluster-require-full-coverage no: the slots of healthy masters keep serving while one fails over.
  redis-server --daemonize yes --bind "$HOST" --port "$port" --dir "$dir" \
    --pidfile "$(pid_file_of "$port")" --logfile "$dir/redis.log" \
    --save "" --appendonly no \
    --cluster-enabled yes --cluster-config-file nodes.conf \
    --cluster-node-timeout 5000 --cluster-require-full-coverage no >/dev/null \
    || die "redis-server on port $port did not start (see $dir/redis.log)"
}

wait_nodes() {
  local deadline=$((SECONDS + READY_DEADLINE)) port
  for port in $(ports); do
    until node_up "$port"; do
      ((SECONDS < deadline)) || die "Redis node $port did not answer PING within ${READY_DEADLINE}s"
      sleep 0.2
    done
  done
}

# cluster_ok: the cluster's own verdict, asked of the first node that answers (any one may be down).
cluster_ok() {
  local port
  for port in $(ports); do
    node_up "$port" || continue
    cli "$port" cluster info 2>/dev/null | tr -d '\r' | grep -qx 'cluster_state:ok'
    return
  done
  return 1
}

# The cluster is created once: nodes that know each other (cluster_known_nodes > 1) already form it.
create_cluster() {
  local known
  known="$(cli "$BASE_PORT" cluster info | tr -d '\r' | sed -n 's/^cluster_known_nodes://p')"
  if ((known > 1)); then return 0; fi
  local -a addresses=()
  local port
  for port in $(ports); do addresses+=("$HOST:$port"); done
  log "creating the cluster: 3 masters, 1 replica each"
  redis-cli --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes >"$STATE_DIR/create.log" 2>&1 \
    || { tail -n 20 "$STATE_DIR/create.log" >&2; die "redis-cli --cluster create failed"; }
}

cmd_start() {
  require_cmd redis-server redis-cli
  local port
  for port in $(ports); do start_node "$port"; done
  wait_nodes
  create_cluster
  local deadline=$((SECONDS + READY_DEADLINE))
  until cluster_ok; do
    ((SECONDS < deadline)) || die "the cluster did not reach cluster_state:ok within ${READY_DEADLINE}s"
    sleep 0.5
  done
  ok "Redis Cluster ready: $(cmd_nodes)"
}

cmd_stop() {
  local port pid stopped=0
  for port in $(ports); do
    if pid="$(our_pid "$port")"; then
      kill -TERM "$pid" 2>/dev/null || true
      stopped=1
    fi
  done
  for port in $(ports); do
    if pid="$(our_pid "$port")"; then
      local deadline=$((SECONDS + 10))
      while pid_alive "$pid"; do
        if ((SECONDS >= deadline)); then kill -KILL "$pid" 2>/dev/null || true; break; fi
        sleep 0.2
      done
    fi
  done
  # Nothing is kept: the next start creates a fresh cluster (Redis holds only caches).
  ((stopped == 0)) || rm -rf "$STATE_DIR"
  if ((stopped == 1)); then ok "Redis Cluster stopped"; else log "the Redis Cluster is not running"; fi
}

cmd_status() {
  local port role rc=0
  if cluster_ok; then echo "redis-cluster: ok"; else echo "redis-cluster: not ok"; rc=3; fi
  for port in $(ports); do
    if node_up "$port"; then
      role="$(cli "$port" role 2>/dev/null | head -n1)"
      echo "  node $port: $role"
    else
      echo "  node $port: down"
      rc=3
    fi
  done
  return "$rc"
}

cmd_nodes() {
  local port list=""
  for port in $(ports); do list+="${list:+,}$HOST:$port"; done
  printf '%s\n' "$list"
}

cmd_kill() {
  local port="${1:?port}" pid
  pid="$(our_pid "$port")" || die "no node of this checkout runs on port $port"
  kill -KILL "$pid"
  log "killed Redis node $port (pid $pid, SIGKILL)"
}

# masters: "<slots> <port> <node id>" per master, most slots first.
masters() {
  local port
  for port in $(ports); do
    node_up "$port" || continue
    cli "$port" cluster nodes | tr -d '\r' | awk '$3 ~ /master/ && $3 !~ /fail/ {
      n = 0
      for (i = 9; i <= NF; i++) { split($i, r, "-"); n += (r[2] == "" ? 1 : r[2] - r[1] + 1) }
      split($2, a, "[:@]"); print n, a[2], $1 }' | sort -rn
    return
  done
  die "no node of the cluster answers"
}

node_id_of() { masters | awk -v p="$1" '$2 == p { print $3 }'; }

cmd_reshard() {
  local slots="${1:?number of slots}" from="${2:-}" to="${3:-}" from_id to_id
  [[ "$slots" =~ ^[0-9]+$ ]] || die "SLOTS must be a number"
  if [[ -z "$from" ]]; then
    from="$(masters | head -n1 | cut -d' ' -f2)"
    to="$(masters | tail -n1 | cut -d' ' -f2)"
  fi
  from_id="$(node_id_of "$from")"
  to_id="$(node_id_of "$to")"
  [[ -n "$from_id" && -n "$to_id" ]] || die "ports $from and $to must both be masters"
  log "moving $slots slots from master $from to master $to"
  redis-cli --cluster reshard "$HOST:$from" --cluster-from "$from_id" --cluster-to "$to_id" \
    --cluster-slots "$slots" --cluster-yes >"$STATE_DIR/reshard.log" 2>&1 \
    || { tail -n 20 "$STATE_DIR/reshard.log" >&2; die "reshard failed"; }
  ok "moved $slots slots: $(masters | awk '{ printf "%s%s=%s", sep, $2, $1; sep=" " }')"
}

cmd_rebalance() {
  # Empty masters (one just added) take their share too.
  redis-cli --cluster rebalance "$HOST:$BASE_PORT" --cluster-use-empty-masters >"$STATE_DIR/rebalance.log" 2>&1 \
    || { tail -n 20 "$STATE_DIR/rebalance.log" >&2; die "rebalance failed"; }
  ok "rebalanced: $(masters | awk '{ printf "%s%s=%s", sep, $2, $1; sep=" " }')"
}

case "${1:-}" in
  start) cmd_start ;;
  reshard) shift; cmd_reshard "$@" ;;
  rebalance) cmd_rebalance ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  nodes) cmd_nodes ;;
  masters) masters ;;
  kill) cmd_kill "${2:-}" ;;
  start-node) start_node "${2:?port}" ;;
  *) echo "usage: $0 {start|stop|status|nodes|masters|kill PORT|start-node PORT|reshard SLOTS [FROM TO]|rebalance}" >&2; exit 2 ;;
esac
