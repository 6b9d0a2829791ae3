#!/usr/bin/env bash
# A streaming hot standby of the machine's Postgres for the cluster topology
# (`make up-cluster`): pg_basebackup of the primary into .run/pg-standby/, a
# physical replication slot on the primary so that it keeps the WAL the standby
# still needs, and a postgres process of the same version on another port
# (PG_STANDBY_PORT, 5433) that replays it and answers read-only queries.
#   scripts/pg-standby.sh start    prepare the primary once, base backup once, start, wait until it accepts reads
#   scripts/pg-standby.sh stop     stop the standby (it keeps its data and slot; start resumes streaming)
#   scripts/pg-standby.sh destroy  stop, drop the slot on the primary, delete the data (make down)
#   scripts/pg-standby.sh status   one line; exit 3 unless the standby is in recovery and streaming
#   scripts/pg-standby.sh lag      seconds since the last replayed transaction, and bytes behind the primary
# The standby runs as the postgres user (Postgres refuses root).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
_log_tag=pg-standby
load_env

PRIMARY_HOST="${DATABASE_HOST:-127.0.0.1}"
PRIMARY_PORT="${DATABASE_PORT:-5432}"
STANDBY_PORT="${PG_STANDBY_PORT:-5433}"
SUPERUSER="${PG_SUPERUSER:-postgres}"
REPLICATOR=warble_replicator
STATE_DIR="$WARBLE_RUN/pg-standby"
DATA_DIR="$STATE_DIR/data"
SOCKET_DIR="$STATE_DIR/socket"
LOG_FILE="$STATE_DIR/postgres.log"
# One slot per checkout: two clones on one machine must not share (or drop) each other's slot.
SLOT="warble_standby_$(printf '%s' "$WARBLE_ROOT" | md5sum | cut -c1-8)"

# Statements with :'variables' go in on standard input: psql does not interpolate -c.
primary_sql() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$SUPERUSER" -d postgres "$@"; }
standby_sql() { psql -X -q -At -h 127.0.0.1 -p "$STANDBY_PORT" -U "$SUPERUSER" -d postgres "$@"; }
as_postgres() { runuser -u postgres -- "$@"; }

bin_dir() {
  local major
  major="$(primary_sql -c 'SHOW server_version_num')"
  major=$((major / 10000))
  [[ -x "/usr/lib/postgresql/$major/bin/pg_ctl" ]] || die "pg_ctl of Postgres $major not found under /usr/lib/postgresql/$major/bin"
  printf '/usr/lib/postgresql/%s/bin\n' "$major"
}

# The primary needs a role that may stream WAL and a pg_hba line that lets it in from loopback.
prepare_primary() {
  [[ -n "${PG_REPLICATION_PASSWORD:-}" ]] || die "PG_REPLICATION_PASSWORD is not set (see .env.example)"
  primary_sql -v role="$REPLICATOR" -v password="$PG_REPLICATION_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I WITH LOGIN REPLICATION', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN REPLICATION PASSWORD %L', :'role', :'password') \gexec
SQL
  local hba line
  hba="$(primary_sql -c 'SHOW hba_file')"
  line="host replication $REPLICATOR 127.0.0.1/32 scram-sha-256"
  if ! grep -qxF "$line" "$hba"; then
    [[ -w "$hba" ]] || die "$hba is not writable: add the line '$line' and reload Postgres"
    log "allowing streaming replication for $REPLICATOR from 127.0.0.1 in $hba"
    printf '# Warble cluster topology: the standby of scripts/pg-standby.sh streams WAL.\n%s\n' "$line" >>"$hba"
    [[ "$(primary_sql -c 'SELECT pg_reload_conf()')" == t ]] || die "could not reload the primary's configuration"
  fi
}

