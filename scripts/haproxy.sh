#!/usr/bin/env bash
# HAProxy (Debian's haproxy package) as the TLS-terminating L7 load balancer of
# the cluster topology: https://127.0.0.1:8443 in front of the gateway replicas,
# HTTP/2 and HTTP/1.1 by ALPN, health checks on /health/ready.
#   scripts/haproxy.sh start [PORT...]   render the config for the gateways on PORTs
#                                        (default: GATEWAY_PORT and GATEWAY_PORT+10), start, wait
#   scripts/haproxy.sh stop              stop the HAProxy this checkout started
#   scripts/haproxy.sh status            exit 3 unless it accepts TLS connections
#   scripts/haproxy.sh stat              the runtime API's view of the gateways (state, checks)
#   scripts/haproxy.sh drain|ready SERVER   take gw1/gw2 out of rotation gently, or back
#   scripts/haproxy.sh canary on PERCENT    send PERCENT of the requests to the canary gateway
#                                        (replica APP_REPLICAS+1, e.g. gateway@3 on GATEWAY_PORT+20)
#   scripts/haproxy.sh canary off           none, and the canary server back in maintenance
#   scripts/haproxy.sh canary status        "share <percent> server <UP|DOWN|MAINT|...>"
# The development certificate (.run/tls/dev-cert.pem, for localhost and 127.0.0.1)
# is made on first start; curl it with --cacert .run/tls/dev-cert.pem.
# Env: HAPROXY_TLS_PORT (8443), REPLICA_PORT_OFFSET (10).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
_log_tag=haproxy
load_env

HOST=127.0.0.1
TLS_PORT="${HAPROXY_TLS_PORT:-8443}"
STATE_DIR="$WARBLE_RUN/haproxy"
CONFIG="$STATE_DIR/haproxy.cfg"
PID_FILE="$STATE_DIR/haproxy.pid"
LOG_FILE="$STATE_DIR/haproxy.log"
TEMPLATE="$WARBLE_ROOT/scripts/haproxy/haproxy.cfg.template"
TLS_DIR="$WARBLE_RUN/tls"
CERT="$TLS_DIR/dev-cert.pem"
BUNDLE="$TLS_DIR/haproxy.pem"
CANARY_MAP="$STATE_DIR/canary.map"

# A self-signed development certificate; HAProxy wants certificate and key in one file.
make_certificate() {
  [[ -s "$BUNDLE" && -s "$CERT" ]] && return 0
  require_cmd openssl
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  (
    umask 077
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 \
      -subj "/CN=warble.localhost" -addext "subjectAltName=DNS:localhost,DNS:warble.localhost,IP:127.0.0.1" \
      -keyout "$TLS_DIR/dev-key.pem" -out "$CERT.tmp" 2>/dev/null
    cat "$CERT.tmp" "$TLS_DIR/dev-key.pem" >"$BUNDLE"
  )
  mv "$CERT.tmp" "$CERT"
  chmod 644 "$CERT"
  ok "made a development TLS certificate: $CERT"
}

