# shellcheck shell=bash
# Shared helpers for the Warble shell scripts. Source it, do not run it:
#   source "$(dirname "$0")/lib.sh"
# It resolves the repository root, the state and cache folders, loads .env and
# offers logging and wait helpers. It changes the working directory to the
# repository root so every relative path below is stable whatever the caller's cwd.

# Repository root = parent of the folder holding this file (scripts/..).
WARBLE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
export WARBLE_ROOT
cd "$WARBLE_ROOT" || exit 1

# Per-checkout runtime state (pids, logs, Kafka data): inside the repo, git-ignored,
# so two clones never share a broker's data or pid files.
WARBLE_RUN="$WARBLE_ROOT/.run"
# Downloads reused across clones and `make clean`: outside the repo.
WARBLE_CACHE="${WARBLE_CACHE:-$HOME/.cache/warble}"
export WARBLE_RUN WARBLE_CACHE

# --- logging -----------------------------------------------------------------
# Colour only when stderr is a terminal, so CI logs stay clean.
if [[ -t 2 ]]; then
  _c_info=$'\e[36m' _c_warn=$'\e[33m' _c_err=$'\e[31m' _c_ok=$'\e[32m' _c_off=$'\e[0m'
else
  _c_info='' _c_warn='' _c_err='' _c_ok='' _c_off=''
fi
_log_tag="$(basename "${0:-warble}" .sh)"

log()  { printf '%s[%s]%s %s\n' "$_c_info" "$_log_tag" "$_c_off" "$*" >&2; }
ok()   { printf '%s[%s]%s %s\n' "$_c_ok" "$_log_tag" "$_c_off" "$*" >&2; }
warn() { printf '%s[%s] warning:%s %s\n' "$_c_warn" "$_log_tag" "$_c_off" "$*" >&2; }
err()  { printf '%s[%s] error:%s %s\n' "$_c_err" "$_log_tag" "$_c_off" "$*" >&2; }
die()  { err "$*"; exit 1; }

require_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "required command '$c' not found (run 'make install' for hints)"
  done
}

# --- .env and profiles ----------------------------------------------------------
# Loads KEY=VALUE lines from .env (created from .env.example on first use), which
# holds the production-like defaults `make up` runs with. With WARBLE_PROFILE set
# (`make test` sets test, `make bench` bench, `make up-cluster` cluster),
# profiles/<name>.env is loaded first and wins over .env: the raised limits and
# small thresholds a test run needs, or the cluster's addresses.
# Variables already present in the environment win over both, so CI or a one-off
# `LOG_LEVEL=debug make up` can override the files. Files are parsed, never
# sourced: a value cannot run code.
load_env() {
  local file="$WARBLE_ROOT/.env"
  if [[ ! -f "$file" ]]; then
    [[ -f "$WARBLE_ROOT/.env.example" ]] || die ".env and .env.example are both missing"
    cp "$WARBLE_ROOT/.env.example" "$file"
    log "created .env from .env.example (dev defaults)"
  fi
  # Several profiles, comma-separated: the first wins (test,cluster: the test
  # profile's values over the cluster's).
  local name profile
  local -a names=()
  IFS=, read -r -a names <<<"${WARBLE_PROFILE:-}"
  for name in "${names[@]}"; do
    [[ "$name" =~ ^[a-z][a-z0-9-]*$ ]] || die "WARBLE_PROFILE '$WARBLE_PROFILE': '$name' is not a profile name"
    profile="$WARBLE_ROOT/profiles/$name.env"
    [[ -f "$profile" ]] || die "profile '$name' not found: $profile"
    load_env_file "$profile"
  done
  load_env_file "$file"
}

