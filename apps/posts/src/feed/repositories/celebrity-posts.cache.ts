import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, BoundedCache, getMany, REDIS, type RedisClient, withinRedisDeadline, writeEach } from '@app/platform';
import type { PostsConfig } from '../../config/posts.config.js';
import { splitIdList } from './feed-members.js';

/** Only celebrities are cached, and they are few; the cap guards against a misconfigured threshold. */
const MAX_LOCAL_ENTRIES = 10_000;
/** Every author who posts passes through forget(); the least recently seen go (a query outlives few posts). */
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
  /** For FEED_CELEBRITY_POSTS_LOCAL_TTL_MS (0 turns this layer off). */
  private readonly local: BoundedCache<string, string[]>;
  /** Counts the posts forget() has seen; each author's entry is the count at their latest post. */
  private changes = 0;
  private readonly changedAt = new BoundedCache<string, number>({ name: 'celebrity-post-versions', maxEntries: MAX_TRACKED_AUTHORS });

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
  ) {
    const ttlMs = config.FEED_CELEBRITY_POSTS_LOCAL_TTL_MS;
    this.local = new BoundedCache({ name: 'celebrity-posts', maxEntries: ttlMs === 0 ? 0 : MAX_LOCAL_ENTRIES, ttlMs });
  }

  private static key(authorId: string): string {
    return `warble:feed:recent:{a${authorId}}`;
  }

  /** The version to pass to setMany for lists read from now on. */
  version(): number {
    return this.changes;
  }

  async getMany(authorIds: string[]): Promise<Map<string, string[]>> {
    const version = this.changes;
    const found = new Map<string, string[]>();
    const remote: string[] = [];
    for (const id of authorIds) {
      const ids = this.local.get(id);
      if (ids) found.set(id, ids);
      else remote.push(id);
    }
    if (remote.length === 0) return found;
    const values = await withinRedisDeadline(getMany(this.redis, remote.map((id) => CelebrityPostsCache.key(id))), this.config.REDIS_REQUEST_TIMEOUT_MS, 'celebrity-posts');
    const loaded = new Map<string, string[]>();
    values.forEach((value, index) => {
      if (value !== null) loaded.set(remote[index], splitIdList(value));
    });
    this.remember(this.current(loaded, version));
    for (const [id, ids] of loaded) found.set(id, ids);
    return found;
  }

  /** Caches lists read at `version` (see version()), except those an author's post has made stale since. */
  async setMany(lists: Map<string, string[]>, version: number): Promise<void> {
    const entries = this.current(lists, version);
    if (entries.size === 0) return;
    this.remember(entries);
    await writeEach(this.redis, [...entries], (target, [authorId, ids]) =>
      target.set(CelebrityPostsCache.key(authorId), ids.join(','), 'PX', this.config.FEED_CELEBRITY_POSTS_TTL_MS),
    );
  }

  async forget(authorId: string): Promise<void> {
    this.changes += 1;
    this.changedAt.set(authorId, this.changes);
    this.local.delete(authorId);
    await this.redis.del(CelebrityPostsCache.key(authorId));
  }

  private current(lists: Map<string, string[]>, version: number): Map<string, string[]> {
    return new Map([...lists].filter(([authorId]) => (this.changedAt.get(authorId) ?? 0) <= version));
  }

  private remember(entries: Map<string, string[]>): void {
    for (const [id, ids] of entries) this.local.set(id, ids);
  }
}
