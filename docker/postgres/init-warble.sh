#!/usr/bin/env bash
# Postgres container init (docker-entrypoint-initdb.d): the same database,
# roles, schemas and grants as scripts/db.sh setup, from the same SQL files
# (scripts/db/*.sql, mounted at /warble-sql). Runs once, on an empty data
# directory, as the superuser; passwords come from <SERVICE>_DB_PASSWORD.
set -euo pipefail

SQL_DIR=/warble-sql
DB_NAME="${WARBLE_DB_NAME:-warble}"

quote() { # a single-quoted psql meta-command argument
  local v="${1//\\/\\\\}"
  printf "'%s'" "${v//\'/\'\'}"
}

{
  printf '\\set db %s\n' "$(quote "$DB_NAME")"
  printf '\\i %s\n' "$(quote "$SQL_DIR/database.sql")"
  for svc in users posts graph search comments; do
    var="${svc^^}_DB_PASSWORD"
    pw="${!var:-}"
    [[ -n "$pw" ]] || { echo "init-warble: $var is not set" >&2; exit 1; }
    printf '\\set svc %s\n\\set role %s\n\\set pw %s\n' "$(quote "$svc")" "$(quote "warble_$svc")" "$(quote "$pw")"
    printf '\\i %s\n' "$(quote "$SQL_DIR/service.sql")"
  done
  printf '\\unset pw\n'
  printf '\\i %s\n' "$(quote "$SQL_DIR/extensions.sql")"
} | psql -X -q -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres
echo "init-warble: database $DB_NAME with schemas users posts graph search comments"
