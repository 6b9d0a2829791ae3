import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface CommentRecord {
  id: string;
  postId: string;
  authorId: string;
  text: string;
  createdAt: Date;
}

const COLUMNS = `id::text AS id, post_id::text AS "postId", author_id::text AS "authorId", text, created_at AS "createdAt"`;

/** All SQL on comments.comments. */
@Injectable()
export class CommentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, comment: { id: string; postId: string; authorId: string; text: string }): Promise<CommentRecord> {
    const rows = await manager.query<CommentRecord[]>(
      `INSERT INTO comments.comments (id, post_id, author_id, text) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [comment.id, comment.postId, comment.authorId, comment.text],
    );
    return rows[0];
  }

  /** Locks a live comment for deletion. */
  async findLiveForUpdate(manager: EntityManager, id: string): Promise<CommentRecord | undefined> {
    const rows = await manager.query<CommentRecord[]>(`SELECT ${COLUMNS} FROM comments.comments WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`, [id]);
    return rows[0];
  }

  async softDelete(manager: EntityManager, id: string): Promise<void> {
    await manager.query('UPDATE comments.comments SET deleted_at = now() WHERE id = $1', [id]);
  }

  /** Soft-deletes every live comment of a post; returns the ids it deleted. */
  async softDeleteAllOfPost(manager: EntityManager, postId: string): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `WITH deleted AS (
         UPDATE comments.comments SET deleted_at = now() WHERE post_id = $1 AND deleted_at IS NULL RETURNING id)
       SELECT id::text AS id FROM deleted ORDER BY id`,
      [postId],
    );
    return rows.map((row) => row.id);
  }

  /** Oldest first, after the cursor id; fetches `limit` rows (callers ask for one extra). */
  async pageOfPost(postId: string, limit: number, afterId?: string): Promise<CommentRecord[]> {
    return this.dataSource.query<CommentRecord[]>(
      `SELECT ${COLUMNS} FROM comments.comments
        WHERE post_id = $1 AND deleted_at IS NULL AND ($3::bigint IS NULL OR id > $3::bigint)
        ORDER BY id LIMIT $2`,
      [postId, limit, afterId ?? null],
    );
  }
}
