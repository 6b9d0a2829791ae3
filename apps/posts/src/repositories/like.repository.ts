import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** `missing`: no such live post; `changed`: the like row was inserted or deleted; `unchanged`: it already was so. */
export type LikeOutcome = 'missing' | 'changed' | 'unchanged';

/**
 * Likes and the post's like_count, changed together in one statement: the
 * counter moves only when a like row really appears or disappears, so
 * concurrent and repeated requests keep it exact.
 */
@Injectable()
export class LikeRepository {
  async like(manager: EntityManager, postId: string, userId: string): Promise<LikeOutcome> {
    const rows = await manager.query<{ found: boolean; changed: boolean }[]>(
      `WITH post AS (SELECT id FROM posts.posts WHERE id = $1 AND deleted_at IS NULL),
            added AS (INSERT INTO posts.likes (post_id, user_id) SELECT id, $2 FROM post ON CONFLICT DO NOTHING RETURNING post_id),
            counted AS (UPDATE posts.posts SET like_count = like_count + 1 WHERE id IN (SELECT post_id FROM added) RETURNING id)
       SELECT EXISTS (SELECT 1 FROM post) AS found, EXISTS (SELECT 1 FROM counted) AS changed`,
      [postId, userId],
    );
    return outcome(rows[0]);
  }

  async unlike(manager: EntityManager, postId: string, userId: string): Promise<LikeOutcome> {
    const rows = await manager.query<{ found: boolean; changed: boolean }[]>(
      `WITH post AS (SELECT id FROM posts.posts WHERE id = $1 AND deleted_at IS NULL),
            removed AS (DELETE FROM posts.likes l USING post WHERE l.post_id = post.id AND l.user_id = $2 RETURNING l.post_id),
            counted AS (UPDATE posts.posts SET like_count = like_count - 1 WHERE id IN (SELECT post_id FROM removed) RETURNING id)
       SELECT EXISTS (SELECT 1 FROM post) AS found, EXISTS (SELECT 1 FROM counted) AS changed`,
      [postId, userId],
    );
    return outcome(rows[0]);
  }
}

function outcome(row: { found: boolean; changed: boolean }): LikeOutcome {
  if (!row.found) return 'missing';
  return row.changed ? 'changed' : 'unchanged';
}
