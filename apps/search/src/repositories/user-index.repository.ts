import { Injectable } from '@nestjs/common';
import type { EventData } from '@app/contracts';
import { DatabaseReads } from '@app/platform';
import type { EntityManager } from 'typeorm';

export interface IndexedUser {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  createdAt: Date;
}

/**
 * Names and queries are compared folded: lower-cased and without diacritics
 * (docs/architecture.md, "Search"). The user indexes are built on exactly
 * these expressions, so queries must spell them the same way.
 */
const fold = (sql: string) => `lower(search.immutable_unaccent(${sql}))`;
const FOLDED_QUERY = fold('$1');
// The folded query as a LIKE prefix, its wildcards escaped (unaccent turns
// the full-width forms of percent, underscore and backslash into those). Immutable, so
// Postgres computes it once at planning time and the prefix index applies.
const FOLDED_PREFIX = String.raw`replace(replace(replace(${FOLDED_QUERY}, '\', '\\'), '%', '\%'), '_', '\_') || '%'`;
const USERNAME = fold('u.username');
const DISPLAY_NAME = fold('u.display_name');

@Injectable()
export class UserIndexRepository {
  // Searches may lag: the standby serves them when there is one (docs/scaling.md, "Postgres standby").
  constructor(private readonly reads: DatabaseReads) {}

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
    const rows = await this.reads.query<IndexedUser[]>(
      `SELECT id::text AS id, username, display_name AS "displayName", bio, created_at AS "createdAt" FROM search.users WHERE id = ANY($1::bigint[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  /**
   * Users whose username or display name starts with `query` or resembles it
   * (trigram similarity), compared folded (case and diacritics), best match first: exact username, then prefix
   * matches, then by similarity; keyset-paginated on that ranking. Counts and
   * followedByMe are computed for the page only.
   */
  async findRanked(query: string, limit: number, callerId: string | undefined, after?: UserRank): Promise<RankedUser[]> {
    return this.reads.query<RankedUser[]>(
      `WITH ranked AS (
         SELECT u.*,
                (${USERNAME} = ${FOLDED_QUERY})::int AS exact,
                (${USERNAME} LIKE ${FOLDED_PREFIX} OR ${DISPLAY_NAME} LIKE ${FOLDED_PREFIX})::int AS prefix,
                round(greatest(search.similarity(${USERNAME}, ${FOLDED_QUERY}), search.similarity(${DISPLAY_NAME}, ${FOLDED_QUERY}))::numeric, 4) AS score
           FROM search.users u
          WHERE ${USERNAME} LIKE ${FOLDED_PREFIX} OR ${DISPLAY_NAME} LIKE ${FOLDED_PREFIX}
             OR ${USERNAME} OPERATOR(search.%) ${FOLDED_QUERY} OR ${DISPLAY_NAME} OPERATOR(search.%) ${FOLDED_QUERY}
       ), page AS (
         SELECT * FROM ranked
          WHERE $4::int IS NULL OR (exact, prefix, score, -id) < ($4::int, $5::int, $6::numeric, -$7::bigint)
          ORDER BY exact DESC, prefix DESC, score DESC, id
          LIMIT $2
       )
       SELECT p.id::text AS id, p.username, p.display_name AS "displayName", p.bio, p.created_at AS "createdAt",
              p.exact, p.prefix, p.score::text AS score,
              (SELECT count(*) FROM search.follows f WHERE f.followee_id = p.id)::int AS "followersCount",
              (SELECT count(*) FROM search.follows f WHERE f.follower_id = p.id)::int AS "followingCount",
              (SELECT count(*) FROM search.posts x WHERE x.author_id = p.id AND x.deleted_at IS NULL)::int AS "postsCount",
              EXISTS (SELECT 1 FROM search.follows f WHERE f.follower_id = $3::bigint AND f.followee_id = p.id) AS "followedByMe"
         FROM page p
        ORDER BY p.exact DESC, p.prefix DESC, p.score DESC, p.id`,
      [query, limit, callerId ?? null, after?.exact ?? null, after?.prefix ?? null, after?.score ?? null, after?.id ?? null],
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
