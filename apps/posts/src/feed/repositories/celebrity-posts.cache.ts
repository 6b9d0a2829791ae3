import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, REDIS } from '@app/platform';
import type { Redis } from 'ioredis';
import type { PostsConfig } from '../config/posts.config.js';
import { splitIdList } from '../services/feed-ids.js';

const MAX_LOCAL_ENTRIES = 10_000;
const MAX_TRACKED_AUTHORS = 100_000;

/**
 * Each celebrity's newest post ids (padded, newest first), cached briefly:
 * every follower merges them into their feed at read time, so one cached
 * list serves them all. Two layers: Redis (shared by the replicas, dropped
 * when the celebrity posts) and, in front of it, this process's memory for
 * a fraction of that time, because at thousands of feed reads per second
 * the same few lists would otherwise cross the network on every read. A new
 * celebrity post therefore reaches readers served by another replica up to
 * FEED_CELEBRITY_POSTS_LOCAL_TTL_MS later; the author's own feed is not
 * affected (their post is written into it directly). A list read before the
 * author's latest post (a Redis read or a query still in flight when it came)
 * is never remembered: versions tell.
 */
@Injectable()
export class CelebrityPostsCache {
  private readonly local = new Map<string, { ids: string[]; expiresAt: number }>();
  /** Counts the posts forget() has seen; each author's entry is the count at their latest post. */
  private changes = 0;
  private readonly changedAt = new Map<string, number>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
  ) {}

  private static key(authorId: string): string {
    return `warble:feed:recent:${authorId}`;
  }

  /** The version to pass to setMany for lists read from now on. */
  version(): number {
    return this.changes;
  }

  async getMany(authorIds: string[]): Promise<Map<string, string[]>> {
    const now = Date.now();
    const version = this.changes;
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
      if (value !== null) loaded.set(remote[index], splitIdList(value));
    });
    this.remember(this.current(loaded, version), now);
    for (const [id, ids] of loaded) found.set(id, ids);
    return found;
  }

  /** Caches lists read at `version` (see version()), except those an author's post has made stale since. */
  async setMany(lists: Map<string, string[]>, version: number): Promise<void> {
    const entries = this.current(lists, version);
    if (entries.size === 0) return;
    this.remember(entries, Date.now());
    const pipeline = this.redis.pipeline();
    for (const [authorId, ids] of entries) pipeline.set(CelebrityPostsCache.key(authorId), ids.join(','), 'PX', this.config.FEED_CELEBRITY_POSTS_TTL_MS);
    await pipeline.exec();
  }

  async forget(authorId: string): Promise<void> {
    this.changes += 1;
    this.changedAt.delete(authorId);
    this.changedAt.set(authorId, this.changes);
    // Every author who posts passes here; the oldest entries go (a query outlives few posts).
    if (this.changedAt.size > MAX_TRACKED_AUTHORS) this.changedAt.delete(this.changedAt.keys().next().value as string);
    this.local.delete(authorId);
    await this.redis.del(CelebrityPostsCache.key(authorId));
  }

  private current(lists: Map<string, string[]>, version: number): Map<string, string[]> {
    return new Map([...lists].filter(([authorId]) => (this.changedAt.get(authorId) ?? 0) <= version));
  }

  private remember(entries: Map<string, string[]>, now: number): void {
    const ttl = this.config.FEED_CELEBRITY_POSTS_LOCAL_TTL_MS;
    if (ttl === 0) return;
    // Only celebrities are cached, and they are few; the cap guards against a misconfigured threshold.
    if (this.local.size + entries.size > MAX_LOCAL_ENTRIES) this.local.clear();
    for (const [id, ids] of entries) this.local.set(id, { ids, expiresAt: now + ttl });
  }
}
