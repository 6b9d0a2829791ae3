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

  /** Authors of a page of posts, in one query. */
  async findByIds(ids: string[]): Promise<Map<string, IndexedUser>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.query<IndexedUser[]>(
      `SELECT id::text AS id, username, display_name AS "displayName", bio, created_at AS "createdAt" FROM search.users WHERE id = ANY($1::bigint[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  /**
   * Users whose username or display name starts with `query` or resembles it
   * (trigram similarity), best match first: exact username, then prefix
   * matches, then by similarity; keyset-paginated on that ranking. Counts and
   * followedByMe are computed for the page only.
   */
  async findRanked(query: string, limit: number, callerId: string | undefined, after?: UserRank): Promise<RankedUser[]> {
    return this.dataSource.query<RankedUser[]>(
      `WITH ranked AS (
         SELECT u.*,
                (lower(u.username) = lower($1))::int AS exact,
                (lower(u.username) LIKE $2 OR lower(u.display_name) LIKE $2)::int AS prefix,
                round(greatest(search.similarity(lower(u.username), lower($1)), search.similarity(lower(u.display_name), lower($1)))::numeric, 4) AS score
           FROM search.users u
          WHERE lower(u.username) LIKE $2 OR lower(u.display_name) LIKE $2
             OR lower(u.username) OPERATOR(search.%) lower($1) OR lower(u.display_name) OPERATOR(search.%) lower($1)
       ), page AS (
         SELECT * FROM ranked
          WHERE $5::int IS NULL OR (exact, prefix, score, -id) < ($5::int, $6::int, $7::numeric, -$8::bigint)
          ORDER BY exact DESC, prefix DESC, score DESC, id
          LIMIT $3
       )
       SELECT p.id::text AS id, p.username, p.display_name AS "displayName", p.bio, p.created_at AS "createdAt",
              p.exact, p.prefix, p.score::text AS score,
              (SELECT count(*) FROM search.follows f WHERE f.followee_id = p.id)::int AS "followersCount",
              (SELECT count(*) FROM search.follows f WHERE f.follower_id = p.id)::int AS "followingCount",
              (SELECT count(*) FROM search.posts x WHERE x.author_id = p.id AND x.deleted_at IS NULL)::int AS "postsCount",
              EXISTS (SELECT 1 FROM search.follows f WHERE f.follower_id = $4::bigint AND f.followee_id = p.id) AS "followedByMe"
         FROM page p
        ORDER BY p.exact DESC, p.prefix DESC, p.score DESC, p.id`,
      [query, likePrefix(query), limit, callerId ?? null, after?.exact ?? null, after?.prefix ?? null, after?.score ?? null, after?.id ?? null],
    );
  }

  async setFollow(manager: EntityManager, followerId: string, followeeId: string, following: boolean): Promise<void> {
    await manager.query(
      following
        ? 'INSERT INTO search.follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING'
        : 'DELETE FROM search.follows WHERE follower_id = $1 AND followee_id = $2',
      [followerId, followeeId],
    );
  }
}

/** Position of a user in a ranked result list: the keyset of the cursor. */
export interface UserRank {
  exact: number;
  prefix: number;
  score: string;
  id: string;
}

export interface RankedUser extends IndexedUser, UserRank {
  followersCount: number;
  followingCount: number;
  postsCount: number;
  followedByMe: boolean;
}
