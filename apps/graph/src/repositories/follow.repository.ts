import { Injectable } from '@nestjs/common';
import { DatabaseReads } from '@app/platform';
import type { EntityManager } from 'typeorm';
import { PROFILE_COLUMNS, type ProfileRecord } from './profile.repository.js';

/** A profile on a followers/following page, with the edge id that pages are keyed on. */
export interface FollowListRow extends ProfileRecord {
  followId: string;
}

export interface FollowChange {
  followId: string;
  at: Date;
}

/** Which end of the edges a list walks. */
export type FollowDirection = 'followers' | 'following';

/** Per direction: the column that must equal the user, and the one joined to the listed profiles. */
const LIST_COLUMNS: Record<FollowDirection, { owner: string; listed: string }> = {
  followers: { owner: 'followee_id', listed: 'follower_id' },
  following: { owner: 'follower_id', listed: 'followee_id' },
};

/**
 * All SQL on graph.follows. Writes take the transaction's manager; the lists
 * and followedByMe may lag, so the standby serves them when there is one
 * (docs/scaling.md, "Postgres standby").
 */
@Injectable()
export class FollowRepository {
  constructor(private readonly reads: DatabaseReads) {}

  /** Inserts the edge; undefined when it already existed (then nothing changed). */
  async insert(manager: EntityManager, edge: { id: string; followerId: string; followeeId: string }): Promise<FollowChange | undefined> {
    const rows = await manager.query<FollowChange[]>(
      `INSERT INTO graph.follows (id, follower_id, followee_id) VALUES ($1, $2, $3)
       ON CONFLICT (follower_id, followee_id) DO NOTHING
       RETURNING id::text AS "followId", created_at AS at`,
      [edge.id, edge.followerId, edge.followeeId],
    );
    return rows[0];
  }

  /** Deletes the edge; undefined when there was none (then nothing changed). */
  async delete(manager: EntityManager, followerId: string, followeeId: string): Promise<FollowChange | undefined> {
    const rows = await manager.query<FollowChange[]>(
      // Wrapped in a CTE: TypeORM returns [rows, count] for a bare DELETE … RETURNING.
      `WITH deleted AS (
         DELETE FROM graph.follows WHERE follower_id = $1 AND followee_id = $2 RETURNING id)
       SELECT id::text AS "followId", now() AS at FROM deleted`,
      [followerId, followeeId],
    );
    return rows[0];
  }

  /**
   * One page of a user's followers or followees with their profiles, newest
   * follow first, in one query: `limit` rows with edge id below `beforeId`.
   */
  async list(direction: FollowDirection, userId: string, limit: number, beforeId?: string): Promise<FollowListRow[]> {
    const { owner, listed } = LIST_COLUMNS[direction];
    return await this.reads.query<FollowListRow[]>(
      `SELECT f.id::text AS "followId", ${PROFILE_COLUMNS}
         FROM graph.follows f
         JOIN graph.profiles p ON p.id = f.${listed}
        WHERE f.${owner} = $1 AND ($2::bigint IS NULL OR f.id < $2) AND p.username IS NOT NULL
        ORDER BY f.id DESC
        LIMIT $3`,
      [userId, beforeId ?? null, limit],
    );
  }

  /** Which of `userIds` the follower follows: one query for a whole page. */
  async followedAmong(followerId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.reads.query<{ id: string }[]>(
      'SELECT followee_id::text AS id FROM graph.follows WHERE follower_id = $1 AND followee_id = ANY($2::bigint[])',
      [followerId, userIds],
    );
    return new Set(rows.map((row) => row.id));
  }
}
