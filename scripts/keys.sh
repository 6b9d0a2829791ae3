#!/usr/bin/env bash
# Makes the development key pair for access tokens (ES256, P-256) when none
# exists: .run/keys/jwt-private.pem (only the users service gets it) and
# .run/keys/jwt-public.pem (every app verifies with it). Never committed;
# production keys come from the environment or a secret store.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
_log_tag=keys

dir="$WARBLE_RUN/keys"
private="$dir/jwt-private.pem"
public="$dir/jwt-public.pem"

if [[ -s "$private" && -s "$public" ]]; then
  log "access-token keys exist in $dir"
  exit 0
fi
require_cmd openssl
mkdir -p "$dir"
chmod 700 "$dir"
umask 077
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$private.tmp" 2>/dev/null
openssl pkey -in "$private.tmp" -pubout -out "$public" 2>/dev/null
mv "$private.tmp" "$private"
chmod 644 "$public"
ok "generated a development ES256 key pair in $dir"
