import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type PostState, STATE_COLUMNS } from '../../post-views/repositories/post.repository.js';

/**
 * A post's comment_count from comments.events.v1. Each comment is counted at
 * most once (posts.counted_comments), so a duplicate event, a delete of a
 * comment never counted, or a create after its delete cannot skew the count.
 * Returns the post's new state when the count changed.
 */
@Injectable()
export class CommentCountRepository {
  async countCreated(manager: EntityManager, commentId: string, postId: string): Promise<PostState | undefined> {
    const rows = await manager.query<PostState[]>(
      `WITH counted AS (
         INSERT INTO posts.counted_comments (comment_id, post_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING post_id),
       bumped AS (
         UPDATE posts.posts p SET comment_count = p.comment_count + 1, state_version = p.state_version + 1
           FROM counted WHERE p.id = counted.post_id RETURNING p.*)
       SELECT ${STATE_COLUMNS} FROM bumped`,
      [commentId, postId],
    );
    return rows[0];
  }

  async countDeleted(manager: EntityManager, commentId: string, postId: string): Promise<PostState | undefined> {
    const rows = await manager.query<PostState[]>(
      `WITH uncounted AS (
         UPDATE posts.counted_comments SET deleted = true WHERE comment_id = $1 AND NOT deleted RETURNING post_id),
       tombstone AS (
         INSERT INTO posts.counted_comments (comment_id, post_id, deleted)
         SELECT $1, $2, true WHERE NOT EXISTS (SELECT 1 FROM uncounted) ON CONFLICT DO NOTHING),
       lowered AS (
         UPDATE posts.posts p SET comment_count = greatest(p.comment_count - 1, 0), state_version = p.state_version + 1
           FROM uncounted WHERE p.id = uncounted.post_id RETURNING p.*)
       SELECT ${STATE_COLUMNS} FROM lowered`,
      [commentId, postId],
    );
    return rows[0];
  }
}