render_config() {
  local -a ports=("$@") servers=()
  local i
  if ((${#ports[@]} == 0)); then
    local first="${GATEWAY_PORT:-3000}"
    ports=("$first" $((first + ${REPLICA_PORT_OFFSET:-10})))
  fi
  for i in "${!ports[@]}"; do
    servers+=("    server gw$((i + 1)) $HOST:${ports[$i]} check")
  done
  mkdir -p "$STATE_DIR"
  local list
  list="$(printf '%s\n' "${servers[@]}")"
  # The canary gateway is the replica after the last stable one (as `make canary` starts it).
  local canary_port=$((${GATEWAY_PORT:-3000} + ${APP_REPLICAS:-2} * ${REPLICA_PORT_OFFSET:-10}))
  echo "gateway 0" >"$CANARY_MAP"
  awk -v servers="$list" '{ if ($0 == "@GATEWAY_SERVERS@") print servers; else print }' "$TEMPLATE" \
    | sed -e "s|@STATE_DIR@|$STATE_DIR|g" -e "s|@BIND_HOST@|$HOST|g" -e "s|@TLS_PORT@|$TLS_PORT|g" -e "s|@CERT@|$BUNDLE|g" \
      -e "s|@CANARY_PORT@|$canary_port|g" >"$CONFIG.tmp"
  haproxy -c -q -f "$CONFIG.tmp" || die "the rendered HAProxy configuration does not validate ($CONFIG.tmp)"
  mv "$CONFIG.tmp" "$CONFIG"
}

our_pid() {
  local pid
  pid="$(pid_from_file "$PID_FILE")" || return 1
  pid_matches "$pid" haproxy || return 1
  printf '%s\n' "$pid"
}

cmd_start() {
  require_cmd haproxy setsid
  if our_pid >/dev/null; then log "HAProxy already runs (pid $(our_pid))"; return 0; fi
  tcp_open "$HOST" "$TLS_PORT" && die "port $TLS_PORT is in use by a process this script did not start"
  make_certificate
  render_config "$@"
  rm -f "$PID_FILE"
  # -W master-worker, -db in the foreground: setsid keeps it out of the caller's session and
  # its log (stderr) goes to the log file.
  # shellcheck disable=SC2016 # $$ and $@ expand in the child shell
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
    haproxy -W -db -f "$CONFIG" >>"$LOG_FILE" 2>&1 </dev/null &
  local _ pid
  for _ in {1..50}; do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
  pid="$(pid_from_file "$PID_FILE")" || die "HAProxy did not write its pid file"
  wait_tcp "$HOST" "$TLS_PORT" 15 "$pid" || { tail -n 20 "$LOG_FILE" >&2; die "HAProxy did not listen on $HOST:$TLS_PORT"; }
  ok "HAProxy ready: https://$HOST:$TLS_PORT (certificate $CERT)"
}

cmd_stop() {
  local pid
  if ! pid="$(our_pid)"; then rm -f "$PID_FILE"; log "HAProxy is not running"; return 0; fi
  # SIGUSR1: soft stop; connections in flight finish, new ones are refused.
  kill -USR1 "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 10))
  while pid_alive "$pid"; do
    if ((SECONDS >= deadline)); then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; break; fi
    sleep 0.2
  done
  rm -f "$PID_FILE"
  ok "HAProxy stopped"
}

runtime_api() {
  require_cmd socat
  printf '%s\n' "$1" | socat stdio "UNIX-CONNECT:$STATE_DIR/admin.sock"
}

cmd_status() {
  if our_pid >/dev/null && tcp_open "$HOST" "$TLS_PORT"; then
    echo "haproxy: ready on https://$HOST:$TLS_PORT (pid $(our_pid))"
  else
    echo "haproxy: stopped"
    return 3
  fi
}

# canary on PERCENT | off | status: the canary gateway's share, changed at runtime (no reload).
cmd_canary() {
  case "${1:-}" in
    on)
      local percent="${2:-}"
      [[ "$percent" =~ ^([0-9]|[1-9][0-9]|100)$ ]] || die "canary on: PERCENT must be 0..100, not '$percent'"
      runtime_api "set server canary/canary state ready" >/dev/null
      runtime_api "set map $CANARY_MAP gateway $percent" >/dev/null
      # The file too, so that it tells the truth (and a restarted HAProxy starts from it).
      echo "gateway $percent" >"$CANARY_MAP"
      ;;
    off)
      runtime_api "set map $CANARY_MAP gateway 0" >/dev/null
      echo "gateway 0" >"$CANARY_MAP"
      runtime_api "set server canary/canary state maint" >/dev/null
      ;;
    status)
      local share server
      share="$(runtime_api "show map $CANARY_MAP" | awk '$2 == "gateway" { print $3 }')"
      # show stat: proxy, server, ..., status (column 18).
      server="$(runtime_api "show stat" | awk -F, '$1 == "canary" && $2 == "canary" { print $18 }')"
      echo "share ${share:-0} server ${server:-unknown}"
      ;;
    *) die "usage: $0 canary {on PERCENT|off|status}" ;;
  esac
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  stat) runtime_api "show stat" | cut -d, -f1,2,18,19,37 | column -s, -t ;;
  drain) runtime_api "set server gateways/${2:?server, e.g. gw1} state drain" ;;
  ready) runtime_api "set server gateways/${2:?server, e.g. gw1} state ready" ;;
  canary) shift; cmd_canary "$@" ;;
  *) echo "usage: $0 {start [PORT...]|stop|status|stat|drain SERVER|ready SERVER|canary on PERCENT|off|status}" >&2; exit 2 ;;
esac
