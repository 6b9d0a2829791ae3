#!/usr/bin/env bash
# Apache Kafka 3.9.1 (KRaft, no ZooKeeper) from Maven Central jars: one combined
# broker + controller for `make up`, or three of them as one cluster (three
# controllers, replication factor 3) for `make up-cluster`.
#   scripts/kafka.sh install          download the jars into the cache (once)
#   scripts/kafka.sh start|stop|status              the single node (KAFKA_PORT, 9092)
#   scripts/kafka.sh cluster-start|cluster-stop|cluster-status
#                                     the three nodes (brokers KAFKA_CLUSTER_PORT 19092, +2, +4;
#                                     each controller on its broker port + 1)
#   scripts/kafka.sh node-start|node-stop|node-kill N
#                                     one node (1..3) of the cluster, for fault tests; node 4 is a
#                                     spare broker (no controller, port 19098) to move partitions to
#   scripts/kafka.sh reassign FROM TO [TOPIC...]
#                                     move every partition replica on broker FROM to broker TO
#                                     (kafka-reassign-partitions) and wait until the move is done
# Only brokers started from this checkout are ever stopped.
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_CLUSTER_PORT (19092), WARBLE_CACHE.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
load_env   # KAFKA_PORT may be set in .env

KAFKA_VERSION=3.9.1
KAFKA_HOST=127.0.0.1
CLUSTER_SIZE=3
CLUSTER_BASE_PORT="${KAFKA_CLUSTER_PORT:-19092}"

LIBS_DIR="$WARBLE_CACHE/kafka/libs"
# Written only after a complete copy: a half-finished download is never trusted.
MARKER="$LIBS_DIR/.warble-complete"
POM="$WARBLE_ROOT/scripts/kafka/pom.xml"
TEMPLATE="$WARBLE_ROOT/scripts/kafka/server.properties.template"
LOG4J="$WARBLE_ROOT/scripts/kafka/log4j.properties"
START_DEADLINE=90
STOP_GRACE=30

# select_node single|N: the settings of one node, as globals the commands below use.
select_node() {
  PROCESS_ROLES=broker,controller
  LISTENERS=""
  if [[ "$1" == single ]]; then
    NODE_NAME=Kafka
    NODE_ID=1
    BROKER_PORT="${KAFKA_PORT:-9092}"
    CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
    VOTERS="1@$KAFKA_HOST:$CONTROLLER_PORT"
    STATE_DIR="$WARBLE_RUN/kafka"
    CLUSTER_ID_FILE="$STATE_DIR/cluster-id"
    REPLICATION_FACTOR=1
    MIN_ISR=1
    HEAP=512m
  else
    [[ "$1" =~ ^[1-4]$ ]] || die "node must be 1..$((CLUSTER_SIZE + 1)), not '$1'"
    NODE_NAME="Kafka node $1"
    NODE_ID="$1"
    BROKER_PORT=$((CLUSTER_BASE_PORT + 2 * ($1 - 1)))
    CONTROLLER_PORT=$((BROKER_PORT + 1))
    if (($1 > CLUSTER_SIZE)); then
      # Node 4 is a spare broker without a controller: the target of partition
      # reassignments (scripts/kafka-reassign.sh), as a broker added to a cluster is.
      NODE_NAME="Kafka node $1 (broker only)"
      PROCESS_ROLES=broker
      LISTENERS="PLAINTEXT://$KAFKA_HOST:$BROKER_PORT"
    fi
    local n
    VOTERS=""
    for ((n = 1; n <= CLUSTER_SIZE; n++)); do
      VOTERS+="${VOTERS:+,}$n@$KAFKA_HOST:$((CLUSTER_BASE_PORT + 2 * (n - 1) + 1))"
    done
    STATE_DIR="$WARBLE_RUN/kafka-cluster/node-$1"
    # One cluster id for the three nodes, kept beside them.
    CLUSTER_ID_FILE="$WARBLE_RUN/kafka-cluster/cluster-id"
    REPLICATION_FACTOR=3
    MIN_ISR=2
    # Three brokers share 2 cores and the apps: a smaller heap each.
    HEAP=384m
  fi
  LISTENERS="${LISTENERS:-PLAINTEXT://$KAFKA_HOST:$BROKER_PORT,CONTROLLER://$KAFKA_HOST:$CONTROLLER_PORT}"
  DATA_DIR="$STATE_DIR/data"
  LOG_DIR="$STATE_DIR/logs"
  PROPS="$STATE_DIR/server.properties"
  PID_FILE="$STATE_DIR/kafka.pid"
}

