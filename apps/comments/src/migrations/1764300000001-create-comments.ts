import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateComments1764300000001 implements MigrationInterface {
  name = 'CreateComments1764300000001';

  async up(runner: QueryRunner): Promise<void> {
    // What comments knows of posts, from posts.events.v1. A post.deleted that
    // arrives first leaves a tombstone, so a late post.created cannot resurrect it.
    await runner.query(`
      CREATE TABLE comments.posts (
        post_id    bigint PRIMARY KEY,
        author_id  bigint,
        deleted_at timestamptz
      )`);
    await runner.query(`
      CREATE TABLE comments.comments (
        id         bigint PRIMARY KEY,
        post_id    bigint      NOT NULL,
        author_id  bigint      NOT NULL,
        text       text        NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    // A post's live comments, oldest first (keyset on id).
    await runner.query('CREATE INDEX comments_post_id_idx ON comments.comments (post_id, id) WHERE deleted_at IS NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE comments.comments');
    await runner.query('DROP TABLE comments.posts');
  }
}