# load_env_file FILE: exports each KEY=VALUE of FILE that is not set yet.
load_env_file() {
  local file="$1" line key value
  while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line%$'\r'}"
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    line="${line#"${line%%[![:space:]]*}"}"   # trim leading blanks
    line="${line#export }"
    [[ "$line" =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || { warn "$(basename "$file"): ignoring malformed line: $line"; continue; }
    key="${BASH_REMATCH[1]}"
    value="${BASH_REMATCH[2]}"
    # Strip one pair of surrounding quotes; unquoted values lose trailing comments.
    if [[ "$value" =~ ^\"(.*)\"[[:space:]]*$ || "$value" =~ ^\'(.*)\'[[:space:]]*$ ]]; then
      value="${BASH_REMATCH[1]}"
    else
      value="${value%%[[:space:]]#*}"
      value="${value%"${value##*[![:space:]]}"}"
    fi
    if [[ -z "${!key+x}" ]]; then
      export "$key=$value"
    fi
  done <"$file"
}

# with_profile NAME CMD...: runs CMD under profile NAME ("none": no profile). A
# shell that ran load_env has exported .env's values, which would win over the
# profile in CMD's own load_env: the profile's names are taken out of CMD's
# environment first.
with_profile() {
  local name="$1" key
  shift
  local -a unset_args=(-u WARBLE_PROFILE)
  for key in $(sed -nE 's/^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=.*/\2/p' "$WARBLE_ROOT"/profiles/*.env | sort -u); do
    unset_args+=(-u "$key")
  done
  if [[ "$name" == none ]]; then
    env "${unset_args[@]}" "$@"
  else
    env "${unset_args[@]}" "WARBLE_PROFILE=$name" "$@"
  fi
}

# --- waiting -------------------------------------------------------------------
# tcp_open HOST PORT: true if something accepts connections (bash /dev/tcp, no nc needed).
tcp_open() {
  # shellcheck disable=SC2016 # $1/$2 expand in the child shell
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# wait_tcp HOST PORT DEADLINE_SECONDS [PID]: wait until the port accepts.
# With PID, give up early when that process has died.
wait_tcp() {
  local host="$1" port="$2" deadline=$((SECONDS + $3)) pid="${4:-}"
  until tcp_open "$host" "$port"; do
    if [[ -n "$pid" ]] && ! pid_alive "$pid"; then return 2; fi
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# wait_tcp_closed HOST PORT DEADLINE_SECONDS
wait_tcp_closed() {
  local deadline=$((SECONDS + $3))
  while tcp_open "$1" "$2"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# http_status URL: prints the HTTP status code (000 when unreachable).
http_status() {
  curl -s -o /dev/null -w '%{http_code}' --connect-timeout 2 --max-time 5 "$1" 2>/dev/null || true
}

# http_ready URL: true if the URL answers 200.
http_ready() {
  [[ "$(http_status "$1")" == 200 ]]
}

# wait_http URL DEADLINE_SECONDS [PID]: wait until the URL answers 200.
wait_http() {
  local url="$1" deadline=$((SECONDS + $2)) pid="${3:-}"
  until http_ready "$url"; do
    if [[ -n "$pid" ]] && ! pid_alive "$pid"; then return 2; fi
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# --- processes -------------------------------------------------------------------
# pid_alive PID: running and not a zombie (a dead child we have not reaped
# still answers kill -0).
pid_alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  # Field after the ")" closing the command name is the state letter.
  state="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" || return 1
  [[ -n "$state" && "$state" != Z ]]
}

# pid_from_file FILE: prints the pid if the file holds a number.
pid_from_file() {
  local pid
  [[ -f "$1" ]] || return 1
  pid="$(tr -dc '0-9' <"$1" 2>/dev/null)" || return 1
  [[ -n "$pid" ]] || return 1
  printf '%s\n' "$pid"
}

# pid_matches PID PATTERN: the process is alive AND its command line contains
# PATTERN. Guards against a recycled pid: we never signal a stranger.
pid_matches() {
  local pid="$1" pattern="$2" cmdline
  pid_alive "$pid" || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$pattern"* ]]
}

# stop_pid PID GRACE_SECONDS NAME: SIGTERM the process group (the launchers start
# each process as a session leader, so its children go too), wait, then SIGKILL.
stop_pid() {
  local pid="$1" grace="$2" name="$3" deadline
  deadline=$((SECONDS + grace))
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  while pid_alive "$pid"; do
    if ((SECONDS >= deadline)); then
      warn "$name (pid $pid) did not stop within ${grace}s, sending SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.3
  done
}
