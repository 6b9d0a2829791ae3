-- Creates the Warble database if missing, then connects to it.
-- Run by scripts/db.sh as the Postgres superuser, connected to database "postgres".
-- Variables: :db (database name, already validated as a plain identifier).

SELECT format('CREATE DATABASE %I', :'db')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')
\gexec

\connect :"db"

-- Nobody but the service roles (granted below, per service) may connect, and
-- nobody may create schemas or temporary tables in the database.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db')
\gexec
-- The public schema is unused: every service works in its own schema.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
