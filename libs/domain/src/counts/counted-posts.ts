import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DB_SCHEMA } from '@app/platform';

/**
 * `<schema>.counted_posts`: which posts are in an author's posts_count, for a
 * service that counts posts from posts.events.v1 (graph, users). It makes the
 * count exact whatever the delivery: a post is counted at most once, and
 * uncounted only if it was counted.
 */
@Injectable()
export class CountedPosts {
  constructor(@Inject(DB_SCHEMA) private readonly schema: string) {}

  /** Records a created post; false if it was already seen (counted, deleted or tombstoned). */
  async markCreated(manager: EntityManager, postId: string, authorId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO "${this.schema}".counted_posts (post_id, author_id) VALUES ($1, $2) ON CONFLICT (post_id) DO NOTHING RETURNING post_id`,
      [postId, authorId],
    );
    return rows.length > 0;
  }

  /**
   * Records a deleted post. Returns the author to uncount, only when the post
   * was counted and not yet deleted. A delete of an unknown post leaves a
   * tombstone, so a late create of it is not counted.
   */
  async markDeleted(manager: EntityManager, postId: string, authorId: string): Promise<string | undefined> {
    const rows = await manager.query<{ authorId: string }[]>(
      `WITH uncounted AS (
         UPDATE "${this.schema}".counted_posts SET deleted_at = now()
          WHERE post_id = $1::bigint AND deleted_at IS NULL
          RETURNING author_id),
       tombstone AS (
         INSERT INTO "${this.schema}".counted_posts (post_id, author_id, deleted_at)
         SELECT $1::bigint, $2::bigint, now() WHERE NOT EXISTS (SELECT 1 FROM uncounted)
         ON CONFLICT (post_id) DO NOTHING)
       SELECT author_id::text AS "authorId" FROM uncounted`,
      [postId, authorId],
    );
    return rows[0]?.authorId;
  }
}
