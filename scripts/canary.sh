#!/usr/bin/env bash
# A canary of one app on this machine (docs/operations.md, "A canary on this machine"):
#   scripts/canary.sh APP     (make canary APP=posts runs `make build` first)
# Needs the cluster topology (make up-cluster). Starts replica APP_REPLICAS+1 of APP from
# dist/ as the canary, sends it SHARE percent of APP's traffic (HAProxy for the gateway,
# the gateways' canaries file for a service), compares it with the stable replicas for
# DURATION seconds and prints promote (exit 0) or abort (exit 1); either way the canary
# is taken out of the traffic and stopped at the end. Exit 2: it could not run.
# Settings (environment): SHARE (10), DURATION (60), WARMUP (10), CHECK_INTERVAL (5),
# MIN_REQUESTS (100), MAX_ERROR_INCREASE (1, percentage points), LATENCY_QUANTILE (0.99),
# MAX_LATENCY_RATIO (1.5), LATENCY_GRACE_MS (50). Anything else set here reaches the
# canary process too, e.g. FAULT_500_ROUTE="GET /posts/:id".
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
# The profile the running cluster was started with (cluster, or test,cluster under make
# test-cluster), so that the canary runs with the stable replicas' settings.
if [[ -z "${WARBLE_PROFILE:-}" ]]; then
  profile="$("$WARBLE_ROOT/scripts/apps.sh" profile gateway 2>/dev/null || echo none)"
  [[ "$profile" == none ]] || export WARBLE_PROFILE="$profile"
fi
load_env
[[ $# -eq 1 ]] || die "usage: $0 APP   (gateway users posts graph search comments)"
exec "$WARBLE_ROOT/node_modules/.bin/node" "$WARBLE_ROOT/dist/scripts/canary/canary.js" "$1"
