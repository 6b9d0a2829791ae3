import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppLogger, LOGGER } from '@app/platform';
import type { PostsConfig } from '../../config/posts.config.js';
import { CelebrityPostsCache } from '../repositories/celebrity-posts.cache.js';
import { padId } from '../repositories/feed-members.js';
import { FeedSourceRepository } from '../repositories/feed-source.repository.js';

/**
 * The newest post ids of followed celebrities, for the read-time merge: from
 * the caches where possible, else from Postgres. When a list expires,
 * thousands of readers a second may miss it at once; they share one query
 * per author instead of each sending their own. When an author posts, a
 * query that started before is no longer shared (and the cache will not
 * keep its answer): it may predate the post.
 */
@Injectable()
export class CelebrityPosts {
  private readonly loading = new Map<string, Promise<string[]>>();

  constructor(
    private readonly cache: CelebrityPostsCache,
    private readonly sources: FeedSourceRepository,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  /** Padded ids, newest first, one list per author in the order given. */
  async recentIds(authorIds: string[]): Promise<string[][]> {
    if (authorIds.length === 0) return [];
    const found = await this.cache.getMany(authorIds).catch(() => new Map<string, string[]>());
    const missing = authorIds.filter((id) => !found.has(id));
    if (missing.length > 0) {
      const notLoading = missing.filter((id) => !this.loading.has(id));
      if (notLoading.length > 0) this.load(notLoading);
      // (load() has just registered a promise for each of them.)
      const loaded = await Promise.all(missing.map((id) => this.loading.get(id) ?? Promise.resolve([])));
      missing.forEach((id, index) => found.set(id, loaded[index]));
    }
    return authorIds.map((id) => found.get(id) ?? []);
  }

  /** The author has posted: their cached list is dropped and no older query's answer is kept. */
  async forget(authorId: string): Promise<void> {
    this.loading.delete(authorId);
    await this.cache.forget(authorId);
  }

  /** One query for these authors; each gets a promise of its list that concurrent readers share. */
  private load(authorIds: string[]): void {
    const version = this.cache.version();
    const query = this.sources.recentIdsByAuthors(authorIds, this.config.FEED_MAX_LENGTH).then((rows) => {
      const lists = new Map([...rows].map(([authorId, ids]) => [authorId, ids.map(padId)]));
      void this.cache.setMany(lists, version).catch((error: unknown) => this.logger.warn({ err: error }, 'feed: celebrity posts not cached'));
      return lists;
    });
    for (const id of authorIds) {
      const list = query.then((lists) => lists.get(id) ?? []);
      this.loading.set(id, list);
      void list.catch(() => undefined).finally(() => {
        if (this.loading.get(id) === list) this.loading.delete(id);
      });
    }
  }
}
