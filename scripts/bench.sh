#!/usr/bin/env bash
# make bench [ARGS="..."]: runs the benchmark against the system `make up` started.
# For the run, posts gets the benchmark's celebrity threshold and the gateway's
# rate limits are lifted (load comes from one address); both are restarted with
# the normal configuration afterwards.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
_log_tag=bench
load_env
SCRIPTS="$WARBLE_ROOT/scripts"
NODE_BIN="$WARBLE_ROOT/node_modules/.bin/node"

threshold="${BENCH_CELEBRITY_THRESHOLD:-200}"
http_ready "http://127.0.0.1:${GATEWAY_PORT:-3000}/health/ready" || die "the system is not running: make up first"

restore() {
  log "restoring the normal configuration of posts and gateway"
  "$SCRIPTS/apps.sh" restart posts gateway >/dev/null
}
trap restore EXIT

FEED_CELEBRITY_THRESHOLD="$threshold" RATE_LIMIT_ENABLED=false LOG_LEVEL=warn "$SCRIPTS/apps.sh" restart posts gateway
# shellcheck disable=SC2086 # ARGS is a word list on purpose
"$NODE_BIN" dist/scripts/bench/bench.js --celebrity-threshold "$threshold" "$@"
