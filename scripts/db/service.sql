-- One service's login role and schema. Included once per service by
-- scripts/db.sh, connected to the Warble database as the superuser.
-- Variables: :db, :svc (schema name), :role (login role), :pw (password).
-- Idempotent: re-running re-applies the password, attributes and grants.

SELECT format('CREATE ROLE %I LOGIN', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')
\gexec

-- Re-applied every time so a changed password in .env takes effect and a
-- manually widened role is narrowed again.
SELECT format(
  'ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD %L',
  :'role', :'pw')
\gexec

SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', :'svc', :'role')
\gexec
-- Covers a schema that existed before its role did.
SELECT format('ALTER SCHEMA %I OWNER TO %I', :'svc', :'role')
\gexec
-- Only the owner uses the schema: no other role gets rights on it.
SELECT format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', :'svc')
\gexec

-- TypeORM's "schema" option does not set search_path (typeorm#6734).
SELECT format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', :'role', :'db', :'svc')
\gexec

SELECT format('GRANT CONNECT ON DATABASE %I TO %I', :'db', :'role')
\gexec
