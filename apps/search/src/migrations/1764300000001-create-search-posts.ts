import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSearchPosts1764300000001 implements MigrationInterface {
  name = 'CreateSearchPosts1764300000001';

  async up(runner: QueryRunner): Promise<void> {
    // One document per post, indexed three ways: English and Russian stemming
    // for word forms, and 'simple' so any other script still matches as words.
    await runner.query(`
      CREATE TABLE search.posts (
        id            bigint PRIMARY KEY,
        author_id     bigint      NOT NULL,
        text          text        NOT NULL,
        hashtags      text[]      NOT NULL DEFAULT '{}',
        mentions      text[]      NOT NULL DEFAULT '{}',
        created_at    timestamptz NOT NULL,
        like_count    integer     NOT NULL DEFAULT 0,
        comment_count integer     NOT NULL DEFAULT 0,
        deleted_at    timestamptz,
        document      tsvector GENERATED ALWAYS AS (
          to_tsvector('english'::regconfig, text) || to_tsvector('russian'::regconfig, text) || to_tsvector('simple'::regconfig, text)
        ) STORED
      )`);
    await runner.query('CREATE INDEX posts_document_idx ON search.posts USING gin (document) WHERE deleted_at IS NULL');
    await runner.query('CREATE INDEX posts_hashtags_idx ON search.posts USING gin (hashtags) WHERE deleted_at IS NULL');
    // Likes and comments are kept as sets, and counts recomputed from them, so
    // duplicates and cross-topic arrival order cannot skew a count.
    await runner.query(`
      CREATE TABLE search.post_likes (
        post_id bigint NOT NULL,
        user_id bigint NOT NULL,
        PRIMARY KEY (post_id, user_id)
      )`);
    await runner.query(`
      CREATE TABLE search.post_comments (
        comment_id bigint PRIMARY KEY,
        post_id    bigint  NOT NULL,
        deleted    boolean NOT NULL DEFAULT false
      )`);
    await runner.query('CREATE INDEX post_comments_post_idx ON search.post_comments (post_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE search.post_comments');
    await runner.query('DROP TABLE search.post_likes');
    await runner.query('DROP TABLE search.posts');
  }
}
