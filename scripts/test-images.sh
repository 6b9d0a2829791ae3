#!/usr/bin/env bash
# Proves docker/Dockerfile on this machine with podman, without a registry
# (`make test-images`; the Makefile brings the infrastructure and topics up first):
#
#   1. base image: a local stand-in for the Dockerfile's NODE_IMAGE, tagged with
#      that very name (scripts/images/base-image.sh: debootstrap rootfs + the
#      project's Node 24 + npm + the machine's CA certificates);
#   2. the six app images from the unchanged Dockerfile (localhost/warble/<app>:test),
#      in sequence: the build stage is shared, so apps 2..6 come from the cache;
#   3. static checks of each image: numeric non-root USER, HEALTHCHECK,
#      STOPSIGNAL, CMD;
#   4. the six containers against the local Postgres, Redis and Kafka
#      (--network host, own ports 3100..3105), hardened like the Kubernetes
#      pods: read-only root file system with a /tmp tmpfs, all capabilities
#      dropped, no-new-privileges, the image's uid 10001; JWT keys mounted
#      read-only; migrations applied at boot as the local apps do;
#   5. runtime checks: each process runs as uid 10001, the image's
#      HEALTHCHECK passes (`podman healthcheck run`);
#   6. the e2e suite (Jest) against the containerised gateway and services;
#   7. `podman stop` of each container: it must exit by itself on SIGTERM
#      (no SIGKILL) within TEST_IMAGES_STOP_TIMEOUT seconds;
#   8. summary of the checks and the e2e run; exit 1 if anything failed.
# The containers are always removed at the end, also on failure or Ctrl-C.
# Their logs stay in .run/test-images/logs/<app>.log until the next run.
#
# Settings (environment or .env):
#   TEST_IMAGES_PORT_BASE    first port (gateway); users, posts, graph, search,
#                            comments follow (default 3100: 3100..3105)
#   TEST_IMAGES_<APP>_PORT   one app's port, e.g. TEST_IMAGES_GATEWAY_PORT=3200
#   TEST_IMAGES_METRICS_PORT_BASE  first internal metrics port, same order
#                            (default 9200: 9200..9205)
#   TEST_IMAGES_TAG          tag of the app images (default test)
#   TEST_IMAGES_READY_TIMEOUT, TEST_IMAGES_STOP_TIMEOUT   seconds (120, 20)
#   TEST_IMAGES_PRUNE        1 (default): afterwards `podman image prune` removes
#                            untagged images no tag depends on (older builds of
#                            these images); the layer cache of the current ones stays
#   TEST_IMAGES_NOFILE, TEST_IMAGES_NPROC, TEST_IMAGES_RUNTIME  see scripts/images/podman.sh
#   and those of scripts/images/base-image.sh.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/images/podman.sh
source "$WARBLE_ROOT/scripts/images/podman.sh"
load_env

APPS=(gateway users posts graph search comments)   # build order
SERVICES=(users posts graph search comments)       # start before the gateway
declare -A OFFSET=([gateway]=0 [users]=1 [posts]=2 [graph]=3 [search]=4 [comments]=5)
PORT_BASE="${TEST_IMAGES_PORT_BASE:-3100}"
METRICS_PORT_BASE="${TEST_IMAGES_METRICS_PORT_BASE:-9200}"
TAG="${TEST_IMAGES_TAG:-test}"
READY_TIMEOUT="${TEST_IMAGES_READY_TIMEOUT:-120}"
STOP_TIMEOUT="${TEST_IMAGES_STOP_TIMEOUT:-20}"
CONTAINER_PREFIX=warble-test-
LABEL=io.warble.test-images
RUN_DIR="$WARBLE_RUN/test-images"
LOG_DIR="$RUN_DIR/logs"
RESULTS="$RUN_DIR/results"
SECRETS="$RUN_DIR/secrets"
CHECKS="$RESULTS/image-checks.txt"
APP_UID=10001
# Where the pods of k8s/ mount the keys.
PUBLIC_KEY_MOUNT=/etc/warble/jwt-public/jwt-public.pem
PRIVATE_KEY_MOUNT=/etc/warble/jwt-private/jwt-private.pem

port_of() { local v="TEST_IMAGES_${1^^}_PORT"; printf '%s\n' "${!v:-$((PORT_BASE + OFFSET[$1]))}"; }
metrics_port_of() { printf '%s\n' "$((METRICS_PORT_BASE + OFFSET[$1]))"; }
image_of() { printf 'localhost/warble/%s:%s\n' "$1" "$TAG"; }
container_of() { printf '%s%s\n' "$CONTAINER_PREFIX" "$1"; }
ready_url() { printf 'http://127.0.0.1:%s/health/ready\n' "$(port_of "$1")"; }