# Jars whose presence proves the broker and its logging backend were copied.
REQUIRED_JARS=("kafka_2.13-$KAFKA_VERSION.jar" "kafka-clients-$KAFKA_VERSION.jar" "kafka-tools-$KAFKA_VERSION.jar" "slf4j-reload4j-1.7.36.jar")

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
  sed -e "s|@NODE_ID@|$NODE_ID|g" \
      -e "s|@PROCESS_ROLES@|$PROCESS_ROLES|g" \
      -e "s|@LISTENERS@|$LISTENERS|g" \
      -e "s|@VOTERS@|$VOTERS|g" \
      -e "s|@KAFKA_PORT@|$BROKER_PORT|g" \
      -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
      -e "s|@REPLICATION_FACTOR@|$REPLICATION_FACTOR|g" \
      -e "s|@MIN_ISR@|$MIN_ISR|g" \
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
    mkdir -p "$(dirname "$CLUSTER_ID_FILE")"
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

# launch_node: start the selected node unless it runs; returns at once.
launch_node() {
  if tcp_open "$KAFKA_HOST" "$BROKER_PORT"; then
    log "$NODE_NAME already accepts connections on $KAFKA_HOST:$BROKER_PORT"
    return 0
  fi
  if our_pid >/dev/null; then
    # Our broker is starting (or hung): wait for it instead of starting a second one.
    log "$NODE_NAME (pid $(our_pid)) is running but not ready yet, waiting"
    return 0
  fi
  require_cmd java setsid
  libs_complete || cmd_install
  render_config
  format_storage
  log "starting $NODE_NAME ($KAFKA_VERSION) on $KAFKA_HOST:$BROKER_PORT"
  rm -f "$PID_FILE"
  # setsid: own session, so Ctrl-C in the calling terminal or make does not
  # kill the broker, and stop can signal its whole process group. The child
  # writes its own pid before exec, so the pid file is exact.
  # shellcheck disable=SC2016 # $$ and $@ expand in the child shell
  setsid bash -c 'echo $$ >"$1"; shift; exec nohup "$@"' _ "$PID_FILE" \
    java "-Xms$HEAP" "-Xmx$HEAP" -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$LOG4J" -Dkafka.logs.dir="$LOG_DIR" \
    -cp "$(java_cp)" kafka.Kafka "$PROPS" \
    >>"$LOG_DIR/server.out" 2>&1 </dev/null &
  local _
  for _ in {1..50}; do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
}

# wait_node: until the selected node's broker port accepts (it opens only once the broker is unfenced).
wait_node() {
  if tcp_open "$KAFKA_HOST" "$BROKER_PORT"; then return 0; fi
  local pid rc=0
  pid="$(pid_from_file "$PID_FILE")" || die "$NODE_NAME did not write its pid file"
  wait_tcp "$KAFKA_HOST" "$BROKER_PORT" "$START_DEADLINE" "$pid" || rc=$?
  case "$rc" in
    0) ok "$NODE_NAME ready on $KAFKA_HOST:$BROKER_PORT (pid $pid)" ;;
    2) print_log_tail; die "$NODE_NAME exited during start-up" ;;
    *) print_log_tail; die "$NODE_NAME did not accept connections on $KAFKA_HOST:$BROKER_PORT within ${START_DEADLINE}s (pid $pid still running; 'scripts/kafka.sh stop' to stop it)" ;;
  esac
}

cmd_start() {
  select_node single
  launch_node
  wait_node
}

# stop_node [KILL]: stop the selected node (SIGKILL at once with KILL, as a crash).
stop_node() {
  local pid
  if ! pid="$(our_pid)"; then
    rm -f "$PID_FILE"
    if tcp_open "$KAFKA_HOST" "$BROKER_PORT"; then
      warn "port $BROKER_PORT is open but not by a broker started from this checkout; leaving it alone"
    else
      log "$NODE_NAME is not running"
    fi
    return 0
  fi
  if [[ "${1:-}" == KILL ]]; then
    log "killing $NODE_NAME (pid $pid, SIGKILL)"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    local _
    for _ in {1..50}; do pid_alive "$pid" || break; sleep 0.1; done
  else
    log "stopping $NODE_NAME (pid $pid)"
    stop_pid "$pid" "$STOP_GRACE" "$NODE_NAME"
  fi
  rm -f "$PID_FILE"
  wait_tcp_closed "$KAFKA_HOST" "$BROKER_PORT" 10 || die "port $BROKER_PORT still open after stopping $NODE_NAME"
  ok "$NODE_NAME stopped"
}

cmd_stop() {
  select_node single
  stop_node
}

# status_node LABEL: one line; exit 3 unless the broker port accepts.
status_node() {
  local pid="" owner="not started by this checkout"
  pid="$(our_pid)" && owner="pid $pid, started by scripts/kafka.sh"
  if tcp_open "$KAFKA_HOST" "$BROKER_PORT"; then
    echo "$1: ready on $KAFKA_HOST:$BROKER_PORT ($owner)"
  elif [[ -n "$pid" ]]; then
    echo "$1: starting or hung ($owner), port $BROKER_PORT closed"
    return 3
  else
    echo "$1: stopped"
    return 3
  fi
}

cmd_status() {
  select_node single
  status_node kafka
}

