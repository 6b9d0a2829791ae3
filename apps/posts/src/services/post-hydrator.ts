import { Inject, Injectable } from '@nestjs/common';
import type { PostView } from '@app/api';
import { type AppLogger, type Caller, LOGGER } from '@app/platform';
import { PostCache } from '../repositories/post.cache.js';
import { type PostContent, PostRepository } from '../repositories/post.repository.js';
import { AuthorCache } from './author-cache.js';
import { placeholderAuthor, toPostView } from './post-view.js';

/**
 * Turns post ids into Post objects in batches, never per item: content from
 * the Redis post cache (misses loaded in one query and cached), counts,
 * likedByMe and deletion from one indexed query (always fresh), authors from
 * the author cache. Deleted and unknown ids are dropped; order is kept.
 */
@Injectable()
export class PostHydrator {
  constructor(
    private readonly posts: PostRepository,
    private readonly cache: PostCache,
    private readonly authors: AuthorCache,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  async hydrate(ids: string[], viewer: Caller | undefined): Promise<PostView[]> {
    if (ids.length === 0) return [];
    const [cached, states] = await Promise.all([this.cachedContents(ids), this.posts.liveStates(ids, viewer?.id)]);
    const missing = ids.filter((id) => states.has(id) && !cached.has(id));
    if (missing.length > 0) {
      const loaded = await this.posts.contents(missing);
      for (const content of loaded) cached.set(content.id, content);
      this.cache.setMany(loaded).catch((error: unknown) => this.logger.warn({ err: error }, 'post cache: write failed'));
    }
    const live = ids.flatMap((id) => {
      const content = cached.get(id);
      const state = states.get(id);
      return content && state ? [{ content, state }] : [];
    });
    const authors = await this.authors.byIds(live.map(({ content }) => content.authorId));
    return live.map(({ content, state }) =>
      toPostView(content, state, authors.get(content.authorId) ?? placeholderAuthor(content.authorId, content.authorId === viewer?.id ? viewer.username : '')),
    );
  }

  /** Redis is only a cache: when it does not answer, everything is a miss. */
  private async cachedContents(ids: string[]): Promise<Map<string, PostContent>> {
    try {
      return await this.cache.getMany(ids);
    } catch (error) {
      this.logger.warn({ err: error }, 'post cache: read failed; loading from Postgres');
      return new Map();
    }
  }
}
