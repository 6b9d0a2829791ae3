#!/usr/bin/env bash
# Runs the BUILT Warble apps (dist/) in the background on Node 24.
#   scripts/apps.sh start   [app...]  start (no-op if running), wait for /health/ready
#   scripts/apps.sh stop    [app...]  SIGTERM, wait up to 20 s, then SIGKILL
#   scripts/apps.sh restart [app...]
#   scripts/apps.sh kill    [app...]  SIGKILL at once (crash simulation for tests)
#   scripts/apps.sh status  [app...]  pid / port / readiness / profile; exit 3 if one is not ready
#   scripts/apps.sh profile APP       the profile APP was started with ("none" without WARBLE_PROFILE)
#   scripts/apps.sh ports INSTANCE... "<instance> <port> <metrics port>" per instance, running or not
# Apps: users posts graph search comments gateway (default: all; gateway starts last
# and stops first). Logs: .run/logs/<app>.log (appended). Pids: .run/pids/<app>.pid.
# Replicas: with APP_REPLICAS=N (the cluster profile sets 2) each app runs N processes;
# replica k is named <app>@k (<app> alone is replica 1 for its files) and listens on
# its app's ports + (k-1) x REPLICA_PORT_OFFSET (10). An app name selects all its
# replicas, <app>@k one of them (e.g. `scripts/apps.sh kill posts@2`). `make canary`
# starts replica APP_REPLICAS+1 as the canary (scripts/canary.sh); stop and kill
# find it by its pid file.
#
# The apps read generic variable names; this launcher maps them from .env:
#   PORT <- <APP>_PORT (Snowflake worker ids are leased by each process),
#   METRICS_PORT <- <APP>_METRICS_PORT (the internal Prometheus listener, 9100 + offset),
#   DATABASE_USER=warble_<app>, DATABASE_PASSWORD <- <APP>_DB_PASSWORD (not gateway),
#   TRUST_PROXY <- <APP>_TRUST_PROXY when set (users believes the gateway's X-Forwarded-For).
# Everything else in .env passes through, except the other services' DB passwords.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
load_env

ALL_APPS=(users posts graph search comments gateway)
declare -A DEFAULT_PORT=([gateway]=3000 [users]=3001 [posts]=3002 [graph]=3003 [search]=3004 [comments]=3005)
# GET /metrics is served only here, never on the public port (docs/operations.md, "Metrics").
declare -A DEFAULT_METRICS_PORT=([gateway]=9100 [users]=9101 [posts]=9102 [graph]=9103 [search]=9104 [comments]=9105)
# Snowflake worker ids: distinct per process so ids never collide.

NODE_BIN="$WARBLE_ROOT/node_modules/.bin/node"
PID_DIR="$WARBLE_RUN/pids"
LOG_DIR="$WARBLE_RUN/logs"
READY_DEADLINE="${APPS_READY_TIMEOUT:-120}"
STOP_GRACE="${APPS_STOP_TIMEOUT:-20}"
REPLICAS="${APP_REPLICAS:-1}"
REPLICA_OFFSET="${REPLICA_PORT_OFFSET:-10}"
[[ "$REPLICAS" =~ ^[1-9]$ ]] || die "APP_REPLICAS must be 1..9, not '$REPLICAS'"

# An instance is an app (replica 1) or <app>@k.
base_of() { printf '%s\n' "${1%@*}"; }
replica_of() { if [[ "$1" == *@* ]]; then printf '%s\n' "${1#*@}"; else echo 1; fi; }
# instances_of APP: its replicas 1..APP_REPLICAS, and for any command but start also
# every other replica that has a pid file (a cluster stopped by a plain `make down`).
instances_of() {
  local k
  echo "$1"
  for ((k = 2; k <= 9; k++)); do
    if ((k <= REPLICAS)) || [[ "$cmd" != start && "$cmd" != restart && -f "$PID_DIR/$1@$k.pid" ]]; then echo "$1@$k"; fi
  done
}

