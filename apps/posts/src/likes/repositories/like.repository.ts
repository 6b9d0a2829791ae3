import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PostState } from '../../post-views/repositories/post.repository.js';

/** `missing`: no such live post; `changed` (with the post's new state): the like row appeared or disappeared; `unchanged`: it already was so. */
export type LikeOutcome = { kind: 'missing' } | { kind: 'unchanged' } | { kind: 'changed'; state: PostState };

type LikeRow = { found: boolean; changed: boolean; version: number | null; likeCount: number | null; commentCount: number | null };

// The post's state after the change, if there was one (LEFT JOIN: always one row).
const OUTCOME_SELECT = `SELECT EXISTS (SELECT 1 FROM post) AS found, c.id IS NOT NULL AS changed,
                       c.state_version::int AS version, c.like_count AS "likeCount", c.comment_count AS "commentCount"
                  FROM (SELECT 1) one LEFT JOIN counted c ON true`;

/**
 * Likes and the post's like_count, changed together in one statement: the
 * counter (and the state version) moves only when a like row really appears
 * or disappears, so concurrent and repeated requests keep it exact.
 */
@Injectable()
export class LikeRepository {
  async like(manager: EntityManager, postId: string, userId: string): Promise<LikeOutcome> {
    const rows = await manager.query<LikeRow[]>(
      `WITH post AS (SELECT id FROM posts.posts WHERE id = $1 AND deleted_at IS NULL),
            added AS (INSERT INTO posts.likes (post_id, user_id) SELECT id, $2 FROM post ON CONFLICT DO NOTHING RETURNING post_id),
            counted AS (
              UPDATE posts.posts SET like_count = like_count + 1, state_version = state_version + 1
               WHERE id IN (SELECT post_id FROM added) RETURNING id, state_version, like_count, comment_count)
       ${OUTCOME_SELECT}`,
      [postId, userId],
    );
    return outcome(rows[0]);
  }

  async unlike(manager: EntityManager, postId: string, userId: string): Promise<LikeOutcome> {
    const rows = await manager.query<LikeRow[]>(
      `WITH post AS (SELECT id FROM posts.posts WHERE id = $1 AND deleted_at IS NULL),
            removed AS (DELETE FROM posts.likes l USING post WHERE l.post_id = post.id AND l.user_id = $2 RETURNING l.post_id),
            counted AS (
              UPDATE posts.posts SET like_count = like_count - 1, state_version = state_version + 1
               WHERE id IN (SELECT post_id FROM removed) RETURNING id, state_version, like_count, comment_count)
       ${OUTCOME_SELECT}`,
      [postId, userId],
    );
    return outcome(rows[0]);
  }
}

function outcome(row: LikeRow): LikeOutcome {
  if (!row.found) return { kind: 'missing' };
  if (!row.changed || row.version === null) return { kind: 'unchanged' };
  return { kind: 'changed', state: { version: row.version, likeCount: row.likeCount ?? 0, commentCount: row.commentCount ?? 0, deleted: false } };
}
