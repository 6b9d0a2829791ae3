import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, REDIS } from '@app/platform';
import type { Redis } from 'ioredis';
import type { PostsConfig } from '../config/posts.config.js';

const MAX_LOCAL_ENTRIES = 10_000;

/**
 * Each celebrity's newest post ids (padded, newest first), cached briefly:
 * every follower merges them into their feed at read time, so one cached
 * list serves them all. Two layers: Redis (shared by the replicas, dropped
 * when the celebrity posts) and, in front of it, this process's memory for
 * a fraction of that time, because at thousands of feed reads per second
 * the same few lists would otherwise cross the network on every read. A new
 * celebrity post therefore reaches readers served by another replica up to
 * FEED_CELEBRITY_POSTS_LOCAL_TTL_MS later; the author's own feed is not
 * affected (their post is written into it directly).
 */
@Injectable()
export class CelebrityPostsCache {
  private readonly local = new Map<string, { ids: string[]; expiresAt: number }>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
  ) {}

  private static key(authorId: string): string {
    return `warble:feed:recent:${authorId}`;
  }

  async getMany(authorIds: string[]): Promise<Map<string, string[]>> {
    const now = Date.now();
    const found = new Map<string, string[]>();
    const remote: string[] = [];
    for (const id of authorIds) {
      const entry = this.local.get(id);
      if (entry && entry.expiresAt > now) found.set(id, entry.ids);
      else remote.push(id);
    }
    if (remote.length === 0) return found;
    const values = await this.redis.mget(remote.map((id) => CelebrityPostsCache.key(id)));
    const loaded = new Map<string, string[]>();
    values.forEach((value, index) => {
      if (value !== null) loaded.set(remote[index], value ? value.split(',') : []);
    });
    this.remember(loaded, now);
    for (const [id, ids] of loaded) found.set(id, ids);
    return found;
  }

  async setMany(entries: Map<string, string[]>): Promise<void> {
    if (entries.size === 0) return;
    this.remember(entries, Date.now());
    const pipeline = this.redis.pipeline();
    for (const [authorId, ids] of entries) pipeline.set(CelebrityPostsCache.key(authorId), ids.join(','), 'PX', this.config.FEED_CELEBRITY_POSTS_TTL_MS);
    await pipeline.exec();
  }

  async forget(authorId: string): Promise<void> {
    this.local.delete(authorId);
    await this.redis.del(CelebrityPostsCache.key(authorId));
  }

  private remember(entries: Map<string, string[]>, now: number): void {
    const ttl = this.config.FEED_CELEBRITY_POSTS_LOCAL_TTL_MS;
    if (ttl === 0) return;
    // Only celebrities are cached, and they are few; the cap guards against a misconfigured threshold.
    if (this.local.size + entries.size > MAX_LOCAL_ENTRIES) this.local.clear();
    for (const [id, ids] of entries) this.local.set(id, { ids, expiresAt: now + ttl });
  }
}
