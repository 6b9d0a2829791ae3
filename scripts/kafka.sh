#!/usr/bin/env bash
# Single-node Apache Kafka 3.9.1 (KRaft, no ZooKeeper) from Maven Central jars.
#   scripts/kafka.sh install   download the jars into the cache (once)
#   scripts/kafka.sh start     render config, format storage once, start, wait for the port
#   scripts/kafka.sh stop      stop the broker this script started (only that one)
#   scripts/kafka.sh status    print state; exit 0 if the port accepts, 3 otherwise
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), WARBLE_CACHE.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
load_env   # KAFKA_PORT may be set in .env

KAFKA_VERSION=3.9.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HOST=127.0.0.1

LIBS_DIR="$WARBLE_CACHE/kafka/libs"
# Written only after a complete copy: a half-finished download is never trusted.
MARKER="$LIBS_DIR/.warble-complete"
POM="$WARBLE_ROOT/scripts/kafka/pom.xml"
TEMPLATE="$WARBLE_ROOT/scripts/kafka/server.properties.template"
LOG4J="$WARBLE_ROOT/scripts/kafka/log4j.properties"

STATE_DIR="$WARBLE_RUN/kafka"
DATA_DIR="$STATE_DIR/data"
LOG_DIR="$STATE_DIR/logs"
PROPS="$STATE_DIR/server.properties"
CLUSTER_ID_FILE="$STATE_DIR/cluster-id"
PID_FILE="$STATE_DIR/kafka.pid"
START_DEADLINE=90
STOP_GRACE=30

# Jars whose presence proves the broker and its logging backend were copied.
REQUIRED_JARS=("kafka_2.13-$KAFKA_VERSION.jar" "kafka-clients-$KAFKA_VERSION.jar" "slf4j-reload4j-1.7.36.jar")

jar_count() { find "$LIBS_DIR" -maxdepth 1 -name '*.jar' 2>/dev/null | wc -l; }

libs_complete() {
  local jar recorded recorded_version
  [[ -f "$MARKER" ]] || return 1
  # Marker format: "<kafka version> <jar count>".
  read -r recorded_version recorded <"$MARKER" || return 1
  [[ "$recorded_version" == "$KAFKA_VERSION" ]] || return 1
  for jar in "${REQUIRED_JARS[@]}"; do [[ -f "$LIBS_DIR/$jar" ]] || return 1; done
  (($(jar_count) >= recorded))
}

cmd_install() {
  if libs_complete; then
    log "Kafka $KAFKA_VERSION jars already in $LIBS_DIR ($(jar_count) jars)"
    return 0
  fi
  require_cmd mvn java flock
  mkdir -p "$LIBS_DIR"
  # A lock, because two checkouts (or `make -j`) may install at the same time.
  exec 9>"$WARBLE_CACHE/kafka/.install.lock"
  flock 9
  if libs_complete; then return 0; fi   # someone else finished while we waited
  log "downloading Kafka $KAFKA_VERSION jars from Maven Central into $LIBS_DIR"
  # Jars already present (an earlier or concurrent copy) are reused by Maven.
  mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DoutputDirectory="$LIBS_DIR"
  local jar
  for jar in "${REQUIRED_JARS[@]}"; do
    [[ -f "$LIBS_DIR/$jar" ]] || die "download finished but $jar is missing from $LIBS_DIR"
  done
  printf '%s %s\n' "$KAFKA_VERSION" "$(jar_count)" >"$MARKER"
  ok "Kafka jars ready ($(jar_count) jars)"
  flock -u 9
}

java_cp() { printf '%s/*' "$LIBS_DIR"; }

render_config() {
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  # '|' as sed separator: paths contain '/'. Paths with '|' or '&' are not supported.
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
      -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
      -e "s|@DATA_DIR@|$DATA_DIR|g" \
      "$TEMPLATE" >"$PROPS.tmp"
  mv "$PROPS.tmp" "$PROPS"
}

