import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Posts and likes, owned by this service. */
export class CreatePosts1764400000000 implements MigrationInterface {
  name = 'CreatePosts1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE posts.posts (
        id            bigint PRIMARY KEY,
        author_id     bigint      NOT NULL,
        text          text        NOT NULL,
        hashtags      text[]      NOT NULL DEFAULT '{}',
        mentions      text[]      NOT NULL DEFAULT '{}',
        created_at    timestamptz NOT NULL DEFAULT now(),
        deleted_at    timestamptz,
        like_count    integer     NOT NULL DEFAULT 0 CHECK (like_count >= 0),
        comment_count integer     NOT NULL DEFAULT 0 CHECK (comment_count >= 0)
      )`);
    // Author timelines, feed rebuilds and the celebrity merge all read newest first per author.
    await runner.query('CREATE INDEX posts_author_id_idx ON posts.posts (author_id, id DESC)');
    await runner.query(`
      CREATE TABLE posts.likes (
        post_id    bigint      NOT NULL REFERENCES posts.posts (id),
        user_id    bigint      NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (post_id, user_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE posts.likes');
    await runner.query('DROP TABLE posts.posts');
  }
}
