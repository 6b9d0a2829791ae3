import { Injectable } from '@nestjs/common';
import { type Page, type PostView, SearchRanking } from '@app/api';
import type { ReceivedAssignments } from '@app/platform';
import { type IndexedPost, PostIndexRepository } from '../repositories/post-index.repository.js';
import { UserIndexRepository } from '../repositories/user-index.repository.js';
import { ExposureRecorder } from './exposure-recorder.js';
import { ResultsShownRecorder } from './results-shown-recorder.js';
import { encodeIdCursor, encodeRankCursor, parsePostCursor, type PostCursor } from './post-cursor.js';
import { parsePostQuery } from './post-query.js';

/** Where a page starts: a cursor's position, the top of the ranked order at a time, or the newest post. */
type Start = PostCursor | { order: 'relevance'; now: Date; after?: undefined } | { order: 'newest'; beforeId?: undefined };

@Injectable()
export class PostSearchService {
  constructor(
    private readonly posts: PostIndexRepository,
    private readonly users: UserIndexRepository,
    private readonly exposures: ExposureRecorder,
    private readonly resultsShown: ResultsShownRecorder,
  ) {}

  /**
   * Hydrated like GET /posts/{id}: author, counts and likedByMe, in three
   * queries per page. A first page follows the caller's search-ranking
   * variant, a later one its cursor's order (docs/api.md, "Experiments");
   * the exposure and the posts shown are recorded once the page is ready.
   */
  async search(q: string, limit: number, cursor: string | undefined, callerId: string | undefined, assignments: ReceivedAssignments): Promise<Page<PostView>> {
    const start: Start = cursor !== undefined ? parsePostCursor(cursor) : firstPage(assignments);
    const page = await this.page(q, limit, start, callerId);
    await this.exposures.record(assignments, callerId);
    await this.resultsShown.record(assignments, callerId, page.items.map((post) => post.id));
    return page;
  }

  private async page(q: string, limit: number, start: Start, callerId: string | undefined): Promise<Page<PostView>> {
    const query = parsePostQuery(q);
    if (query.words.length === 0 && query.hashtags.length === 0) return { items: [], nextCursor: null };
    let rows: IndexedPost[];
    let nextCursor: string | null = null;
    if (start.order === 'relevance') {
      const ranked = await this.posts.searchRanked(query, limit + 1, start.now, start.after);
      const last = ranked.at(limit - 1);
      if (ranked.length > limit && last) nextCursor = encodeRankCursor(start.now, last);
      rows = ranked;
    } else {
      rows = await this.posts.search(query, limit + 1, start.beforeId);
      const last = rows.at(limit - 1);
      if (rows.length > limit && last) nextCursor = encodeIdCursor(last.id);
    }
    return { items: await this.hydrate(rows.slice(0, limit), callerId), nextCursor };
  }

  private async hydrate(page: IndexedPost[], callerId: string | undefined): Promise<PostView[]> {
    const [authors, liked] = await Promise.all([
      this.users.findByIds(page.map((post) => post.authorId)),
      callerId ? this.posts.likedBy(callerId, page.map((post) => post.id)) : Promise.resolve(new Set<string>()),
    ]);
    return page.map((post): PostView => {
      const author = authors.get(post.authorId);
      return {
        id: post.id,
        author: { id: post.authorId, username: author?.username ?? '', displayName: author?.displayName ?? '' },
        text: post.text,
        createdAt: post.createdAt.toISOString(),
        likeCount: post.likeCount,
        commentCount: post.commentCount,
        likedByMe: liked.has(post.id),
        hashtags: post.hashtags,
        mentions: post.mentions,
      };
    });
  }
}

function firstPage(assignments: ReceivedAssignments): Start {
  return assignments.variants.get(SearchRanking.name) === SearchRanking.treatment ? { order: 'relevance', now: new Date() } : { order: 'newest' };
}
