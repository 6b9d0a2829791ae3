import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Follow edges: one row per (follower, followee), its id a Snowflake so lists page by `id < cursor`. */
export class CreateFollows1764400000000 implements MigrationInterface {
  name = 'CreateFollows1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    // The unique pair makes a follow idempotent under concurrency (INSERT … ON CONFLICT DO NOTHING).
    await runner.query(`
      CREATE TABLE graph.follows (
        id          bigint PRIMARY KEY,
        follower_id bigint      NOT NULL,
        followee_id bigint      NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT follows_pair_key UNIQUE (follower_id, followee_id),
        CONSTRAINT follows_not_self CHECK (follower_id <> followee_id)
      )`);
    // "Followers of X, newest follow first" and "following of X, newest first", keyset on id.
    await runner.query('CREATE INDEX follows_followee_idx ON graph.follows (followee_id, id DESC)');
    await runner.query('CREATE INDEX follows_follower_idx ON graph.follows (follower_id, id DESC)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE graph.follows');
  }
}
