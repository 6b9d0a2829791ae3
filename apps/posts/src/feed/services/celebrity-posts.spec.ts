import type { AppLogger } from '@app/platform';
import type { PostsConfig } from '../../config/posts.config.js';
import type { CelebrityPostsCache } from '../repositories/celebrity-posts.cache.js';
import { padId } from '../repositories/feed-members.js';
import type { FeedSourceRepository } from '../repositories/feed-source.repository.js';
import { CelebrityPosts } from './celebrity-posts.js';

describe('CelebrityPosts', () => {
  const logger = { warn: () => undefined } as unknown as AppLogger;
  const config = { FEED_MAX_LENGTH: 800 } as PostsConfig;

  function setup(cached: Map<string, string[]>) {
    const queries: string[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const posts = {
      recentIdsByAuthors: async (authorIds: string[]) => {
        queries.push(authorIds);
        await gate;
        return new Map(authorIds.map((id) => [id, [`${id}2`, `${id}1`]]));
      },
    } as unknown as FeedSourceRepository;
    const stored: Map<string, string[]>[] = [];
    const cache = {
      getMany: (ids: string[]) => Promise.resolve(new Map(ids.filter((id) => cached.has(id)).map((id) => [id, cached.get(id)!]))),
      setMany: (lists: Map<string, string[]>) => Promise.resolve(void stored.push(lists)),
      version: () => 0,
    } as unknown as CelebrityPostsCache;
    return { service: new CelebrityPosts(cache, posts, config, logger), queries, stored, release };
  }

  it('answers from the cache without a query when every list is cached', async () => {
    const { service, queries } = setup(new Map([['7', ['b', 'a']]]));
    expect(await service.recentIds(['7'])).toEqual([['b', 'a']]);
    expect(queries).toHaveLength(0);
  });

  it('shares one query among concurrent readers of an expired list, and caches its answer', async () => {
    const { service, queries, stored, release } = setup(new Map([['8', ['x']]]));
    const readers = [service.recentIds(['7', '8']), service.recentIds(['7']), service.recentIds(['8', '7'])];
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const [first, second, third] = await Promise.all(readers);
    expect(queries).toEqual([['7']]);
    expect(first).toEqual([[padId('72'), padId('71')], ['x']]);
    expect(second).toEqual([[padId('72'), padId('71')]]);
    expect(third).toEqual([['x'], [padId('72'), padId('71')]]);
    expect(stored).toHaveLength(1);
  });

  it('queries again once the earlier load has finished', async () => {
    const { service, queries, release } = setup(new Map());
    release();
    await service.recentIds(['7']);
    await service.recentIds(['7']);
    expect(queries).toEqual([['7'], ['7']]);
  });
});

describe('CelebrityPosts when the author posts during a load', () => {
  const logger = { warn: () => undefined } as unknown as AppLogger;
  const config = { FEED_MAX_LENGTH: 800 } as PostsConfig;

  it('no longer shares a query that started before the post, and passes each answer on with its version', async () => {
    let round = 0;
    const releases: (() => void)[] = [];
    const posts = {
      recentIdsByAuthors: async (authorIds: string[]) => {
        const mine = ++round;
        await new Promise<void>((resolve) => releases.push(resolve));
        return new Map(authorIds.map((id) => [id, [`${mine}`]]));
      },
    } as unknown as FeedSourceRepository;
    let version = 0;
    const stored: [string[], number][] = [];
    const cache = {
      getMany: () => Promise.resolve(new Map<string, string[]>()),
      setMany: (lists: Map<string, string[]>, at: number) => Promise.resolve(void stored.push([[...lists.values()].flat(), at])),
      forget: () => Promise.resolve(void (version += 1)),
      version: () => version,
    } as unknown as CelebrityPostsCache;
    const service = new CelebrityPosts(cache, posts, config, logger);

    const before = service.recentIds(['7']);
    await new Promise((resolve) => setImmediate(resolve));
    await service.forget('7');
    const after = service.recentIds(['7']);
    await new Promise((resolve) => setImmediate(resolve));
    releases.forEach((release) => release());

    expect(await before).toEqual([[padId('1')]]);
    expect(await after).toEqual([[padId('2')]]);
    expect(stored).toEqual([
      [[padId('1')], 0],
      [[padId('2')], 1],
    ]);
  });
});
