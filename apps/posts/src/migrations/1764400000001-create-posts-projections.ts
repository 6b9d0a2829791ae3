import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What posts learns from other services' events: follow edges and comment counts. */
export class CreatePostsProjections1764400000001 implements MigrationInterface {
  name = 'CreatePostsProjections1764400000001';

  async up(runner: QueryRunner): Promise<void> {
    // Follow edges from graph.events.v1; the reverse index serves the fan-out (followers of an author).
    await runner.query(`
      CREATE TABLE posts.follows (
        follower_id bigint      NOT NULL,
        followee_id bigint      NOT NULL,
        created_at  timestamptz NOT NULL,
        PRIMARY KEY (follower_id, followee_id)
      )`);
    await runner.query('CREATE INDEX follows_followee_idx ON posts.follows (followee_id, follower_id)');
    // Kept in step with posts.follows in the same transaction: decides who is a celebrity without a count(*).
    await runner.query(`
      CREATE TABLE posts.follower_counts (
        user_id   bigint  PRIMARY KEY,
        followers integer NOT NULL CHECK (followers >= 0)
      )`);
    await runner.query('CREATE INDEX follower_counts_followers_idx ON posts.follower_counts (followers)');
    // Every comment counted once; a delete that came first leaves a tombstone so a late create is not counted.
    await runner.query(`
      CREATE TABLE posts.counted_comments (
        comment_id bigint  PRIMARY KEY,
        post_id    bigint  NOT NULL,
        deleted    boolean NOT NULL DEFAULT false
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE posts.counted_comments');
    await runner.query('DROP TABLE posts.follower_counts');
    await runner.query('DROP TABLE posts.follows');
  }
}