base_backup() {
  [[ -f "$DATA_DIR/PG_VERSION" ]] && return 0
  log "base backup of $PRIMARY_HOST:$PRIMARY_PORT into $DATA_DIR (slot $SLOT)"
  rm -rf "$DATA_DIR"
  mkdir -p "$STATE_DIR" "$SOCKET_DIR"
  chown postgres:postgres "$STATE_DIR" "$SOCKET_DIR"
  # A slot left by an earlier, deleted standby of this checkout would make -C fail.
  primary_sql -v slot="$SLOT" <<<"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = :'slot' AND NOT active" >/dev/null
  # -R writes standby.signal and primary_conninfo; -C -S creates the slot the standby then streams from.
  as_postgres env PGPASSWORD="$PG_REPLICATION_PASSWORD" "$(bin_dir)/pg_basebackup" \
    -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$REPLICATOR" -D "$DATA_DIR" \
    -R -X stream -C -S "$SLOT" --checkpoint=fast >>"$STATE_DIR/basebackup.log" 2>&1 \
    || { tail -n 20 "$STATE_DIR/basebackup.log" >&2; die "pg_basebackup failed"; }
  # Debian keeps the primary's postgresql.conf and pg_hba.conf under /etc: the standby gets its own.
  as_postgres tee "$DATA_DIR/postgresql.conf" >/dev/null <<CONF
# Hot standby of the Warble cluster topology (scripts/pg-standby.sh).
listen_addresses = '127.0.0.1'
port = $STANDBY_PORT
unix_socket_directories = '$SOCKET_DIR'
max_connections = 100
shared_buffers = 64MB
hot_standby = on
# Tells the primary which rows standby queries still read, so that vacuum on
# the primary does not cancel them.
hot_standby_feedback = on
# A long standby query waits at most this long for replay before it is cancelled.
max_standby_streaming_delay = 5s
CONF
  as_postgres tee "$DATA_DIR/pg_hba.conf" >/dev/null <<'HBA'
# As the machine's primary: trust on loopback only.
local all all trust
host all all 127.0.0.1/32 trust
HBA
}

standby_up() { pg_isready -q -h 127.0.0.1 -p "$STANDBY_PORT" 2>/dev/null; }

cmd_start() {
  require_cmd psql pg_isready runuser md5sum
  if standby_up; then log "standby already accepts connections on 127.0.0.1:$STANDBY_PORT"; return 0; fi
  prepare_primary
  base_backup
  log "starting the standby on 127.0.0.1:$STANDBY_PORT"
  as_postgres "$(bin_dir)/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 start >/dev/null \
    || { tail -n 20 "$LOG_FILE" >&2; die "the standby did not start"; }
  [[ "$(standby_sql -c 'SELECT pg_is_in_recovery()')" == t ]] || die "the server on $STANDBY_PORT is not in recovery"
  ok "standby ready on 127.0.0.1:$STANDBY_PORT, streaming from $PRIMARY_HOST:$PRIMARY_PORT"
}

cmd_stop() {
  if [[ ! -f "$DATA_DIR/postmaster.pid" ]]; then log "the standby is not running"; return 0; fi
  as_postgres "$(bin_dir)/pg_ctl" -D "$DATA_DIR" -m fast -w -t 30 stop >/dev/null || die "the standby did not stop"
  ok "standby stopped"
}

cmd_destroy() {
  if [[ ! -d "$STATE_DIR" ]]; then log "no standby of this checkout"; return 0; fi
  cmd_stop
  # Without its standby the slot would make the primary keep WAL forever.
  primary_sql -v slot="$SLOT" <<<"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = :'slot'" >/dev/null
  rm -rf "$STATE_DIR"
  log "standby data and slot $SLOT removed"
}

cmd_status() {
  if ! standby_up; then echo "pg-standby: stopped"; return 3; fi
  local state
  state="$(primary_sql -v slot="$SLOT" <<<"SELECT COALESCE(r.state, 'not streaming') FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid WHERE s.slot_name = :'slot'")"
  echo "pg-standby: up on 127.0.0.1:$STANDBY_PORT, ${state:-no slot}"
  [[ "$state" == streaming ]] || return 3
}

cmd_lag() {
  standby_up || die "the standby is not running"
  standby_sql -c "SELECT 'replay lag seconds: ' || COALESCE(round(extract(epoch FROM now() - pg_last_xact_replay_timestamp())::numeric, 3)::text, 'none yet')"
  primary_sql -v slot="$SLOT" <<<"SELECT 'bytes behind: ' || COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)::text, 'unknown') FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid WHERE s.slot_name = :'slot'"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  destroy) cmd_destroy ;;
  status) cmd_status ;;
  lag) cmd_lag ;;
  *) echo "usage: $0 {start|stop|destroy|status|lag}" >&2; exit 2 ;;
esac