# --- checks: one line each, counted; "image-checks: N passed, N failed" at the end --
passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'ok    %s\n' "$*" | tee -a "$CHECKS" >&2; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$*" | tee -a "$CHECKS" >&2; }
check() { # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi
}

# --- cleanup ------------------------------------------------------------------------
remove_containers() {
  local ids
  ids="$("${PODMAN[@]}" ps -a -q --filter "label=$LABEL" 2>/dev/null)" || return 0
  [[ -n "$ids" ]] || return 0
  # shellcheck disable=SC2086 # one id per word
  "${PODMAN[@]}" rm -f -t 5 $ids >/dev/null 2>&1 || warn "could not remove containers: $ids"
}

cleanup() {
  local rc=$?
  remove_containers
  rm -rf "$SECRETS" "$RUN_DIR/env"
  if [[ -n "$("${PODMAN[@]}" ps -a -q --filter "label=$LABEL" 2>/dev/null)" ]]; then
    err "containers left behind: $("${PODMAN[@]}" ps -a --filter "label=$LABEL" --format '{{.Names}}' | tr '\n' ' ')"
    rc=1
  fi
  exit "$rc"
}

# --- preconditions ----------------------------------------------------------------------
require_podman
[[ -x "$WARBLE_ROOT/node_modules/.bin/node" ]] || die "node_modules/.bin/node not found: run 'make install'"
mkdir -p "$IMAGES_CACHE"
# One run per machine: the ports and container names are the machine's.
exec 8>"$IMAGES_CACHE/.test-images.lock"
if ! flock -n 8; then
  log "another test-images run holds $IMAGES_CACHE/.test-images.lock; waiting up to 30 min"
  flock -w 1800 8 || die "another test-images run is still going after 30 min"
fi

trap cleanup EXIT
trap 'exit 130' INT TERM
# Leftovers of a run that was killed before its cleanup.
remove_containers

pg_port="${DATABASE_PORT:-5432}"
tcp_open "${DATABASE_HOST:-127.0.0.1}" "$pg_port" || die "Postgres is not reachable on ${DATABASE_HOST:-127.0.0.1}:$pg_port (make infra)"
tcp_open 127.0.0.1 "${KAFKA_PORT:-9092}" || die "Kafka is not reachable on 127.0.0.1:${KAFKA_PORT:-9092} (make infra)"
for app in "${SERVICES[@]}"; do
  pwvar="${app^^}_DB_PASSWORD"
  [[ -n "${!pwvar:-}" ]] || die "$pwvar is not set (see .env.example)"
done
[[ -s "$WARBLE_RUN/keys/jwt-private.pem" && -s "$WARBLE_RUN/keys/jwt-public.pem" ]] \
  || die "no token keys in $WARBLE_RUN/keys (make infra runs scripts/keys.sh)"
for app in "${APPS[@]}"; do
  if tcp_open 127.0.0.1 "$(port_of "$app")"; then
    die "port $(port_of "$app") for the $app container is in use (set TEST_IMAGES_PORT_BASE or TEST_IMAGES_${app^^}_PORT)"
  fi
  if tcp_open 127.0.0.1 "$(metrics_port_of "$app")"; then
    die "metrics port $(metrics_port_of "$app") for the $app container is in use (set TEST_IMAGES_METRICS_PORT_BASE)"
  fi
done

# Local apps (scripts/apps.sh) on their usual ports share the consumer groups,
# the database and Redis with the containers and take part of the work.
declare -A LOCAL_PORT=([gateway]=3000 [users]=3001 [posts]=3002 [graph]=3003 [search]=3004 [comments]=3005)
sharing=()
for app in "${APPS[@]}"; do
  v="${app^^}_PORT"
  if http_ready "http://127.0.0.1:${!v:-${LOCAL_PORT[$app]}}/health/ready"; then sharing+=("$app"); fi
