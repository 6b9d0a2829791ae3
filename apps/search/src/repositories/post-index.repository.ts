import { Injectable } from '@nestjs/common';
import type { EventData } from '@app/contracts';
import { DatabaseReads } from '@app/platform';
import type { EntityManager } from 'typeorm';

/** A parsed post search: words to match in any language, and exact hashtags. */
export interface PostQuery {
  words: string[];
  hashtags: string[];
}

export interface IndexedPost {
  id: string;
  authorId: string;
  text: string;
  hashtags: string[];
  mentions: string[];
  createdAt: Date;
  likeCount: number;
  commentCount: number;
}

const LANGUAGES = ['english', 'russian', 'simple'] as const;

/** Where a relevance-ranked page starts: after (score, id) of the last post, scored at the frozen time. */
export interface RankPosition {
  score: string;
  id: string;
}

/** Hours after which the recency factor of the ranked order has halved: 1 / (1 + age / τ). */
export const RANK_DECAY_HOURS = 24;

/**
 * One tsquery per word, any language, its text as a new parameter. Both
 * orders filter with these, so they return the same posts.
 */
function wordQueries(query: PostQuery, params: unknown[]): string[] {
  return query.words.map((word) => {
    params.push(word);
    // Folded like the document (see the FoldDiacritics migration), so "cafe" and "café" meet.
    return `(${LANGUAGES.map((language) => `plainto_tsquery('${language}', search.immutable_unaccent($${params.length}))`).join(' || ')})`;
  });
}

/** The post side of the search index: documents, likes and comments, kept from events. */
@Injectable()
export class PostIndexRepository {
  // Searches may lag: the standby serves them when there is one (docs/scaling.md, "Postgres standby").
  constructor(private readonly reads: DatabaseReads) {}

  /** A tombstone written by an earlier post.deleted wins: a late post.created never resurrects a post. */
  async indexCreated(manager: EntityManager, data: EventData<'post.created'>): Promise<void> {
    await manager.query(
      `INSERT INTO search.posts (id, author_id, text, hashtags, mentions, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING`,
      [data.postId, data.authorId, data.text, data.hashtags, data.mentions, data.createdAt],
    );
    await this.recount(manager, data.postId);
  }

  async markDeleted(manager: EntityManager, data: EventData<'post.deleted'>): Promise<void> {
    await manager.query(
      `INSERT INTO search.posts (id, author_id, text, created_at, deleted_at) VALUES ($1, $2, '', $3, $3)
       ON CONFLICT (id) DO UPDATE SET deleted_at = COALESCE(search.posts.deleted_at, EXCLUDED.deleted_at)`,
      [data.postId, data.authorId, data.deletedAt],
    );
  }

  async setLike(manager: EntityManager, postId: string, userId: string, liked: boolean): Promise<void> {
    await manager.query(
      liked
        ? 'INSERT INTO search.post_likes (post_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING'
        : 'DELETE FROM search.post_likes WHERE post_id = $1 AND user_id = $2',
      [postId, userId],
    );
    await this.recount(manager, postId);
  }

  async setComment(manager: EntityManager, commentId: string, postId: string, deleted: boolean): Promise<void> {
    await manager.query(
      `INSERT INTO search.post_comments (comment_id, post_id, deleted) VALUES ($1, $2, $3)
       ON CONFLICT (comment_id) DO UPDATE SET deleted = search.post_comments.deleted OR EXCLUDED.deleted`,
      [commentId, postId, deleted],
    );
    await this.recount(manager, postId);
  }

  /** Counts come from the sets, so they are right whatever order the events came in. */
  private async recount(manager: EntityManager, postId: string): Promise<void> {
    await manager.query(
      `UPDATE search.posts SET
         like_count = (SELECT count(*) FROM search.post_likes WHERE post_id = $1),
         comment_count = (SELECT count(*) FROM search.post_comments WHERE post_id = $1 AND NOT deleted)
       WHERE id = $1`,
      [postId],
    );
  }

  /** Live posts that contain every word (in any of the languages, diacritics folded) and every hashtag, newest first. */
  async search(query: PostQuery, limit: number, beforeId?: string): Promise<IndexedPost[]> {
    const params: unknown[] = [limit, beforeId ?? null, query.hashtags];
    const wordClauses = wordQueries(query, params).map((tsquery) => `AND document @@ ${tsquery}`);
    return this.reads.query<IndexedPost[]>(
      `SELECT id::text AS id, author_id::text AS "authorId", text, hashtags, mentions, created_at AS "createdAt",
              like_count AS "likeCount", comment_count AS "commentCount"
         FROM search.posts
        WHERE deleted_at IS NULL
          AND ($2::bigint IS NULL OR id < $2::bigint)
          AND hashtags @> $3::text[]
          ${wordClauses.join('\n          ')}
        -- posts.id, not the text alias "id": numeric order, and the primary key can serve it.
        ORDER BY posts.id DESC
        LIMIT $1`,
      params,
    );
  }

  /**
   * The same posts as search(), ranked for the search-ranking treatment
   * (docs/api.md, "Experiments"): ts_rank_cd of all words times the recency
   * factor 1 / (1 + age / τ), age measured at `now` (frozen in the cursor,
   * so a post's score does not change between pages), best first, ties
   * newest first. A hashtag-only query has no text to rank: its rank is 1,
   * which leaves recency. Keyset on (score, id): the score is float8 and
   * round-trips exactly through its text form. No index serves this order:
   * every match is scored, which costs in proportion to the matches.
   */
  async searchRanked(query: PostQuery, limit: number, now: Date, after?: RankPosition): Promise<(IndexedPost & { score: string })[]> {
    const params: unknown[] = [limit, query.hashtags, now, RANK_DECAY_HOURS * 3600, after?.score ?? null, after?.id ?? null];
    const tsqueries = wordQueries(query, params);
    const rank = tsqueries.length > 0 ? `ts_rank_cd(document, ${tsqueries.join(' && ')})::float8` : '1::float8';
    return this.reads.query<(IndexedPost & { score: string })[]>(
      `SELECT id::text AS id, author_id::text AS "authorId", text, hashtags, mentions, created_at AS "createdAt",
              like_count AS "likeCount", comment_count AS "commentCount", score::text AS score
         FROM (SELECT posts.*,
                      ${rank} / (1 + greatest(extract(epoch FROM $3::timestamptz - created_at)::float8, 0) / $4::float8) AS score
                 FROM search.posts
                WHERE deleted_at IS NULL
                  AND hashtags @> $2::text[]
                  ${tsqueries.map((tsquery) => `AND document @@ ${tsquery}`).join('\n                  ')}) ranked
        WHERE $5::float8 IS NULL OR (ranked.score, ranked.id) < ($5::float8, $6::bigint)
        ORDER BY ranked.score DESC, ranked.id DESC
        LIMIT $1`,
      params,
    );
  }

  /** Which of `postIds` the user liked: one query for a whole page. */
  async likedBy(userId: string, postIds: string[]): Promise<Set<string>> {
    if (postIds.length === 0) return new Set();
    const rows = await this.reads.query<{ postId: string }[]>(
      'SELECT post_id::text AS "postId" FROM search.post_likes WHERE user_id = $1 AND post_id = ANY($2::bigint[])',
      [userId, postIds],
    );
    return new Set(rows.map((row) => row.postId));
  }
}
