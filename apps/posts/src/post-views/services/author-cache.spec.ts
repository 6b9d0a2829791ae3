import { jest } from '@jest/globals';
import type { UserDirectory } from '@app/domain';
import type { AppLogger } from '@app/platform';
import type { PostsConfig } from '../../config/posts.config.js';
import { AuthorCache } from './author-cache.js';

describe('AuthorCache', () => {
  const logger = { warn: () => undefined } as unknown as AppLogger;
  let names: Record<string, string>;
  let queries: string[][];
  const directory = {
    findByIds: (ids: string[]) => {
      queries.push([...ids]);
      return Promise.resolve(new Map(ids.filter((id) => names[id]).map((id) => [id, { id, username: names[id], displayName: names[id].toUpperCase() }])));
    },
  } as unknown as UserDirectory;

  beforeEach(() => {
    names = { '1': 'ada', '2': 'grace' };
    queries = [];
    jest.useFakeTimers({ now: 0 });
  });
  afterEach(() => jest.useRealTimers());

  it('loads unknown authors once, then answers from memory', async () => {
    const cache = new AuthorCache(directory, { AUTHOR_CACHE_TTL_MS: 5_000 } as PostsConfig, logger);
    expect((await cache.byIds(['1', '2', '1'])).get('2')?.username).toBe('grace');
    expect((await cache.byIds(['1', '2'])).get('1')?.displayName).toBe('ADA');
    expect(queries).toEqual([['1', '2']]);
  });

  it('serves an expired name at once and refreshes all expired ones in one background query', async () => {
    const cache = new AuthorCache(directory, { AUTHOR_CACHE_TTL_MS: 5_000 } as PostsConfig, logger);
    await cache.byIds(['1', '2']);
    names['1'] = 'ada_renamed';
    jest.setSystemTime(6_000);
    expect((await cache.byIds(['1'])).get('1')?.username).toBe('ada');
    expect((await cache.byIds(['2'])).get('2')?.username).toBe('grace');
    expect(queries).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(200);
    expect(queries[1]).toEqual(['1', '2']);
    expect((await cache.byIds(['1'])).get('1')?.username).toBe('ada_renamed');
  });

  it('does not cache ids the directory does not know yet', async () => {
    const cache = new AuthorCache(directory, { AUTHOR_CACHE_TTL_MS: 5_000 } as PostsConfig, logger);
    expect((await cache.byIds(['9'])).has('9')).toBe(false);
    names['9'] = 'newcomer';
    expect((await cache.byIds(['9'])).get('9')?.username).toBe('newcomer');
  });
});
