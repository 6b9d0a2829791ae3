import { Injectable } from '@nestjs/common';
import { DatabaseReads, type ReadPreference } from '@app/platform';
import { DataSource, type EntityManager } from 'typeorm';

/** What never changes once a post exists: safe to cache for long. */
export interface PostContent {
  id: string;
  authorId: string;
  text: string;
  createdAt: string;
  hashtags: string[];
  mentions: string[];
}

/**
 * What changes (counts, deletion), with a version that every change bumps in
 * the same statement: the Redis copy takes a state only if it is newer.
 */
export interface PostState {
  version: number;
  likeCount: number;
  commentCount: number;
  deleted: boolean;
}

export type NewPost = Omit<PostContent, 'createdAt'>;

/** Selects a PostState from posts.posts (alias p or none). */
export const STATE_COLUMNS = `state_version::int AS version, like_count AS "likeCount", comment_count AS "commentCount", deleted_at IS NOT NULL AS deleted`;
const CONTENT_COLUMNS = `id::text AS id, author_id::text AS "authorId", text, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt", hashtags, mentions`;

/** SQL on posts.posts for single posts and authors' timelines (the feed reads its own: FeedSourceRepository). Writes take the transaction's manager. */
@Injectable()
export class PostRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reads: DatabaseReads,
  ) {}

  async insert(manager: EntityManager, post: NewPost): Promise<PostContent> {
    const rows = await manager.query<PostContent[]>(
      `INSERT INTO posts.posts (id, author_id, text, hashtags, mentions) VALUES ($1, $2, $3, $4, $5) RETURNING ${CONTENT_COLUMNS}`,
      [post.id, post.authorId, post.text, post.hashtags, post.mentions],
    );
    return rows[0];
  }

  /** Locks the row for the rest of the transaction, so a delete and its event happen once. */
  async findForDelete(manager: EntityManager, id: string): Promise<{ authorId: string; deleted: boolean } | undefined> {
    const rows = await manager.query<{ authorId: string; deleted: boolean }[]>(
      `SELECT author_id::text AS "authorId", deleted_at IS NOT NULL AS deleted FROM posts.posts WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  async markDeleted(manager: EntityManager, id: string): Promise<{ deletedAt: Date; state: PostState }> {
    const rows = await manager.query<(PostState & { deletedAt: Date })[]>(
      // Wrapped in a CTE: TypeORM returns [rows, count] for a bare UPDATE … RETURNING.
      `WITH deleted AS (UPDATE posts.posts SET deleted_at = now(), state_version = state_version + 1 WHERE id = $1 RETURNING *)
       SELECT deleted_at AS "deletedAt", ${STATE_COLUMNS} FROM deleted`,
      [id],
    );
    const { deletedAt, ...state } = rows[0];
    return { deletedAt, state };
  }

  /** Content and current state of each existing post (deleted ones included), in one query. */
  async rows(ids: string[]): Promise<{ content: PostContent; state: PostState }[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource.query<(PostContent & PostState)[]>(`SELECT ${CONTENT_COLUMNS}, ${STATE_COLUMNS} FROM posts.posts WHERE id = ANY($1::bigint[])`, [ids]);
    return rows.map(({ version, likeCount, commentCount, deleted, ...content }) => ({ content, state: { version, likeCount, commentCount, deleted } }));
  }

  /**
   * An author's timeline, newest first: keyset `id < before` on (author_id, id desc).
   * `lag-tolerant` when someone else reads it (docs/scaling.md, "Postgres standby"):
   * the posts themselves are then hydrated from the cache and the primary.
   */
  async idsByAuthor(authorId: string, before: string | undefined, limit: number, preference: ReadPreference = 'primary'): Promise<string[]> {
    const rows = await this.reads.query<{ id: string }[]>(
      `SELECT id::text AS id FROM posts.posts
        WHERE author_id = $1 AND deleted_at IS NULL AND ($2::bigint IS NULL OR id < $2::bigint)
        ORDER BY id DESC LIMIT $3`,
      [authorId, before ?? null, limit],
      preference,
    );
    return rows.map((row) => row.id);
  }
}