done
if ((${#sharing[@]} > 0)); then
  warn "local apps are running (${sharing[*]}). If they use the same broker ($KAFKA_BROKERS), they are in the"
  warn "containers' consumer groups and handle part of their events (docs/operations.md, 'Testing the images locally')"
fi

rm -rf "$RUN_DIR"
mkdir -p "$LOG_DIR" "$RESULTS" "$SECRETS" "$RUN_DIR/env"
chmod 700 "$SECRETS" "$RUN_DIR/env"
: >"$CHECKS"
started_at=$SECONDS

# --- 1. base image ------------------------------------------------------------------------
"$WARBLE_ROOT/scripts/images/base-image.sh"

# --- 2. app images ----------------------------------------------------------------------------
# --format docker: the OCI format has no HEALTHCHECK (podman drops it with a
# warning); Docker always builds this format. --pull=never: the base must be
# the local stand-in.
build_flags=(--pull=never --format docker "${PODMAN_ULIMITS[@]}" -f "$WARBLE_ROOT/docker/Dockerfile")
for app in "${APPS[@]}"; do
  t0=$SECONDS
  log "building $(image_of "$app")"
  if ! "${PODMAN[@]}" build "${build_flags[@]}" --build-arg "APP=$app" -t "$(image_of "$app")" "$WARBLE_ROOT" \
    >"$RUN_DIR/build-$app.log" 2>&1; then
    tail -n 60 "$RUN_DIR/build-$app.log" >&2
    die "podman build of $app failed (log above; whole log: $RUN_DIR/build-$app.log)"
  fi
  ok "built $(image_of "$app") in $((SECONDS - t0))s"
done
# The shared build stage under a tag too (all cached, about a second): keeps
# its layers, the expensive `npm ci` among them, out of reach of the prune below.
"${PODMAN[@]}" build "${build_flags[@]}" --build-arg APP=gateway --target build -t "localhost/warble/build:$TAG" "$WARBLE_ROOT" \
  >"$RUN_DIR/build-stage.log" 2>&1 || { tail -n 30 "$RUN_DIR/build-stage.log" >&2; die "tagging the build stage failed"; }

# --- 3. static checks of the images -----------------------------------------------------------
for app in "${APPS[@]}"; do
  image="$(image_of "$app")"
  user="$("${PODMAN[@]}" image inspect --format '{{.Config.User}}' "$image")"
  uid="${user%%:*}"
  if [[ "$uid" =~ ^[0-9]+$ ]] && ((uid != 0)); then pass "$app image: numeric non-root USER ($user)"; else fail "$app image: USER '$user' is not a numeric non-root uid"; fi
  check "$app image: HEALTHCHECK defined" yes \
    "$("${PODMAN[@]}" image inspect --format '{{if .Config.Healthcheck}}{{if .Config.Healthcheck.Test}}yes{{end}}{{end}}' "$image")"
  check "$app image: STOPSIGNAL" SIGTERM "$("${PODMAN[@]}" image inspect --format '{{.Config.StopSignal}}' "$image")"
  check "$app image: CMD" "[node main.js]" "$("${PODMAN[@]}" image inspect --format '{{.Config.Cmd}}' "$image")"
done

# --- 4. containers ---------------------------------------------------------------------------
# The private key is readable only by root on the host (keys.sh, umask 077);
# the container's uid gets its own read-only copy, as a Kubernetes secret volume would.
install -m 0400 -o "$APP_UID" -g "$APP_UID" "$WARBLE_RUN/keys/jwt-private.pem" "$SECRETS/jwt-private.pem"
install -m 0444 "$WARBLE_RUN/keys/jwt-public.pem" "$SECRETS/jwt-public.pem"

# Names in .env / .env.example / profiles pass through to every app (as scripts/apps.sh
# does), except what is the scripts' own, another service's database
# password, or set per container below.
# Commented-out names count too (optional settings such as the OTEL_* ones):
# they pass only when set in the environment.
mapfile -t env_names < <(cat "$WARBLE_ROOT/.env.example" "$WARBLE_ROOT/.env" "$WARBLE_ROOT"/profiles/*.env 2>/dev/null \
  | sed -nE 's/^[[:space:]]*#?[[:space:]]*(export[[:space:]]+)?([A-Z_][A-Z0-9_]*)=.*/\2/p' | sort -u)
passes_through() {
  case "$1" in
    HOST | PORT | WORKER_ID | NODE_ENV | DATABASE_USER | DATABASE_PASSWORD | PG_SUPERUSER | GATEWAY_URL) return 1 ;;
    DATABASE_PORT) return 0 ;;
    *_PORT | *_DB_PASSWORD | WARBLE_* | APPS_* | BENCH_* | TEST_IMAGES_*) return 1 ;;
    USERS_URL | POSTS_URL | GRAPH_URL | SEARCH_URL | COMMENTS_URL) return 1 ;;
    JWT_PUBLIC_KEY_FILE | JWT_PRIVATE_KEY_FILE | JWT_PRIVATE_KEY) return 1 ;;
    EXPERIMENTS_FILE | TRUST_PROXY | *_TRUST_PROXY) return 1 ;;
  esac
}

# The experiment definitions the profile names are mounted over the image's own
# config/experiments.json, as Kubernetes mounts a ConfigMap over config/.
EXPERIMENTS_MOUNT=/app/config/experiments.json