# port_of INSTANCE / metrics_port_of INSTANCE: the app's configured port, shifted per replica.
port_of() {
  local app v
  app="$(base_of "$1")"
  v="${app^^}_PORT"
  printf '%s\n' $((${!v:-${DEFAULT_PORT[$app]}} + ($(replica_of "$1") - 1) * REPLICA_OFFSET))
}
metrics_port_of() {
  local app v
  app="$(base_of "$1")"
  v="${app^^}_METRICS_PORT"
  printf '%s\n' $((${!v:-${DEFAULT_METRICS_PORT[$app]}} + ($(replica_of "$1") - 1) * REPLICA_OFFSET))
}
main_of() { printf 'dist/apps/%s/src/main.js\n' "$(base_of "$1")"; }
pid_file() { printf '%s/%s.pid\n' "$PID_DIR" "$1"; }
# The WARBLE_PROFILE an app was started with, so `make test` knows whether it can use a running system.
profile_file() { printf '%s/%s.profile\n' "$PID_DIR" "$1"; }
profile_of() { local p; p="$(cat "$(profile_file "$1")" 2>/dev/null)" || p=""; printf '%s\n' "${p:-none}"; }
log_file() { printf '%s/%s.log\n' "$LOG_DIR" "$1"; }
ready_url() { printf 'http://127.0.0.1:%s/health/ready\n' "$(port_of "$1")"; }

# running_pid APP: prints the pid if our process for APP is alive.
running_pid() {
  local pid
  pid="$(pid_from_file "$(pid_file "$1")")" || return 1
  pid_matches "$pid" "$(main_of "$1")" || return 1
  printf '%s\n' "$pid"
}

