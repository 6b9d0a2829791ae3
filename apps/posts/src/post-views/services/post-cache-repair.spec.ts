import { jest } from '@jest/globals';
import type { AppLogger } from '@app/platform';
import type { PostCache } from '../repositories/post.cache.js';
import type { PostContent, PostRepository, PostState } from '../repositories/post.repository.js';
import { PostCacheRepair } from './post-cache-repair.js';

describe('PostCacheRepair', () => {
  const logger = { warn: () => undefined } as unknown as AppLogger;
  let stateInPostgres: PostState;
  let redisUp: boolean;
  let written: { id: string; state: PostState }[];
  let forgotten: string[];
  const content: PostContent = { id: '7', authorId: '1', text: 'hi', createdAt: '2026-12-04T00:00:00.000Z', hashtags: [], mentions: [] };
  const posts = { rows: (ids: string[]) => Promise.resolve(ids.map(() => ({ content, state: stateInPostgres }))) } as unknown as PostRepository;
  const cache = {
    writePosts: (items: { id: string; state: PostState }[]) => (redisUp ? Promise.resolve(void written.push(...items)) : Promise.reject(new Error('CLUSTERDOWN'))),
    forgetLiked: (viewerId: string) => (redisUp ? Promise.resolve(void forgotten.push(viewerId)) : Promise.reject(new Error('CLUSTERDOWN'))),
  } as unknown as PostCache;

  beforeEach(() => {
    jest.useFakeTimers();
    stateInPostgres = { version: 3, likeCount: 2, commentCount: 1, deleted: false };
    redisUp = false;
    written = [];
    forgotten = [];
  });
  afterEach(() => jest.useRealTimers());

  it('keeps retrying a failed state write until Redis takes it, with the newest state from Postgres', async () => {
    const repair = new PostCacheRepair(posts, cache, logger);
    repair.stateNotWritten('7', new Error('MOVED'));
    await jest.advanceTimersByTimeAsync(2_000);
    expect(written).toEqual([]);
    expect(repair.pending).toBe(1);

    stateInPostgres = { version: 4, likeCount: 3, commentCount: 1, deleted: false };
    redisUp = true;
    await jest.advanceTimersByTimeAsync(600);
    expect(written).toEqual([{ id: '7', content, state: stateInPostgres }]);
    expect(repair.pending).toBe(0);

    await jest.advanceTimersByTimeAsync(5_000);
    expect(written).toHaveLength(1);
  });

  it('drops a liked set whose change was not written, once Redis answers', async () => {
    const repair = new PostCacheRepair(posts, cache, logger);
    repair.likedNotWritten('42', new Error('TRYAGAIN'));
    repair.likedNotWritten('42', new Error('TRYAGAIN'));
    await jest.advanceTimersByTimeAsync(600);
    expect(forgotten).toEqual([]);
    redisUp = true;
    await jest.advanceTimersByTimeAsync(600);
    expect(forgotten).toEqual(['42']);
    expect(repair.pending).toBe(0);
  });

  it('stops retrying when the module is destroyed', async () => {
    const repair = new PostCacheRepair(posts, cache, logger);
    repair.stateNotWritten('7', new Error('down'));
    repair.onModuleDestroy();
    redisUp = true;
    await jest.advanceTimersByTimeAsync(2_000);
    expect(written).toEqual([]);
  });
});
