#!/usr/bin/env bash
# Postgres layout for Warble: one database, one schema + one login role per service.
#   scripts/db.sh setup   create or repair database, roles, schemas, grants (idempotent)
#   scripts/db.sh reset   DROP the database (terminating its sessions) and set it up again
# Runs as the Postgres superuser (PG_SUPERUSER, default postgres) on
# DATABASE_HOST:DATABASE_PORT. Passwords come from <SERVICE>_DB_PASSWORD in .env.
# The SQL lives in scripts/db/*.sql; this script only feeds it variables.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
load_env

SERVICES=(users posts graph search comments)
DB_NAME="${DATABASE_NAME:-warble}"
SQL_DIR="$WARBLE_ROOT/scripts/db"

# Only plain lower-case identifiers: keeps quoting trivial and refuses to touch
# system databases by accident.
[[ "$DB_NAME" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "DATABASE_NAME '$DB_NAME' must be a plain lower-case identifier"
case "$DB_NAME" in postgres | template0 | template1) die "refusing to use system database '$DB_NAME'" ;; esac

superuser_psql() {
  # PGOPTIONS quiets the "already exists, skipping" notices of an idempotent
  # re-run (it also applies after \connect). -X ignores ~/.psqlrc.
  PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" \
    psql -X -q -h "${DATABASE_HOST:-127.0.0.1}" -p "${DATABASE_PORT:-5432}" \
      -U "${PG_SUPERUSER:-postgres}" -v ON_ERROR_STOP=1 "$@"
}

# psql_quote VALUE: a single-quoted psql meta-command argument (backslashes and
# quotes escaped), so any password survives \set unchanged.
psql_quote() {
  local v="${1//\\/\\\\}"
  printf "'%s'" "${v//\'/\'\'}"
}

# The script goes to psql on stdin rather than -v options, so the passwords
# never appear in the process list.
setup_script() {
  local svc role var pw
  printf '\\set db %s\n' "$(psql_quote "$DB_NAME")"
  printf '\\i %s\n' "$(psql_quote "$SQL_DIR/database.sql")"
  for svc in "${SERVICES[@]}"; do
    role="warble_$svc"
    var="${svc^^}_DB_PASSWORD"
    pw="${!var:-}"
    [[ -n "$pw" ]] || die "$var is not set (see .env.example)"
    printf '\\set svc %s\n\\set role %s\n\\set pw %s\n' \
      "$(psql_quote "$svc")" "$(psql_quote "$role")" "$(psql_quote "$pw")"
    printf '\\i %s\n' "$(psql_quote "$SQL_DIR/service.sql")"
  done
  printf '\\unset pw\n'
  printf '\\i %s\n' "$(psql_quote "$SQL_DIR/extensions.sql")"
}

cmd_setup() {
  require_cmd psql
  local script
  # Built first so a missing password stops us before any SQL runs.
  script="$(setup_script)"
  superuser_psql -d postgres <<<"$script"
  ok "database '$DB_NAME' ready: schemas and roles for ${SERVICES[*]}"
}

cmd_reset() {
  require_cmd psql
  warn "dropping database '$DB_NAME' on ${DATABASE_HOST:-127.0.0.1}:${DATABASE_PORT:-5432}"
  # WITH (FORCE) ends open sessions (running apps) instead of failing (PG 13+).
  superuser_psql -d postgres -v db="$DB_NAME" <<'SQL'
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db')
\gexec
SQL
  cmd_setup
}

case "${1:-}" in
  setup) cmd_setup ;;
  reset) cmd_reset ;;
  *) echo "usage: $0 {setup|reset}" >&2; exit 2 ;;
esac