# select_apps ARGS...: instances in canonical order (gateway last): an app name
# stands for all its replicas, <app>@k for one.
select_apps() {
  local a w i
  for a in "${ALL_APPS[@]}"; do
    for i in $(instances_of "$a"); do
      if (($# == 0)); then echo "$i"; continue; fi
      # <app> selects every replica; <app>@k one, <app>@1 being the replica named <app>.
      for w in "$@"; do [[ "$w" == "$a" || "$w" == "$i" || ("$i" == "$a" && "$w" == "$a@1") ]] && { echo "$i"; break; }; done
    done
  done
}

check_node() {
  [[ -x "$NODE_BIN" ]] || die "$NODE_BIN not found: run 'make install' (the node@24 dev dependency provides it)"
  local major
  major="$("$NODE_BIN" -p 'process.versions.node.split(".")[0]')" || die "$NODE_BIN does not run"
  ((major >= 24)) || die "$NODE_BIN is Node $major; Node >= 24 is required"
}

# launch INSTANCE: start one app process in its own session; returns at once.
launch() {
  local app="$1" name port metrics_port main pidf logf svc
  name="$(base_of "$app")"
  port="$(port_of "$app")"
  metrics_port="$(metrics_port_of "$app")"
  main="$(main_of "$app")"
  pidf="$(pid_file "$app")"
  logf="$(log_file "$app")"
  [[ -f "$main" ]] || die "$main not found: run 'make build' first"
  if tcp_open 127.0.0.1 "$port"; then
    die "port $port for $app is already in use by a process this script did not start"
  fi
  if tcp_open 127.0.0.1 "$metrics_port"; then
    die "metrics port $metrics_port for $app is already in use by a process this script did not start"
  fi

  # Per-app environment on top of the inherited one (.env already exported).
  local -a envargs=(-u DATABASE_USER -u DATABASE_PASSWORD)
  for svc in "${ALL_APPS[@]}"; do
    # Least privilege: an app sees only its own database password.
    [[ "$svc" == gateway ]] || envargs+=(-u "${svc^^}_DB_PASSWORD")
  done
  # Only users signs access tokens; every app verifies them with the public key.
  [[ "$name" == users ]] || envargs+=(-u JWT_PRIVATE_KEY -u JWT_PRIVATE_KEY_FILE)
  # (env stops reading options at the first NAME=VALUE: all -u come before.)
  # No WORKER_ID: each process leases a free Snowflake worker id from its database.
  envargs+=(-u WORKER_ID "PORT=$port" "METRICS_PORT=$metrics_port")
  # Whose X-Forwarded-For this app believes, when it differs from the shared TRUST_PROXY.
  local tpvar="${name^^}_TRUST_PROXY"
  [[ -z "${!tpvar:-}" ]] || envargs+=("TRUST_PROXY=${!tpvar}")
  if [[ "$name" != gateway ]]; then
    local pwvar="${name^^}_DB_PASSWORD"
    [[ -n "${!pwvar:-}" ]] || die "$pwvar is not set (see .env.example)"
    envargs+=("DATABASE_USER=warble_$name" "DATABASE_PASSWORD=${!pwvar}")
  fi

  printf '\n===== %s starting %s on port %s (metrics %s) =====\n' "$(date -Is)" "$app" "$port" "$metrics_port" >>"$logf"
  rm -f "$pidf"
  printf '%s\n' "${WARBLE_PROFILE:-}" >"$(profile_file "$app")"
  # setsid: own session and process group (stop signals the whole group; Ctrl-C
  # in make does not reach it). The child records its own pid before exec.
  # shellcheck disable=SC2016 # $$ and $@ expand in the child shell
  setsid bash -c 'echo $$ >"$1"; shift; exec nohup "$@"' _ "$pidf" \
    env "${envargs[@]}" "$NODE_BIN" "$main" >>"$logf" 2>&1 </dev/null &
  local _
  for _ in {1..50}; do [[ -s "$pidf" ]] && break; sleep 0.1; done
  [[ -s "$pidf" ]] || die "$app did not write its pid file"
  log "started $app (pid $(pid_from_file "$pidf"), port $port, metrics port $metrics_port, log $logf)"
}

show_log_tail() {
  local app="$1" why="$2" logf
  logf="$(log_file "$app")"
  err "$app $why; last 40 lines of $logf:"
  tail -n 40 "$logf" >&2 || true
}
fail_app() { show_log_tail "$1" "$2"; exit 1; }

# wait_ready APP...: poll all in parallel until each answers 200 (shared deadline).
wait_ready() {
  local deadline=$((SECONDS + READY_DEADLINE)) app pid
  local -a pending=("$@") still
  while ((${#pending[@]} > 0)); do
    still=()
    for app in "${pending[@]}"; do
      if http_ready "$(ready_url "$app")"; then
        ok "$app ready at $(ready_url "$app")"
        continue
      fi
      pid="$(pid_from_file "$(pid_file "$app")")" || pid=""
      if [[ -z "$pid" ]] || ! pid_alive "$pid"; then fail_app "$app" "exited during start-up"; fi
      still+=("$app")
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]} == 0)) && break
    if ((SECONDS >= deadline)); then
      for app in "${pending[@]}"; do
        show_log_tail "$app" "is not ready: $(ready_url "$app") did not answer 200 within ${READY_DEADLINE}s (last status $(http_status "$(ready_url "$app")"))"
      done
      exit 1
    fi
    sleep 0.5
  done
}

# start_group APP...: launch those not running, then wait for all of them.
start_group() {
  local app pid
  local -a waiting=()
  for app in "$@"; do
    if pid="$(running_pid "$app")"; then
      log "$app already running (pid $pid)"
    elif http_ready "$(ready_url "$app")"; then
      # Started by hand or by another tool: use it, but we cannot stop it.
      warn "$app already answers on port $(port_of "$app") but was not started by this script; leaving it"
    else
      launch "$app"
    fi
    waiting+=("$app")
  done
  wait_ready "${waiting[@]}"
}

cmd_start() {
  check_node
  mkdir -p "$PID_DIR" "$LOG_DIR"
  local app
  local -a services=() gateway=()
  for app in "$@"; do
    if [[ "$(base_of "$app")" == gateway ]]; then gateway+=("$app"); else services+=("$app"); fi
  done
  # Services first (in parallel), the gateways once they are ready.
  ((${#services[@]} == 0)) || start_group "${services[@]}"
  ((${#gateway[@]} == 0)) || start_group "${gateway[@]}"
}

cmd_stop() {
  local app pid deadline i
  local -a pids=() names=()
  # Reverse order: the gateway stops taking traffic first.
  for ((i = $# ; i >= 1; i--)); do
    app="${!i}"
    if pid="$(running_pid "$app")"; then
      log "stopping $app (pid $pid)"
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
      names+=("$app")
    else
      rm -f "$(pid_file "$app")"
    fi
  done
  deadline=$((SECONDS + STOP_GRACE))
  for i in "${!pids[@]}"; do
    while pid_alive "${pids[$i]}"; do
      if ((SECONDS >= deadline)); then
        warn "${names[$i]} (pid ${pids[$i]}) did not stop within ${STOP_GRACE}s, sending SIGKILL"
        kill -KILL -- "-${pids[$i]}" 2>/dev/null || kill -KILL "${pids[$i]}" 2>/dev/null || true
        sleep 0.3
        break
      fi
      sleep 0.2
    done
    rm -f "$(pid_file "${names[$i]}")" "$(profile_file "${names[$i]}")"
  done
  if ((${#pids[@]} == 0)); then log "nothing to stop"; else ok "stopped: ${names[*]}"; fi
}

cmd_kill() {
  local app pid _
  for app in "$@"; do
    if pid="$(running_pid "$app")"; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      for _ in {1..50}; do pid_alive "$pid" || break; sleep 0.1; done
      rm -f "$(pid_file "$app")"
      log "killed $app (pid $pid, SIGKILL)"
    else
      log "$app is not running"
    fi
  done
}

cmd_status() {
  local app pid code rc=0
  printf '%-11s %-8s %-5s %-8s %s\n' APP PID PORT PROFILE READY
  for app in "$@"; do
    pid="$(running_pid "$app")" || pid=-
    code="$(http_status "$(ready_url "$app")")"
    if [[ "$code" == 200 ]]; then
      printf '%-11s %-8s %-5s %-8s %s\n' "$app" "$pid" "$(port_of "$app")" "$(profile_of "$app")" yes
    else
      printf '%-11s %-8s %-5s %-8s %s\n' "$app" "$pid" "$(port_of "$app")" "$(profile_of "$app")" "no (http $code)"
      rc=3
    fi
  done
  return "$rc"
}

usage() { echo "usage: $0 {start|stop|status|restart|kill|profile|ports} [app|app@k...]  (apps: ${ALL_APPS[*]})" >&2; exit 2; }
cmd="${1:-}"
case "$cmd" in start | stop | restart | kill | status | profile | ports) shift ;; *) usage ;; esac
for a in "$@"; do
  [[ -n "${DEFAULT_PORT[$(base_of "$a")]:-}" ]] || die "unknown app '$a' (apps: ${ALL_APPS[*]}, or <app>@k for one replica)"
  [[ "$(replica_of "$a")" =~ ^[1-9]$ ]] || die "'$a': replicas are numbered 1..9"
done
if [[ "$cmd" == ports ]]; then
  for a in "$@"; do printf '%s %s %s\n' "$a" "$(port_of "$a")" "$(metrics_port_of "$a")"; done
  exit 0
fi
mapfile -t APPS < <(select_apps "$@")
((${#APPS[@]} > 0)) || die "no app selected"
case "$cmd" in
  start) cmd_start "${APPS[@]}" ;;
  stop) cmd_stop "${APPS[@]}" ;;
  restart) cmd_stop "${APPS[@]}"; cmd_start "${APPS[@]}" ;;
  kill) cmd_kill "${APPS[@]}" ;;
  status) cmd_status "${APPS[@]}" ;;
  # The profile of an app's first replica (all of an app's replicas start together).
  profile) profile_of "${APPS[0]}" ;;
  *) usage ;;
esac
