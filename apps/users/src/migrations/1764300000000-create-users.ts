import { createMessagingTables, dropMessagingTables } from '@app/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1764300000000 implements MigrationInterface {
  name = 'CreateUsers1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await createMessagingTables(runner, 'users');
    await runner.query(`
      CREATE TABLE users.users (
        id            bigint PRIMARY KEY,
        username      text        NOT NULL,
        email         text        NOT NULL,
        password_hash text        NOT NULL,
        display_name  text        NOT NULL,
        bio           text        NOT NULL DEFAULT '',
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    // Uniqueness is case-insensitive and enforced by the database, so two
    // concurrent registrations of one name cannot both succeed.
    await runner.query('CREATE UNIQUE INDEX users_username_key ON users.users (lower(username))');
    await runner.query('CREATE UNIQUE INDEX users_email_key ON users.users (lower(email))');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE users.users');
    await dropMessagingTables(runner, 'users');
  }
}
