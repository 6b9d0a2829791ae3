import { Inject, Injectable } from '@nestjs/common';
import type { EventData } from '@app/contracts';
import type { QueryRunner } from 'typeorm';
import { DataSource } from 'typeorm';
import { DB_SCHEMA, type Transaction } from '@app/platform';

/** What other services need to know of a user: enough to show an author and resolve a username. */
export interface DirectoryUser {
  id: string;
  username: string;
  displayName: string;
}

/**
 * A service's own copy of the user directory, built from users.events.v1
 * (services never call users; docs/architecture.md, "Services and data
 * ownership"). Used by posts and comments, each in its own schema.
 */
@Injectable()
export class UserDirectory {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(DB_SCHEMA) private readonly schema: string,
  ) {}

  /** Upsert from `user.registered` / `user.updated`. */
  async apply(data: EventData<'user.registered'> | EventData<'user.updated'>, tx: Transaction): Promise<void> {
    await tx.manager.query(
      `INSERT INTO "${this.schema}".user_directory (id, username, display_name)
       VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, display_name = EXCLUDED.display_name, updated_at = now()`,
      [data.userId, data.username, data.displayName],
    );
  }

  async findByUsername(username: string): Promise<DirectoryUser | undefined> {
    const rows = await this.dataSource.query<DirectoryUser[]>(
      `SELECT id::text AS id, username, display_name AS "displayName" FROM "${this.schema}".user_directory WHERE lower(username) = lower($1)`,
      [username],
    );
    return rows[0];
  }

  /** One query for many ids (no N+1 when hydrating a page). */
  async findByIds(ids: string[]): Promise<Map<string, DirectoryUser>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.query<DirectoryUser[]>(
      `SELECT id::text AS id, username, display_name AS "displayName" FROM "${this.schema}".user_directory WHERE id = ANY($1::bigint[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }
}

export async function createUserDirectoryTable(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`
    CREATE TABLE "${schema}".user_directory (
      id           bigint PRIMARY KEY,
      username     text        NOT NULL,
      display_name text        NOT NULL,
      updated_at   timestamptz NOT NULL DEFAULT now()
    )`);
  await runner.query(`CREATE UNIQUE INDEX user_directory_username_key ON "${schema}".user_directory (lower(username))`);
}
