#!/usr/bin/env bash
# Local infrastructure for Warble.
#   scripts/infra.sh up      ensure Postgres and Redis run, start Kafka, set up the database
#   scripts/infra.sh down    stop Kafka (only the broker we started) and whatever of the
#                            cluster topology this checkout started; Postgres and
#                            Redis belong to the machine and are left running
#   scripts/infra.sh up-cluster  the clustered engines instead (docs/scaling.md): Postgres
#                            with a hot standby, three Kafka brokers, a Redis Cluster
#   scripts/infra.sh status  one line per component
#   scripts/infra.sh deps    check the system commands we need; on Debian, as root,
#                            apt-get install the packages of the missing ones
#   scripts/infra.sh deps-cluster   the same for the extra commands of the cluster topology
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
load_env

SCRIPTS="$WARBLE_ROOT/scripts"
PG_HOST="${DATABASE_HOST:-127.0.0.1}"
PG_PORT="${DATABASE_PORT:-5432}"

# REDIS_URL = redis://[user:pass@]host[:port][/db]; only host and port matter here.
REDIS_HOST=127.0.0.1
REDIS_PORT=6379
if [[ "${REDIS_URL:-}" =~ ^rediss?://([^@/]*@)?([^:/]+)(:([0-9]+))? ]]; then
  REDIS_HOST="${BASH_REMATCH[2]}"
  REDIS_PORT="${BASH_REMATCH[4]:-6379}"
fi

is_local() { [[ "$1" == 127.0.0.1 || "$1" == localhost || "$1" == ::1 ]]; }

pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; }
redis_up() { [[ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

wait_until() { # wait_until SECONDS CMD...: poll CMD until it succeeds
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

ensure_postgres() {
  if pg_up; then log "Postgres is up on $PG_HOST:$PG_PORT"; return 0; fi
  is_local "$PG_HOST" || die "Postgres at $PG_HOST:$PG_PORT is not reachable (remote host: not starting anything)"
  require_cmd pg_ctlcluster
  local version
  # The machine's cluster; if several versions are installed, the newest.
  version="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n1)"
  [[ -n "$version" ]] || die "no Postgres cluster under /etc/postgresql"
  log "starting Postgres $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start \
    || die "could not start Postgres (pg_ctlcluster $version main start failed)"
  wait_until 30 pg_up || die "Postgres did not accept connections on $PG_HOST:$PG_PORT within 30s"
  ok "Postgres is up"
}

ensure_redis() {
  if redis_up; then log "Redis is up on $REDIS_HOST:$REDIS_PORT"; return 0; fi
  is_local "$REDIS_HOST" || die "Redis at $REDIS_HOST:$REDIS_PORT is not reachable (remote host: not starting anything)"
  require_cmd redis-server
  log "starting Redis on port $REDIS_PORT"
  # No persistence: Redis is a cache and feed store, everything is rebuilt from Postgres.
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null \
    || die "could not start redis-server"
  wait_until 15 redis_up || die "Redis did not answer PING on $REDIS_HOST:$REDIS_PORT within 15s"
  ok "Redis is up"
}

cmd_up() {
  require_cmd pg_isready psql redis-cli curl
  ensure_postgres
  ensure_redis
  "$SCRIPTS/kafka.sh" start
  "$SCRIPTS/db.sh" setup
  "$SCRIPTS/keys.sh"
  ok "infrastructure ready"
}

cmd_up_cluster() {
  require_cmd pg_isready psql redis-cli curl
  ensure_postgres
  "$SCRIPTS/kafka.sh" cluster-start
  "$SCRIPTS/redis-cluster.sh" start
  "$SCRIPTS/db.sh" setup
  "$SCRIPTS/keys.sh"
  "$SCRIPTS/pg-standby.sh" start
  ok "cluster infrastructure ready"
}

cmd_down() {
  "$SCRIPTS/haproxy.sh" stop
  "$SCRIPTS/kafka.sh" stop
  "$SCRIPTS/kafka.sh" cluster-stop
  "$SCRIPTS/redis-cluster.sh" stop
  "$SCRIPTS/pg-standby.sh" destroy
  log "Postgres and Redis are left running (they belong to the machine)"
}

cmd_status() {
  local rc=0
  if pg_up; then echo "postgres: ready on $PG_HOST:$PG_PORT"; else echo "postgres: DOWN ($PG_HOST:$PG_PORT)"; rc=3; fi
  if redis_up; then echo "redis: ready on $REDIS_HOST:$REDIS_PORT"; else echo "redis: DOWN ($REDIS_HOST:$REDIS_PORT)"; rc=3; fi
  "$SCRIPTS/kafka.sh" status || rc=3
  return "$rc"
}

# command -> Debian package that provides it
declare -A DEB_PACKAGE=(
  [psql]=postgresql-client [pg_isready]=postgresql-client [pg_ctlcluster]=postgresql
  [redis-server]=redis-server [redis-cli]=redis-tools
  [java]=openjdk-17-jre-headless [mvn]=maven
  [curl]=curl [setsid]=util-linux [flock]=util-linux [timeout]=coreutils
  [npm]=npm [node]=nodejs [make]=make
)
# ...and those only the cluster topology (make up-cluster) needs.
declare -A CLUSTER_DEB_PACKAGE=(
  [haproxy]=haproxy [socat]=socat [openssl]=openssl [runuser]=util-linux [md5sum]=coreutils
  [pg_basebackup]=postgresql-client [column]=bsdextrautils
)

# install_commands MAP: every command of the map (command -> Debian package) is present or installed.
install_commands() {
  local -n wanted="$1"
  local c missing=() packages=()
  for c in "${!wanted[@]}"; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  if ((${#missing[@]} == 0)); then
    log "system commands present: ${!wanted[*]}"
    return 0
  fi
  for c in "${missing[@]}"; do packages+=("${wanted[$c]}"); done
  mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
  warn "missing commands: ${missing[*]} (Debian packages: ${packages[*]})"
  if [[ -f /etc/debian_version ]] && command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    log "installing ${packages[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}" \
      || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"; } \
      || die "apt-get could not install: ${packages[*]}"
    for c in "${missing[@]}"; do
      command -v "$c" >/dev/null 2>&1 || die "'$c' still missing after installing ${wanted[$c]}"
    done
    ok "system packages installed"
  else
    die "install these packages (or their equivalents) and re-run: ${packages[*]}"
  fi
}

case "${1:-}" in
  up) cmd_up ;;
  up-cluster) cmd_up_cluster ;;
  down) cmd_down ;;
  status) cmd_status ;;
  deps) install_commands DEB_PACKAGE ;;
  deps-cluster) install_commands CLUSTER_DEB_PACKAGE ;;
  *) echo "usage: $0 {up|up-cluster|down|status|deps|deps-cluster}" >&2; exit 2 ;;
esac
