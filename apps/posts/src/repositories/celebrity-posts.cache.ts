import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, REDIS } from '@app/platform';
import type { Redis } from 'ioredis';
import type { PostsConfig } from '../config/posts.config.js';

/**
 * Each celebrity's newest post ids (padded, newest first), cached briefly:
 * every follower merges them into their feed at read time, so one cached
 * list serves them all. Dropped when the celebrity posts.
 */
@Injectable()
export class CelebrityPostsCache {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
  ) {}

  private static key(authorId: string): string {
    return `warble:feed:recent:${authorId}`;
  }

  async getMany(authorIds: string[]): Promise<Map<string, string[]>> {
    const values = await this.redis.mget(authorIds.map((id) => CelebrityPostsCache.key(id)));
    const found = new Map<string, string[]>();
    values.forEach((value, index) => {
      if (value !== null) found.set(authorIds[index], value ? value.split(',') : []);
    });
    return found;
  }

  async setMany(entries: Map<string, string[]>): Promise<void> {
    if (entries.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [authorId, ids] of entries) pipeline.set(CelebrityPostsCache.key(authorId), ids.join(','), 'PX', this.config.FEED_CELEBRITY_POSTS_TTL_MS);
    await pipeline.exec();
  }

  async forget(authorId: string): Promise<void> {
    await this.redis.del(CelebrityPostsCache.key(authorId));
  }
}