# write_env_file APP: the container's environment, in a root-only file (not on
# the podman command line, where passwords would show in the process list).
write_env_file() {
  local app="$1" name file="$RUN_DIR/env/$1.env" svc
  (
    umask 077
    for name in "${env_names[@]}"; do
      passes_through "$name" || continue
      [[ -n "${!name+x}" ]] || continue
      printf '%s=%s\n' "$name" "${!name}"
    done
    printf 'HOST=127.0.0.1\nPORT=%s\nMETRICS_PORT=%s\n' "$(port_of "$app")" "$(metrics_port_of "$app")"
    printf 'JWT_PUBLIC_KEY_FILE=%s\n' "$PUBLIC_KEY_MOUNT"
    [[ "$app" != gateway ]] || printf 'EXPERIMENTS_FILE=%s\n' "$EXPERIMENTS_MOUNT"
    # Whose forwarded headers this app believes: <APP>_TRUST_PROXY over TRUST_PROXY, as scripts/apps.sh does.
    local trust_var="${app^^}_TRUST_PROXY"
    printf 'TRUST_PROXY=%s\n' "${!trust_var:-${TRUST_PROXY:-false}}"
    for svc in "${SERVICES[@]}"; do
      printf '%s_URL=http://127.0.0.1:%s\n' "${svc^^}" "$(port_of "$svc")"
    done
    if [[ "$app" != gateway ]]; then
      local pwvar="${app^^}_DB_PASSWORD"
      printf 'DATABASE_USER=warble_%s\nDATABASE_PASSWORD=%s\n' "$app" "${!pwvar}"
    fi
    if [[ "$app" == users ]]; then
      printf 'JWT_PRIVATE_KEY_FILE=%s\n' "$PRIVATE_KEY_MOUNT"
      [[ -z "${JWT_PRIVATE_KEY:-}" ]] || printf 'JWT_PRIVATE_KEY=%s\n' "$JWT_PRIVATE_KEY"
    fi
  ) >"$file"
  printf '%s\n' "$file"
}

