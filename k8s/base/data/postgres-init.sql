-- Run once by CloudNativePG when it creates the cluster (bootstrap.initdb.
-- postInitApplicationSQLRefs), as the superuser, connected to database warble.
-- The Kubernetes counterpart of scripts/db/*.sql: one schema per service owned
-- by its own role, nothing for PUBLIC, search_path per role (TypeORM does not
-- set it, typeorm#6734). The roles are created without login here; the
-- Cluster's managed roles then give them LOGIN and the password from their
-- secret (warble-db-<service>), and keep it in sync.
-- Plain SQL only: CloudNativePG does not run psql meta-commands.

REVOKE ALL ON DATABASE warble FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;

CREATE ROLE warble_users NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
CREATE ROLE warble_posts NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
CREATE ROLE warble_graph NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
CREATE ROLE warble_search NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
CREATE ROLE warble_comments NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;

CREATE SCHEMA users AUTHORIZATION warble_users;
CREATE SCHEMA posts AUTHORIZATION warble_posts;
CREATE SCHEMA graph AUTHORIZATION warble_graph;
CREATE SCHEMA search AUTHORIZATION warble_search;
CREATE SCHEMA comments AUTHORIZATION warble_comments;

REVOKE ALL ON SCHEMA users FROM PUBLIC;
REVOKE ALL ON SCHEMA posts FROM PUBLIC;
REVOKE ALL ON SCHEMA graph FROM PUBLIC;
REVOKE ALL ON SCHEMA search FROM PUBLIC;
REVOKE ALL ON SCHEMA comments FROM PUBLIC;

ALTER ROLE warble_users IN DATABASE warble SET search_path = users;
ALTER ROLE warble_posts IN DATABASE warble SET search_path = posts;
ALTER ROLE warble_graph IN DATABASE warble SET search_path = graph;
ALTER ROLE warble_search IN DATABASE warble SET search_path = search;
ALTER ROLE warble_comments IN DATABASE warble SET search_path = comments;

GRANT CONNECT ON DATABASE warble TO warble_users, warble_posts, warble_graph, warble_search, warble_comments;

-- Full-text search extensions in the search schema (its role cannot create them).
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA search;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA search;
