#!/usr/bin/env bash
# Smoke check of the cluster topology `make up-cluster` started (run by .ci/run):
# through HAProxy on TLS, HTTP/2 and HTTP/1.1 answer, a login and a post work, and
# feed reads go on without a failure while one posts replica is SIGKILLed.
# The fault tests under load (make test-cluster) are still to come (docs/scaling.md).
# Prints "cluster-smoke: N passed, N failed"; exits 1 if a check failed.
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
_log_tag=cluster-smoke
export WARBLE_PROFILE="${WARBLE_PROFILE:-cluster}"
load_env

base="https://127.0.0.1:${HAPROXY_TLS_PORT:-8443}"
api="$base/api/v1"
curl_tls() { curl -s --max-time 10 --cacert "$WARBLE_RUN/tls/dev-cert.pem" "$@"; }
passed=0 failed=0
check() { # check NAME CONDITION...: one result line
  local name="$1"
  shift
  if "$@"; then passed=$((passed + 1)); ok "ok    $name"; else failed=$((failed + 1)); err "FAIL  $name"; fi
}

version_of() { curl_tls "$1" -o /dev/null -w '%{http_version} %{http_code}' "$base/health/ready"; }
check "HTTP/2 through HAProxy" test "$(version_of --http2)" == "2 200"
check "HTTP/1.1 through HAProxy" test "$(version_of --http1.1)" == "1.1 200"

token="$(curl_tls -X POST "$api/auth/login" -H 'content-type: application/json' \
  -d '{"login":"ada","password":"demo-password-123"}' | sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p')"
check "login as the seeded ada" test -n "$token"
status="$(curl_tls -o /dev/null -w '%{http_code}' -X POST "$api/posts" -H "authorization: Bearer $token" \
  -H 'content-type: application/json' -d '{"text":"cluster smoke check"}')"
check "a post through HAProxy" test "$status" == 201

"$WARBLE_ROOT/scripts/apps.sh" kill posts@2 >/dev/null
reads=0 good=0
for _ in $(seq 1 50); do
  reads=$((reads + 1))
  [[ "$(curl_tls -o /dev/null -w '%{http_code}' "$api/feed" -H "authorization: Bearer $token")" == 200 ]] && good=$((good + 1))
done
check "50 feed reads while posts@2 is killed: $good answered 200" test "$good" == "$reads"
"$WARBLE_ROOT/scripts/apps.sh" start posts >/dev/null 2>&1
check "posts@2 back and ready" http_ready "http://127.0.0.1:$((${POSTS_PORT:-3002} + ${REPLICA_PORT_OFFSET:-10}))/health/ready"

echo "cluster-smoke: $passed passed, $failed failed"
((failed == 0))