start_container() {
  local app="$1" env_file
  local -a mounts=(-v "$SECRETS/jwt-public.pem:$PUBLIC_KEY_MOUNT:ro")
  [[ "$app" != users ]] || mounts+=(-v "$SECRETS/jwt-private.pem:$PRIVATE_KEY_MOUNT:ro")
  if [[ "$app" == gateway ]]; then
    local definitions="${EXPERIMENTS_FILE:-config/experiments.json}"
    [[ "$definitions" == /* ]] || definitions="$WARBLE_ROOT/$definitions"
    mounts+=(-v "$definitions:$EXPERIMENTS_MOUNT:ro")
  fi
  env_file="$(write_env_file "$app")"
  # Podman logs an error when it cannot create the systemd timer of the
  # HEALTHCHECK (no systemd here); the check itself is run by hand below.
  if ! "${PODMAN[@]}" run -d --name "$(container_of "$app")" --label "$LABEL=1" \
    --network host "${PODMAN_ULIMITS[@]}" \
    --read-only --read-only-tmpfs=false --tmpfs /tmp:rw,nosuid,nodev,size=64m \
    --cap-drop all --security-opt no-new-privileges \
    --log-driver k8s-file --log-opt "path=$LOG_DIR/$app.log" \
    --env-file "$env_file" "${mounts[@]}" \
    "$(image_of "$app")" >/dev/null 2>"$RUN_DIR/run-$app.err"; then
    cat "$RUN_DIR/run-$app.err" >&2
    die "podman run of $app failed"
  fi
  grep -v 'systemd connection' "$RUN_DIR/run-$app.err" >&2 || true
  log "started $(container_of "$app") on port $(port_of "$app")"
}

container_state() { "${PODMAN[@]}" inspect --format '{{.State.Status}}' "$(container_of "$1")" 2>/dev/null || echo gone; }

show_logs() {
  err "$1 $2; last 40 lines of its log:"
  "${PODMAN[@]}" logs --tail 40 "$(container_of "$1")" >&2 2>&1 || tail -n 40 "$LOG_DIR/$1.log" >&2 || true
}

# wait_ready APP...: until each /health/ready answers 200, or its container exits.
wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT)) app
  local -a pending=("$@") still
  while ((${#pending[@]} > 0)); do
    still=()
    for app in "${pending[@]}"; do
      if http_ready "$(ready_url "$app")"; then ok "$app container ready at $(ready_url "$app")"; continue; fi
      [[ "$(container_state "$app")" == running ]] || { show_logs "$app" "exited during start-up ($(container_state "$app"))"; exit 1; }
      still+=("$app")
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]} == 0)) && break
    if ((SECONDS >= deadline)); then
      for app in "${pending[@]}"; do show_logs "$app" "not ready within ${READY_TIMEOUT}s"; done
      exit 1
    fi
    sleep 0.5
  done
}

for app in "${SERVICES[@]}"; do start_container "$app"; done
wait_ready "${SERVICES[@]}"
start_container gateway
wait_ready gateway

# --- 5. runtime checks ----------------------------------------------------------------------
for app in "${SERVICES[@]}" gateway; do
  c="$(container_of "$app")"
  pid="$("${PODMAN[@]}" inspect --format '{{.State.Pid}}' "$c")"
  check "$app container: process runs as uid $APP_UID" "$APP_UID" "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo '?')"
  check "$app container: root file system read-only" true "$("${PODMAN[@]}" inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$c")"
  if out="$("${PODMAN[@]}" healthcheck run "$c" 2>&1)"; then
    pass "$app container: HEALTHCHECK passes"
  else
    fail "$app container: HEALTHCHECK fails: $(grep -v 'systemd connection' <<<"$out" | tr '\n' ' ')"
  fi
done

# --- 6. e2e against the containers -------------------------------------------------------------
log "e2e suite against the containerised gateway on port $(port_of gateway)"
e2e_env=(
  "GATEWAY_URL=http://127.0.0.1:$(port_of gateway)"
  # no-secrets reads <WARBLE_RUN>/logs/*.log: the containers' logs.
  "WARBLE_RUN=$RUN_DIR"
)
for app in "${APPS[@]}"; do
  e2e_env+=("${app^^}_PORT=$(port_of "$app")" "${app^^}_METRICS_PORT=$(metrics_port_of "$app")" "${app^^}_URL=http://127.0.0.1:$(port_of "$app")")
done
e2e_status=0
env "${e2e_env[@]}" npm run test:e2e -- --json --outputFile="$RESULTS/e2e-images.json" || e2e_status=$?
((e2e_status == 0)) || warn "e2e suite failed (exit $e2e_status)"

# --- 7. graceful stop --------------------------------------------------------------------------
# Node is PID 1 (no --init, as in Kubernetes): it must end on SIGTERM by
# itself; podman sends SIGKILL after the timeout, which shows as exit code 137.
# Gateway first, then the services together, like scripts/apps.sh.
stop_and_time() { # stop_and_time APP: podman stop, then "<ms> <exit code>" into a file
  local c t0
  c="$(container_of "$1")"
  t0="$(date +%s%N)"
  "${PODMAN[@]}" stop -t "$STOP_TIMEOUT" "$c" >/dev/null 2>&1 || true
  printf '%s %s\n' "$((($(date +%s%N) - t0) / 1000000))" \
    "$("${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$c" 2>/dev/null || echo '?')" >"$RUN_DIR/stop-$1"
}
stopping=()
for app in gateway "${SERVICES[@]}"; do
  state="$(container_state "$app")"
  if [[ "$state" != running ]]; then
    fail "$app container: not running before the stop ($state)"
  elif [[ "$app" == gateway ]]; then
    stop_and_time "$app"
    stopping+=("$app")
  else
    stop_and_time "$app" &
    stopping+=("$app")
  fi
done
wait
for app in "${stopping[@]}"; do
  read -r ms code <"$RUN_DIR/stop-$app" || { ms='?'; code='?'; }
  if [[ "$code" == 0 || "$code" == 143 ]] && [[ "$ms" =~ ^[0-9]+$ ]] && ((ms < STOP_TIMEOUT * 1000)); then
    pass "$app container: stops on SIGTERM in ${ms} ms (exit code $code)"
  else
    fail "$app container: SIGTERM did not stop it by itself (exit code $code after ${ms} ms; timeout ${STOP_TIMEOUT}s, 137 = SIGKILL)"
  fi
done
remove_containers

# --- 8. summary -----------------------------------------------------------------------------------
printf 'image-checks: %d passed, %d failed\n' "$passed" "$failed" >>"$CHECKS"
if [[ "${TEST_IMAGES_PRUNE:-1}" == 1 ]]; then
  "${PODMAN[@]}" image prune -f >/dev/null 2>&1 || warn "podman image prune failed"
fi
log "images, containers and e2e took $((SECONDS - started_at))s"
echo
summary_status=0
"$WARBLE_ROOT/node_modules/.bin/node" "$WARBLE_ROOT/scripts/test-summary.js" --dir "$RESULTS" --expect e2e-images || summary_status=$?
((summary_status == 0 && e2e_status == 0 && failed == 0))