# The three nodes start together: a KRaft controller quorum needs a majority
# before any broker is unfenced, so waiting for one node alone would hang.
cmd_cluster_start() {
  local n
  for ((n = 1; n <= CLUSTER_SIZE; n++)); do select_node "$n"; launch_node; done
  for ((n = 1; n <= CLUSTER_SIZE; n++)); do select_node "$n"; wait_node; done
}

# All three at once: the last node alone has no controller quorum and cannot
# finish a controlled shutdown (it would wait out the grace time).
cmd_cluster_stop() {
  local n
  for ((n = 1; n <= CLUSTER_SIZE + 1; n++)); do select_node "$n"; stop_node & done
  wait
}

cmd_cluster_status() {
  local n rc=0
  for ((n = 1; n <= CLUSTER_SIZE; n++)); do select_node "$n"; status_node "kafka node $n" || rc=3; done
  return "$rc"
}

# The cluster's Kafka tools (kafka-topics, kafka-reassign-partitions) from the same jars.
kafka_tool() { java -Dlog4j.configuration="file:$LOG4J" -cp "$(java_cp)" "$@"; }
bootstrap() { printf '%s\n' "${KAFKA_BROKERS:-$KAFKA_HOST:$CLUSTER_BASE_PORT}"; }

# reassign FROM TO [TOPIC...]: every partition replica on broker FROM moves to broker
# TO (all topics but Kafka's own by default) with kafka-reassign-partitions, while
# producers and consumers go on; returns once the move is complete.
cmd_reassign() {
  local from="${1:?from broker id}" to="${2:?to broker id}"
  shift 2
  local -a topics=("$@")
  local dir="$WARBLE_RUN/kafka-cluster/reassign" plan
  mkdir -p "$dir"
  plan="$dir/plan-$from-to-$to.json"
  if ((${#topics[@]} == 0)); then
    mapfile -t topics < <(kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap)" --list | grep -v '^__')
  fi
  local topic partitions=""
  for topic in "${topics[@]}"; do
    # "Topic: t  Partition: 0  Leader: 1  Replicas: 1,2,3  Isr: ..." -> {"topic":..,"partition":..,"replicas":[..]}
    partitions+="$(kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap)" --describe --topic "$topic" |
      awk -v from="$from" -v to="$to" '$0 ~ /Partition: [0-9]+/ {
        for (i = 1; i <= NF; i++) { if ($i == "Topic:") t = $(i + 1); if ($i == "Partition:") p = $(i + 1); if ($i == "Replicas:") r = $(i + 1) }
        if (("," r ",") !~ ("," from ",")) next
        n = split(r, ids, ","); out = ""
        for (j = 1; j <= n; j++) out = out (j > 1 ? "," : "") (ids[j] == from ? to : ids[j])
        printf "%s{\"topic\":\"%s\",\"partition\":%s,\"replicas\":[%s]}", sep, t, p, out; sep = ","
      }')"
    [[ -z "$partitions" || "${partitions: -1}" == , ]] || partitions+=","
  done
  partitions="${partitions%,}"
  if [[ -z "$partitions" ]]; then
    log "no replica of ${topics[*]} is on broker $from: nothing to move"
    return 0
  fi
  printf '{"version":1,"partitions":[%s]}\n' "$partitions" >"$plan"
  log "moving $(grep -o '"partition"' "$plan" | wc -l) partition replicas from broker $from to broker $to (plan: $plan)"
  kafka_tool org.apache.kafka.tools.reassign.ReassignPartitionsCommand --bootstrap-server "$(bootstrap)" \
    --reassignment-json-file "$plan" --execute >"$dir/execute.log" 2>&1 || { tail -n 20 "$dir/execute.log" >&2; die "reassignment did not start"; }
  local deadline=$((SECONDS + 300))
  until kafka_tool org.apache.kafka.tools.reassign.ReassignPartitionsCommand --bootstrap-server "$(bootstrap)" \
    --reassignment-json-file "$plan" --verify >"$dir/verify.log" 2>&1 && ! grep -q 'still in progress' "$dir/verify.log"; do
    ((SECONDS < deadline)) || { tail -n 20 "$dir/verify.log" >&2; die "reassignment not complete within 300 s"; }
    sleep 2
  done
  ok "partition replicas moved from broker $from to broker $to"
}

usage() { echo "usage: $0 {install|start|stop|status|cluster-start|cluster-stop|cluster-status|node-start N|node-stop N|node-kill N|reassign FROM TO [TOPIC...]}" >&2; exit 2; }
case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  cluster-start) cmd_cluster_start ;;
  cluster-stop) cmd_cluster_stop ;;
  cluster-status) cmd_cluster_status ;;
  node-start) select_node "${2:?node number}"; launch_node; wait_node ;;
  node-stop) select_node "${2:?node number}"; stop_node ;;
  node-kill) select_node "${2:?node number}"; stop_node KILL ;;
  reassign) shift; cmd_reassign "$@" ;;
  *) usage ;;
esac
