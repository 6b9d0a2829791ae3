import type { EntityManager } from 'typeorm';

/** A table of per-user counters: `followers_count`, `following_count` and `posts_count` in a row keyed by the user id. */
export interface CounterTable {
  /** Schema-qualified table, e.g. `graph.profiles`. */
  table: string;
  /** Column holding the user id. */
  key: string;
}

/**
 * The counter SQL of the services that count follows and posts from events
 * (graph's profiles, users' user_stats). Every change is an upsert of a
 * delta, so it also works for a user whose row does not exist yet.
 */
export class UserCounters {
  private readonly followSql: string;
  private readonly postsSql: string;

  constructor({ table, key }: CounterTable) {
    // Both ends of an edge in one statement, rows locked in id order: concurrent
    // follows between the same two users (either direction) cannot deadlock.
    this.followSql = `INSERT INTO ${table} AS counters (${key}, followers_count, following_count)
       SELECT id, followers, following
         FROM (VALUES ($1::bigint, 0, $3::int), ($2::bigint, $3::int, 0)) AS delta (id, followers, following)
        ORDER BY id
       ON CONFLICT (${key}) DO UPDATE
         SET followers_count = counters.followers_count + EXCLUDED.followers_count,
             following_count = counters.following_count + EXCLUDED.following_count`;
    this.postsSql = `INSERT INTO ${table} AS counters (${key}, posts_count) VALUES ($1, $2)
       ON CONFLICT (${key}) DO UPDATE SET posts_count = counters.posts_count + EXCLUDED.posts_count`;
  }

  /** Moves the follower count of the followee and the following count of the follower by `delta`. */
  async addFollow(manager: EntityManager, followerId: string, followeeId: string, delta: 1 | -1): Promise<void> {
    await manager.query(this.followSql, [followerId, followeeId, delta]);
  }

  async addPosts(manager: EntityManager, authorId: string, delta: 1 | -1): Promise<void> {
    await manager.query(this.postsSql, [authorId, delta]);
  }
}
