import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * posts' projection of the follow graph (from graph.events.v1) and each
 * author's follower count, which decides who is a celebrity.
 */
@Injectable()
export class FollowRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds the edge; returns the followee's new follower count, or undefined if the edge existed. */
  async add(manager: EntityManager, followerId: string, followeeId: string, at: string): Promise<number | undefined> {
    const rows = await manager.query<{ followers: number }[]>(
      `WITH edge AS (
         INSERT INTO posts.follows (follower_id, followee_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING followee_id),
       counted AS (
         INSERT INTO posts.follower_counts (user_id, followers) SELECT followee_id, 1 FROM edge
         ON CONFLICT (user_id) DO UPDATE SET followers = posts.follower_counts.followers + 1
         RETURNING followers)
       SELECT followers FROM counted`,
      [followerId, followeeId, at],
    );
    return rows[0]?.followers;
  }

  /** Removes the edge; returns the followee's new follower count, or undefined if there was no edge. */
  async remove(manager: EntityManager, followerId: string, followeeId: string): Promise<number | undefined> {
    const rows = await manager.query<{ followers: number }[]>(
      `WITH edge AS (
         DELETE FROM posts.follows WHERE follower_id = $1 AND followee_id = $2 RETURNING followee_id),
       counted AS (
         UPDATE posts.follower_counts c SET followers = c.followers - 1 FROM edge WHERE c.user_id = edge.followee_id RETURNING c.followers)
       SELECT followers FROM counted`,
      [followerId, followeeId],
    );
    return rows[0]?.followers;
  }

  async followerCount(authorId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows = await manager.query<{ followers: number }[]>('SELECT followers FROM posts.follower_counts WHERE user_id = $1', [authorId]);
    return rows[0]?.followers ?? 0;
  }

  /** One batch of an author's followers, keyset-paginated on follower id. */
  async followers(authorId: string, after: string, limit: number, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT follower_id::text AS id FROM posts.follows WHERE followee_id = $1 AND follower_id > $2 ORDER BY follower_id LIMIT $3`,
      [authorId, after, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Everyone the user follows who has more followers than the threshold. */
  async celebritiesFollowedBy(userId: string, threshold: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT f.followee_id::text AS id
         FROM posts.follows f JOIN posts.follower_counts c ON c.user_id = f.followee_id
        WHERE f.follower_id = $1 AND c.followers > $2`,
      [userId, threshold],
    );
    return rows.map((row) => row.id);
  }
}
