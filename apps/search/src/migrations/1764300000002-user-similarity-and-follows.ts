import type { MigrationInterface, QueryRunner } from 'typeorm';

export class UserSimilarityAndFollows1764300000002 implements MigrationInterface {
  name = 'UserSimilarityAndFollows1764300000002';

  async up(runner: QueryRunner): Promise<void> {
    // Trigram indexes for "closely resembles" (pg_trgm lives in the search schema).
    await runner.query('CREATE INDEX users_username_trgm_idx ON search.users USING gin (lower(username) search.gin_trgm_ops)');
    await runner.query('CREATE INDEX users_display_name_trgm_idx ON search.users USING gin (lower(display_name) search.gin_trgm_ops)');
    // Follow edges, so user results carry counts and followedByMe like every other User.
    await runner.query(`
      CREATE TABLE search.follows (
        follower_id bigint NOT NULL,
        followee_id bigint NOT NULL,
        PRIMARY KEY (follower_id, followee_id)
      )`);
    await runner.query('CREATE INDEX follows_followee_idx ON search.follows (followee_id)');
    await runner.query('CREATE INDEX posts_author_live_idx ON search.posts (author_id) WHERE deleted_at IS NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX search.posts_author_live_idx');
    await runner.query('DROP TABLE search.follows');
    await runner.query('DROP INDEX search.users_display_name_trgm_idx');
    await runner.query('DROP INDEX search.users_username_trgm_idx');
  }
}
