import { Injectable } from '@nestjs/common';
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

/** What changes: read fresh from Postgres on every read (one query per page). */
export interface PostState {
  likeCount: number;
  commentCount: number;
  likedByMe: boolean;
}

export type NewPost = Omit<PostContent, 'createdAt'>;

const CONTENT = `id::text AS id, author_id::text AS "authorId", text, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt", hashtags, mentions`;

/** All SQL on posts.posts. Writes take the transaction's manager. */
@Injectable()
export class PostRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, post: NewPost): Promise<PostContent> {
    const rows = await manager.query<PostContent[]>(
      `INSERT INTO posts.posts (id, author_id, text, hashtags, mentions) VALUES ($1, $2, $3, $4, $5) RETURNING ${CONTENT}`,
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

  async markDeleted(manager: EntityManager, id: string): Promise<Date> {
    const rows = await manager.query<{ deletedAt: Date }[]>(
      // Wrapped in a CTE: TypeORM returns [rows, count] for a bare UPDATE … RETURNING.
      `WITH deleted AS (UPDATE posts.posts SET deleted_at = now() WHERE id = $1 RETURNING deleted_at) SELECT deleted_at AS "deletedAt" FROM deleted`,
      [id],
    );
    return rows[0].deletedAt;
  }

  /** Counts and the viewer's like of the posts that exist and are not deleted, in one indexed query. */
  async liveStates(ids: string[], viewerId: string | undefined): Promise<Map<string, PostState>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.query<(PostState & { id: string })[]>(
      `SELECT p.id::text AS id, p.like_count AS "likeCount", p.comment_count AS "commentCount",
              ($2::bigint IS NOT NULL AND EXISTS (SELECT 1 FROM posts.likes l WHERE l.post_id = p.id AND l.user_id = $2::bigint)) AS "likedByMe"
         FROM posts.posts p
        WHERE p.id = ANY($1::bigint[]) AND p.deleted_at IS NULL`,
      [ids, viewerId ?? null],
    );
    return new Map(rows.map(({ id, ...state }) => [id, state]));
  }

  async contents(ids: string[]): Promise<PostContent[]> {
    if (ids.length === 0) return [];
    return this.dataSource.query<PostContent[]>(`SELECT ${CONTENT} FROM posts.posts WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** An author's timeline, newest first: keyset `id < before` on (author_id, id desc). */
  async idsByAuthor(authorId: string, before: string | undefined, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id::text AS id FROM posts.posts
        WHERE author_id = $1 AND deleted_at IS NULL AND ($2::bigint IS NULL OR id < $2::bigint)
        ORDER BY id DESC LIMIT $3`,
      [authorId, before ?? null, limit],
    );
    return rows.map((row) => row.id);
  }

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
