import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, REDIS } from '@app/platform';
import type { Redis } from 'ioredis';
import type { PostsConfig } from '../config/posts.config.js';
import type { PostContent } from './post.repository.js';

/**
 * Post content by id (text, author, hashtags, …), which never changes: no
 * invalidation needed. Counts, likes and deletion are never cached here.
 */
@Injectable()
export class PostCache {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
  ) {}

  private static key(id: string): string {
    return `warble:post:${id}`;
  }

  async getMany(ids: string[]): Promise<Map<string, PostContent>> {
    const values = await this.redis.mget(ids.map((id) => PostCache.key(id)));
    const found = new Map<string, PostContent>();
    values.forEach((value, index) => {
      if (value !== null) found.set(ids[index], JSON.parse(value) as PostContent);
    });
    return found;
  }

  async setMany(posts: PostContent[]): Promise<void> {
    if (posts.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const post of posts) pipeline.set(PostCache.key(post.id), JSON.stringify(post), 'EX', this.config.POST_CACHE_TTL_SECONDS);
    await pipeline.exec();
  }
}
