import type { Redis } from 'ioredis';
import type { PostsConfig } from '../../config/posts.config.js';
import { CelebrityPostsCache } from './celebrity-posts.cache.js';

/** Just enough of Redis for the cache: strings with MGET, DEL and a SET pipeline. */
function fakeRedis() {
  const values = new Map<string, string>();
  let gate: Promise<void> = Promise.resolve();
  const redis = {
    values,
    hold(): () => void {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return open;
    },
    async mget(keys: string[]) {
      const answer = keys.map((key) => values.get(key) ?? null);
      await gate;
      return answer;
    },
    del: (key: string) => Promise.resolve(Number(values.delete(key))),
    pipeline() {
      const queued: [string, string][] = [];
      const chain = {
        set: (key: string, value: string) => (queued.push([key, value]), chain),
        exec: () => Promise.resolve(queued.map(([key, value]) => (values.set(key, value), [null, 'OK']))),
      };
      return chain;
    },
  };
  return redis;
}

describe('CelebrityPostsCache', () => {
  const config = { FEED_CELEBRITY_POSTS_TTL_MS: 2_000, FEED_CELEBRITY_POSTS_LOCAL_TTL_MS: 60_000 } as PostsConfig;

  it('serves a list from memory after the first read, and drops it when the author posts', async () => {
    const redis = fakeRedis();
    const cache = new CelebrityPostsCache(redis as unknown as Redis, config);
    await cache.setMany(new Map([['7', ['b', 'a']]]), cache.version());
    redis.values.clear();
    expect((await cache.getMany(['7'])).get('7')).toEqual(['b', 'a']);
    await cache.forget('7');
    expect((await cache.getMany(['7'])).has('7')).toBe(false);
  });

  it('keeps no list that was read before the author posted', async () => {
    const redis = fakeRedis();
    const cache = new CelebrityPostsCache(redis as unknown as Redis, config);
    const before = cache.version();
    redis.values.set('warble:feed:recent:{a7}', 'old');
    const open = redis.hold();
    const inFlight = cache.getMany(['7']);
    await cache.forget('7');
    open();
    expect((await inFlight).get('7')).toEqual(['old']);
    await cache.setMany(new Map([['7', ['old']]]), before);
    expect(redis.values.has('warble:feed:recent:{a7}')).toBe(false);
    expect((await cache.getMany(['7'])).has('7')).toBe(false);
    await cache.setMany(new Map([['7', ['new', 'old']]]), cache.version());
    expect((await cache.getMany(['7'])).get('7')).toEqual(['new', 'old']);
  });
});
