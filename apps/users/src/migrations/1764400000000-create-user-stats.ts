import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counts shown on the caller's own profile, learned from graph and posts
 * events. Apart from users.users so that frequent counter updates do not
 * rewrite the account rows; a missing row means all zero.
 */
export class CreateUserStats1764400000000 implements MigrationInterface {
  name = 'CreateUserStats1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE users.user_stats (
        user_id         bigint PRIMARY KEY,
        followers_count integer NOT NULL DEFAULT 0,
        following_count integer NOT NULL DEFAULT 0,
        posts_count     integer NOT NULL DEFAULT 0
      )`);
    // Which posts are in posts_count (deleted_at set on delete; a delete seen first
    // leaves a tombstone), so duplicates and late events cannot skew the count.
    await runner.query(`
      CREATE TABLE users.counted_posts (
        post_id    bigint PRIMARY KEY,
        author_id  bigint      NOT NULL,
        deleted_at timestamptz
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE users.counted_posts');
    await runner.query('DROP TABLE users.user_stats');
  }
}
