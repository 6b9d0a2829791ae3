import { Injectable } from '@nestjs/common';
import type { EventData } from '@app/contracts';
import { snowflakeTime } from '@app/platform';
import { DataSource, type EntityManager } from 'typeorm';

/** A public profile with its counters; placeholder rows (no username yet) never come out. */
export interface ProfileRecord {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  createdAt: Date;
  followersCount: number;
  followingCount: number;
  postsCount: number;
}

/** Columns of a ProfileRecord, for queries that alias graph.profiles as `p`. */
export const PROFILE_COLUMNS = `p.id::text AS id, p.username, p.display_name AS "displayName", p.bio, p.created_at AS "createdAt",
  p.followers_count AS "followersCount", p.following_count AS "followingCount", p.posts_count AS "postsCount"`;

/**
 * All SQL on graph.profiles. Counter changes are upserts, so they also work
 * for a user whose user.registered has not arrived yet (a placeholder row).
 */
@Injectable()
export class ProfileRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findByUsername(username: string): Promise<ProfileRecord | undefined> {
    const rows = await this.dataSource.query<ProfileRecord[]>(`SELECT ${PROFILE_COLUMNS} FROM graph.profiles p WHERE lower(p.username) = lower($1)`, [username]);
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

  /**
   * Moves the follow counters of both ends of an edge by `delta`, in one
   * statement that locks the two rows in id order: concurrent follows between
   * the same two users (either direction) cannot deadlock.
   */
  async addFollow(manager: EntityManager, followerId: string, followeeId: string, delta: 1 | -1): Promise<void> {
    await manager.query(
      `INSERT INTO graph.profiles (id, followers_count, following_count)
       SELECT id, followers, following
         FROM (VALUES ($1::bigint, 0, $3::int), ($2::bigint, $3::int, 0)) AS delta (id, followers, following)
        ORDER BY id
       ON CONFLICT (id) DO UPDATE
         SET followers_count = profiles.followers_count + EXCLUDED.followers_count,
             following_count = profiles.following_count + EXCLUDED.following_count`,
      [followerId, followeeId, delta],
    );
  }

  async addPosts(manager: EntityManager, authorId: string, delta: 1 | -1): Promise<void> {
    await manager.query(
      `INSERT INTO graph.profiles (id, posts_count) VALUES ($1, $2)
       ON CONFLICT (id) DO UPDATE SET posts_count = profiles.posts_count + EXCLUDED.posts_count`,
      [authorId, delta],
    );
  }
}
