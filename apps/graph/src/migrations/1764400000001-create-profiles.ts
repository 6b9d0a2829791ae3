import { createUserDirectoryTable } from '@app/domain';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The public profile read model that graph serves (User objects with counts),
 * replacing the generic user directory, and the record of counted posts.
 */
export class CreateProfiles1764400000001 implements MigrationInterface {
  name = 'CreateProfiles1764400000001';

  async up(runner: QueryRunner): Promise<void> {
    // A row without username is a placeholder: it holds counters of a user whose
    // user.registered has not arrived yet (events of different topics race).
    await runner.query(`
      CREATE TABLE graph.profiles (
        id              bigint PRIMARY KEY,
        username        text,
        display_name    text,
        bio             text        NOT NULL DEFAULT '',
        created_at      timestamptz,
        followers_count integer     NOT NULL DEFAULT 0,
        following_count integer     NOT NULL DEFAULT 0,
        posts_count     integer     NOT NULL DEFAULT 0,
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query('CREATE UNIQUE INDEX profiles_username_key ON graph.profiles (lower(username))');
    // Users already seen keep working. The directory has no bio (the next user.updated
    // brings it) nor created_at, which the Snowflake id encodes (ms since 2026-01-01 in bits 22+).
    await runner.query(`
      INSERT INTO graph.profiles (id, username, display_name, created_at)
      SELECT id, username, display_name, to_timestamp(((id >> 22) + 1767225600000) / 1000.0)
        FROM graph.user_directory`);
    await runner.query('DROP TABLE graph.user_directory');

    // One row per post ever counted; deleted_at set on delete. A delete seen before its
    // create leaves a tombstone, so duplicates and late events cannot skew posts_count.
    await runner.query(`
      CREATE TABLE graph.counted_posts (
        post_id    bigint PRIMARY KEY,
        author_id  bigint      NOT NULL,
        deleted_at timestamptz
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE graph.counted_posts');
    await createUserDirectoryTable(runner, 'graph');
    await runner.query(`
      INSERT INTO graph.user_directory (id, username, display_name)
      SELECT id, username, display_name FROM graph.profiles WHERE username IS NOT NULL`);
    await runner.query('DROP TABLE graph.profiles');
  }
}