# Format the log dir once. The cluster id is kept so a re-render never
# re-formats; an existing meta.properties is the source of truth.
format_storage() {
  local cid
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    cid="$(sed -n 's/^cluster\.id=//p' "$DATA_DIR/meta.properties")"
    [[ -n "$cid" ]] && printf '%s\n' "$cid" >"$CLUSTER_ID_FILE"
    return 0
  fi
  if [[ -s "$CLUSTER_ID_FILE" ]]; then
    cid="$(<"$CLUSTER_ID_FILE")"
  else
    cid="$(java -cp "$(java_cp)" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)"
    [[ -n "$cid" ]] || die "StorageTool random-uuid printed nothing"
    printf '%s\n' "$cid" >"$CLUSTER_ID_FILE"
  fi
  log "formatting Kafka storage in $DATA_DIR (cluster id $cid)"
  java -Dlog4j.configuration="file:$LOG4J" -Dkafka.logs.dir="$LOG_DIR" \
    -cp "$(java_cp)" kafka.tools.StorageTool format -t "$cid" -c "$PROPS" -g >>"$LOG_DIR/format.out" 2>&1 \
    || { tail -n 20 "$LOG_DIR/format.out" >&2; die "Kafka storage format failed"; }
}

our_pid() {
  local pid
  pid="$(pid_from_file "$PID_FILE")" || return 1
  pid_matches "$pid" kafka.Kafka || return 1
  printf '%s\n' "$pid"
}

print_log_tail() {
  local f
  for f in "$LOG_DIR/server.out" "$LOG_DIR/server.log"; do
    [[ -s "$f" ]] || continue
    err "last lines of $f:"
    tail -n 40 "$f" >&2
  done
}

cmd_start() {
  if tcp_open "$KAFKA_HOST" "$KAFKA_PORT"; then
    log "Kafka already accepts connections on $KAFKA_HOST:$KAFKA_PORT"
    return 0
  fi
  if our_pid >/dev/null; then
    # Our broker is starting (or hung): wait for it instead of starting a second one.
    log "Kafka (pid $(our_pid)) is running but not ready yet, waiting"
  else
    require_cmd java setsid
    libs_complete || cmd_install
    render_config
    format_storage
    log "starting Kafka $KAFKA_VERSION on $KAFKA_HOST:$KAFKA_PORT"
    rm -f "$PID_FILE"
    # setsid: own session, so Ctrl-C in the calling terminal or make does not
    # kill the broker, and stop can signal its whole process group. The child
    # writes its own pid before exec, so the pid file is exact.
    # shellcheck disable=SC2016 # $$ and $@ expand in the child shell
    setsid bash -c 'echo $$ >"$1"; shift; exec nohup "$@"' _ "$PID_FILE" \
      java -Xms512m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
      -Dlog4j.configuration="file:$LOG4J" -Dkafka.logs.dir="$LOG_DIR" \
      -cp "$(java_cp)" kafka.Kafka "$PROPS" \
      >>"$LOG_DIR/server.out" 2>&1 </dev/null &
    local _
    for _ in {1..50}; do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
  fi
  local pid rc=0
  pid="$(pid_from_file "$PID_FILE")" || die "Kafka did not write its pid file"
  wait_tcp "$KAFKA_HOST" "$KAFKA_PORT" "$START_DEADLINE" "$pid" || rc=$?
  case "$rc" in
    0) ok "Kafka ready on $KAFKA_HOST:$KAFKA_PORT (pid $pid)" ;;
    2) print_log_tail; die "Kafka exited during start-up" ;;
    *) print_log_tail; die "Kafka did not accept connections on $KAFKA_HOST:$KAFKA_PORT within ${START_DEADLINE}s (pid $pid still running; 'scripts/kafka.sh stop' to stop it)" ;;
  esac
}

cmd_stop() {
  local pid
  if ! pid="$(our_pid)"; then
    rm -f "$PID_FILE"
    if tcp_open "$KAFKA_HOST" "$KAFKA_PORT"; then
      warn "port $KAFKA_PORT is open but not by a broker started from this checkout; leaving it alone"
    else
      log "Kafka is not running"
    fi
    return 0
  fi
  log "stopping Kafka (pid $pid)"
  stop_pid "$pid" "$STOP_GRACE" Kafka
  rm -f "$PID_FILE"
  wait_tcp_closed "$KAFKA_HOST" "$KAFKA_PORT" 10 || die "port $KAFKA_PORT still open after stopping Kafka"
  ok "Kafka stopped"
}

cmd_status() {
  local pid="" owner="not started by this checkout"
  pid="$(our_pid)" && owner="pid $pid, started by scripts/kafka.sh"
  if tcp_open "$KAFKA_HOST" "$KAFKA_PORT"; then
    echo "kafka: ready on $KAFKA_HOST:$KAFKA_PORT ($owner)"
  elif [[ -n "$pid" ]]; then
    echo "kafka: starting or hung ($owner), port $KAFKA_PORT closed"
    return 3
  else
    echo "kafka: stopped"
    return 3
  fi
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 {install|start|stop|status}" >&2; exit 2 ;;
esac
