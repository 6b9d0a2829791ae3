import { createMessagingTables, dropMessagingTables } from '@app/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSearchUsers1764300000000 implements MigrationInterface {
  name = 'CreateSearchUsers1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await createMessagingTables(runner, 'search');
    await runner.query(`
      CREATE TABLE search.users (
        id           bigint PRIMARY KEY,
        username     text        NOT NULL,
        display_name text        NOT NULL,
        bio          text        NOT NULL DEFAULT '',
        created_at   timestamptz NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    // Prefix search on lower-cased names uses these (text_pattern_ops: LIKE 'abc%').
    await runner.query('CREATE INDEX users_username_prefix_idx ON search.users (lower(username) text_pattern_ops)');
    await runner.query('CREATE INDEX users_display_name_prefix_idx ON search.users (lower(display_name) text_pattern_ops)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE search.users');
    await dropMessagingTables(runner, 'search');
  }
}
