#!/usr/bin/env bash
# make bench [ARGS="..."]: runs the benchmark against the system `make up` started.
# For the run, posts and the gateway restart under the bench profile
# (profiles/bench.env: the bench's celebrity threshold, rate limits lifted since
# the load comes from one address); afterwards both restart with the profile
# they ran with before.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
_log_tag=bench
load_env
SCRIPTS="$WARBLE_ROOT/scripts"
NODE_BIN="$WARBLE_ROOT/node_modules/.bin/node"

http_ready "http://127.0.0.1:${GATEWAY_PORT:-3000}/health/ready" || die "the system is not running: make up first"
previous="$("$SCRIPTS/apps.sh" profile gateway)"

restore() {
  log "restarting posts and gateway with their previous profile ($previous)"
  with_profile "$previous" "$SCRIPTS/apps.sh" restart posts gateway >/dev/null
}
trap restore EXIT

with_profile bench "$SCRIPTS/apps.sh" restart posts gateway
# The bench reads the profile's celebrity threshold (FEED_CELEBRITY_THRESHOLD) as its default.
# shellcheck disable=SC2016 # $@ expands in the child shell
with_profile bench bash -c 'source scripts/lib.sh && load_env && exec "$0" dist/scripts/bench/bench.js "$@"' "$NODE_BIN" "$@"
