import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** All SQL on users.user_stats; every change is an upsert of a delta. */
@Injectable()
export class UserStatsRepository {
  /** Both ends of a follow edge, locked in id order so that concurrent handlers cannot deadlock. */
  async addFollow(manager: EntityManager, followerId: string, followeeId: string, delta: 1 | -1): Promise<void> {
    await manager.query(
      `INSERT INTO users.user_stats (user_id, followers_count, following_count)
       SELECT id, followers, following
         FROM (VALUES ($1::bigint, 0, $3::int), ($2::bigint, $3::int, 0)) AS delta (id, followers, following)
        ORDER BY id
       ON CONFLICT (user_id) DO UPDATE
         SET followers_count = user_stats.followers_count + EXCLUDED.followers_count,
             following_count = user_stats.following_count + EXCLUDED.following_count`,
      [followerId, followeeId, delta],
    );
  }

  async addPosts(manager: EntityManager, authorId: string, delta: 1 | -1): Promise<void> {
    await manager.query(
      `INSERT INTO users.user_stats (user_id, posts_count) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET posts_count = user_stats.posts_count + EXCLUDED.posts_count`,
      [authorId, delta],
    );
  }
}
