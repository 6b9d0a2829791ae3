import { Injectable } from '@nestjs/common';
import type { UserProfile } from '@app/api';
import type { EventData } from '@app/contracts';
import { UserCounters } from '@app/domain';
import { DatabaseReads, type ReadPreference, snowflakeTime } from '@app/platform';
import type { EntityManager } from 'typeorm';

/** A public profile with its counters; placeholder rows (no username yet) never come out. */
export type ProfileRecord = UserProfile;

/** Columns of a ProfileRecord, for queries that alias graph.profiles as `p`. */
export const PROFILE_COLUMNS = `p.id::text AS id, p.username, p.display_name AS "displayName", p.bio, p.created_at AS "createdAt",
  p.followers_count AS "followersCount", p.following_count AS "followingCount", p.posts_count AS "postsCount"`;

/**
 * All SQL on graph.profiles. The counter changes (addFollow, addPosts) are the
 * shared UserCounters upserts, so they also work for a user whose
 * user.registered has not arrived yet (a placeholder row).
 */
@Injectable()
export class ProfileRepository extends UserCounters {
  constructor(private readonly reads: DatabaseReads) {
    super({ table: 'graph.profiles', key: 'id' });
  }

  /** `lag-tolerant` for the public profile; a write's lookup of its target reads the primary. */
  async findByUsername(username: string, preference: ReadPreference = 'primary'): Promise<ProfileRecord | undefined> {
    const rows = await this.reads.query<ProfileRecord[]>(`SELECT ${PROFILE_COLUMNS} FROM graph.profiles p WHERE lower(p.username) = lower($1)`, [username], preference);
    return rows[0];
  }

  async upsertRegistered(manager: EntityManager, data: EventData<'user.registered'>): Promise<void> {
    await manager.query(
      `INSERT INTO graph.profiles (id, username, display_name, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE
         SET username = EXCLUDED.username, display_name = EXCLUDED.display_name, created_at = EXCLUDED.created_at, updated_at = now()`,
      [data.userId, data.username, data.displayName, data.createdAt],
    );
  }

  /** Also creates the profile if user.registered was never seen (it carries all but the exact creation time). */
  async applyUpdated(manager: EntityManager, data: EventData<'user.updated'>): Promise<void> {
    await manager.query(
      `INSERT INTO graph.profiles (id, username, display_name, bio, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE
         SET username = EXCLUDED.username, display_name = EXCLUDED.display_name, bio = EXCLUDED.bio,
             created_at = COALESCE(profiles.created_at, EXCLUDED.created_at), updated_at = now()`,
      [data.userId, data.username, data.displayName, data.bio, snowflakeTime(data.userId)],
    );
  }
}
