import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface KnownPost {
  postId: string;
  authorId: string;
}

/** What the projection says of a post it has heard of: live (with its author) or deleted. */
export interface PostState {
  live: KnownPost | undefined;
}

/** comments' own view of which posts exist and who wrote them. */
@Injectable()
export class PostProjectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async recordCreated(manager: EntityManager, postId: string, authorId: string): Promise<void> {
    // DO UPDATE only fills in the author: a tombstone keeps its deleted_at.
    await manager.query(
      `INSERT INTO comments.posts (post_id, author_id) VALUES ($1, $2)
       ON CONFLICT (post_id) DO UPDATE SET author_id = EXCLUDED.author_id`,
      [postId, authorId],
    );
  }

  /**
   * Records a post that posts, its owner, said is live, before its
   * post.created arrived. Idempotent with the events: post.created later
   * writes the same author again (its inbox entry is new, the row is not),
   * and a tombstone, whether post.deleted came before or comes after, keeps
   * its deleted_at, so the post is then deleted here whatever the order.
   * Answers the row's state after the write.
   */
  async recordLiveFromOwner(postId: string, authorId: string): Promise<PostState> {
    const rows = await this.dataSource.query<{ deleted: boolean }[]>(
      `INSERT INTO comments.posts (post_id, author_id) VALUES ($1, $2)
       ON CONFLICT (post_id) DO UPDATE SET author_id = EXCLUDED.author_id
       RETURNING deleted_at IS NOT NULL AS deleted`,
      [postId, authorId],
    );
    return { live: rows[0]?.deleted === false ? { postId, authorId } : undefined };
  }

  async recordDeleted(manager: EntityManager, postId: string, authorId: string, deletedAt: string): Promise<void> {
    await manager.query(
      `INSERT INTO comments.posts (post_id, author_id, deleted_at) VALUES ($1, $2, $3)
       ON CONFLICT (post_id) DO UPDATE SET deleted_at = COALESCE(comments.posts.deleted_at, EXCLUDED.deleted_at)`,
      [postId, authorId, deletedAt],
    );
  }

  /** A post that exists and is not deleted. */
  async findLive(postId: string, manager: EntityManager = this.dataSource.manager): Promise<KnownPost | undefined> {
    const rows = await manager.query<KnownPost[]>(
      `SELECT post_id::text AS "postId", author_id::text AS "authorId" FROM comments.posts
        WHERE post_id = $1 AND deleted_at IS NULL AND author_id IS NOT NULL`,
      [postId],
    );
    return rows[0];
  }

  /** undefined when the projection has not heard of the post at all (neither created nor deleted). */
  async findState(postId: string): Promise<PostState | undefined> {
    const rows = await this.dataSource.query<{ postId: string; authorId: string | null; deleted: boolean }[]>(
      `SELECT post_id::text AS "postId", author_id::text AS "authorId", deleted_at IS NOT NULL AS deleted FROM comments.posts WHERE post_id = $1`,
      [postId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { live: !row.deleted && row.authorId !== null ? { postId: row.postId, authorId: row.authorId } : undefined };
  }
}
