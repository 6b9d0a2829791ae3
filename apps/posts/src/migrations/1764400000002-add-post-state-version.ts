import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Redis copy of a post's counts and deletion takes a state only if it is
 * newer: every change bumps state_version in the same statement. Readers'
 * liked sets are loaded by user. (IF NOT EXISTS: development databases got
 * these by hand before this migration existed.)
 */
export class AddPostStateVersion1764400000002 implements MigrationInterface {
  name = 'AddPostStateVersion1764400000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE posts.posts ADD COLUMN IF NOT EXISTS state_version bigint NOT NULL DEFAULT 0');
    await runner.query('CREATE INDEX IF NOT EXISTS likes_user_idx ON posts.likes (user_id, post_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX posts.likes_user_idx');
    await runner.query('ALTER TABLE posts.posts DROP COLUMN state_version');
  }
}
