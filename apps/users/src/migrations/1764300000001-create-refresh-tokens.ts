import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRefreshTokens1764300000001 implements MigrationInterface {
  name = 'CreateRefreshTokens1764300000001';

  async up(runner: QueryRunner): Promise<void> {
    // Only a SHA-256 of each refresh token is stored; a database leak yields no usable token.
    await runner.query(`
      CREATE TABLE users.refresh_tokens (
        id          bigint PRIMARY KEY,
        family_id   bigint      NOT NULL,
        user_id     bigint      NOT NULL REFERENCES users.users (id) ON DELETE CASCADE,
        token_hash  bytea       NOT NULL UNIQUE,
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz,
        revoked_at  timestamptz,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query('CREATE INDEX refresh_tokens_family_idx ON users.refresh_tokens (family_id)');
    await runner.query('CREATE INDEX refresh_tokens_expires_idx ON users.refresh_tokens (expires_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE users.refresh_tokens');
  }
}
