-- Extensions for full-text search, installed by the superuser into the schema
-- of the search service (its role cannot create extensions itself).
-- Run connected to the Warble database after service.sql created schema "search".

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA search;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA search;
