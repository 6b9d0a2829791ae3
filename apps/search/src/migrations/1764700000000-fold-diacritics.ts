import type { MigrationInterface, QueryRunner } from 'typeorm';

const POST_DOCUMENT = (fold: (column: string) => string) =>
  `to_tsvector('english'::regconfig, ${fold('text')}) || to_tsvector('russian'::regconfig, ${fold('text')}) || to_tsvector('simple'::regconfig, ${fold('text')})`;

/**
 * Search folds diacritics ("Ångström" ~ "angstrom", "café" ~ "cafe"; see
 * docs/architecture.md, "Search"). unaccent() itself is only STABLE (its
 * dictionary could change), so indexes and generated columns cannot use it:
 * an IMMUTABLE wrapper names the function and its dictionary by schema, so it
 * means the same whatever the caller's search_path. Rebuilding the posts'
 * document column and the name indexes re-indexes every existing row.
 */
export class FoldDiacritics1764700000000 implements MigrationInterface {
  name = 'FoldDiacritics1764700000000';

  async up(runner: QueryRunner): Promise<void> {
    // A SQL-standard body is parsed now: both names resolve once, to the search schema's unaccent.
    await runner.query(`
      CREATE FUNCTION search.immutable_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN search.unaccent('search.unaccent'::regdictionary, $1)`);

    await runner.query('DROP INDEX search.users_username_prefix_idx, search.users_display_name_prefix_idx, search.users_username_trgm_idx, search.users_display_name_trgm_idx');
    for (const column of ['username', 'display_name']) {
      const folded = `lower(search.immutable_unaccent(${column}))`;
      await runner.query(`CREATE INDEX users_${column}_prefix_idx ON search.users (${folded} text_pattern_ops)`);
      await runner.query(`CREATE INDEX users_${column}_trgm_idx ON search.users USING gin (${folded} search.gin_trgm_ops)`);
    }

    // PostgreSQL 15 cannot change a generated column's expression: drop and add it again (rewrites the table).
    await runner.query('ALTER TABLE search.posts DROP COLUMN document');
    await runner.query(
      `ALTER TABLE search.posts ADD COLUMN document tsvector GENERATED ALWAYS AS (${POST_DOCUMENT((column) => `search.immutable_unaccent(${column})`)}) STORED`,
    );
    await runner.query('CREATE INDEX posts_document_idx ON search.posts USING gin (document) WHERE deleted_at IS NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE search.posts DROP COLUMN document');
    await runner.query(`ALTER TABLE search.posts ADD COLUMN document tsvector GENERATED ALWAYS AS (${POST_DOCUMENT((column) => column)}) STORED`);
    await runner.query('CREATE INDEX posts_document_idx ON search.posts USING gin (document) WHERE deleted_at IS NULL');
    await runner.query('DROP INDEX search.users_username_prefix_idx, search.users_display_name_prefix_idx, search.users_username_trgm_idx, search.users_display_name_trgm_idx');
    for (const column of ['username', 'display_name']) {
      await runner.query(`CREATE INDEX users_${column}_prefix_idx ON search.users (lower(${column}) text_pattern_ops)`);
      await runner.query(`CREATE INDEX users_${column}_trgm_idx ON search.users USING gin (lower(${column}) search.gin_trgm_ops)`);
    }
    await runner.query('DROP FUNCTION search.immutable_unaccent(text)');
  }
}
