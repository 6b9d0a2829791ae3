import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** The reads of posts.posts (and posts.follows) that feeds are built from: post ids only, newest first. */
@Injectable()
export class FeedSourceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The newest `perAuthor` live post ids of each author, in one query (one index range per author). */
  async recentIdsByAuthors(authorIds: string[], perAuthor: number, manager: EntityManager = this.dataSource.manager): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(authorIds.map((id) => [id, []]));
    if (authorIds.length === 0) return result;
    const rows = await manager.query<{ authorId: string; id: string }[]>(
      `SELECT a.author_id::text AS "authorId", p.id::text AS id
         FROM unnest($1::bigint[]) AS a(author_id)
         CROSS JOIN LATERAL (
           SELECT id FROM posts.posts WHERE author_id = a.author_id AND deleted_at IS NULL ORDER BY id DESC LIMIT $2
         ) p
        ORDER BY p.id DESC`,
      [authorIds, perAuthor],
    );
    for (const row of rows) result.get(row.authorId)?.push(row.id);
    return result;
  }

  /** What a home feed holds when built from scratch: the newest posts of the user and of everyone followed. */
  async feedSourceIds(userId: string, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT p.id::text AS id
         FROM (SELECT followee_id AS author_id FROM posts.follows WHERE follower_id = $1 UNION SELECT $1::bigint) a
         CROSS JOIN LATERAL (
           SELECT id FROM posts.posts WHERE author_id = a.author_id AND deleted_at IS NULL ORDER BY id DESC LIMIT $2
         ) p
        ORDER BY p.id DESC LIMIT $2`,
      [userId, limit],
    );
    return rows.map((row) => row.id);
  }
}
