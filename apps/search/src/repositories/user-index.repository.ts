import { Injectable } from '@nestjs/common';
import type { EventData } from '@app/contracts';
import { DataSource, type EntityManager } from 'typeorm';

export interface IndexedUser {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  createdAt: Date;
}

/** Escapes LIKE wildcards so that a query string is always data. */
export function likePrefix(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

@Injectable()
export class UserIndexRepository {
  constructor(private readonly dataSource: DataSource) {}

  async upsertRegistered(manager: EntityManager, data: EventData<'user.registered'>): Promise<void> {
    await manager.query(
      `INSERT INTO search.users (id, username, display_name, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, display_name = EXCLUDED.display_name, updated_at = now()`,
      [data.userId, data.username, data.displayName, data.createdAt],
    );
  }

  async applyUpdate(manager: EntityManager, data: EventData<'user.updated'>): Promise<void> {
    await manager.query(
      `UPDATE search.users SET username = $2, display_name = $3, bio = $4, updated_at = now() WHERE id = $1`,
      [data.userId, data.username, data.displayName, data.bio],
    );
  }

  /**
   * Users whose username or display name starts with `query`; exact username
   * first, then shorter names. Keyset-paginated on (lower(username), id).
   */
  async findByPrefix(query: string, limit: number, after?: { name: string; id: string }): Promise<IndexedUser[]> {
    return await this.dataSource.query<IndexedUser[]>(
      `SELECT id::text AS id, username, display_name AS "displayName", bio, created_at AS "createdAt"
         FROM search.users
        WHERE (lower(username) LIKE $1 OR lower(display_name) LIKE $1)
          AND ($3::text IS NULL OR (lower(username), id) > ($3::text, $4::bigint))
        ORDER BY lower(username), id
        LIMIT $2`,
      [likePrefix(query), limit, after?.name ?? null, after?.id ?? null],
    );
  }
}
