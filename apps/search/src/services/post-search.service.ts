import { Injectable } from '@nestjs/common';
import { idFromCursor, type Page, pageOf, type PostView } from '@app/api';
import { type IndexedPost, PostIndexRepository } from '../repositories/post-index.repository.js';
import { UserIndexRepository } from '../repositories/user-index.repository.js';
import { parsePostQuery } from './post-query.js';

@Injectable()
export class PostSearchService {
  constructor(
    private readonly posts: PostIndexRepository,
    private readonly users: UserIndexRepository,
  ) {}

  /** Hydrated like GET /posts/{id}: author, counts and likedByMe, in three queries per page. */
  async search(q: string, limit: number, cursor: string | undefined, callerId: string | undefined): Promise<Page<PostView>> {
    const beforeId = idFromCursor(cursor);
    const query = parsePostQuery(q);
    if (query.words.length === 0 && query.hashtags.length === 0) return { items: [], nextCursor: null };
    const rows = await this.posts.search(query, limit + 1, beforeId);
    const page = rows.slice(0, limit);
    const [authors, liked] = await Promise.all([
      this.users.findByIds(page.map((post) => post.authorId)),
      callerId ? this.posts.likedBy(callerId, page.map((post) => post.id)) : Promise.resolve(new Set<string>()),
    ]);
    const view = (post: IndexedPost): PostView => {
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
    };
    return pageOf(rows, limit, view);
  }
}
