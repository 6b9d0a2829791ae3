import { jest } from '@jest/globals';
import { register } from 'prom-client';
import { BoundedCache } from './bounded-cache.js';

async function lookups(cache: string): Promise<{ hit: number; miss: number }> {
  const metric = await register.getSingleMetric('local_cache_requests_total')!.get();
  const count = (result: string) => metric.values.find((value) => value.labels.cache === cache && value.labels.result === result)?.value ?? 0;
  return { hit: count('hit'), miss: count('miss') };
}

describe('BoundedCache', () => {
  afterEach(() => jest.useRealTimers());

  it('evicts the least recently used entry when full', () => {
    const cache = new BoundedCache<string, number>({ name: 'spec-lru', maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
  });

  it('keeps nothing with maxEntries 0', () => {
    const cache = new BoundedCache<string, number>({ name: 'spec-off', maxEntries: 0 });
    cache.set('a', 1);
    expect([cache.get('a'), cache.size]).toEqual([undefined, 0]);
  });

  it('stops returning entries after the cache TTL or their own', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const cache = new BoundedCache<string, number>({ name: 'spec-ttl', maxEntries: 10, ttlMs: 500 });
    cache.set('a', 1);
    cache.set('b', 2, 2_000);
    cache.set('gone', 3, 0);
    jest.setSystemTime(1_000_500);
    expect([cache.get('a'), cache.get('b'), cache.get('gone')]).toEqual([1, 2, undefined]);
    jest.setSystemTime(1_000_501);
    expect([cache.get('a'), cache.get('b')]).toEqual([undefined, 2]);
    jest.setSystemTime(1_002_001);
    expect(cache.get('b')).toBeUndefined();
  });

  it('forgets deleted and cleared entries', () => {
    const cache = new BoundedCache<string, number>({ name: 'spec-delete', maxEntries: 10 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.delete('a');
    expect([cache.get('a'), cache.get('b')]).toEqual([undefined, 2]);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('counts hits and misses per cache name in local_cache_requests_total', async () => {
    const before = await lookups('spec-metric');
    const one = new BoundedCache<string, number>({ name: 'spec-metric', maxEntries: 10 });
    const two = new BoundedCache<string, number>({ name: 'spec-metric', maxEntries: 0 });
    one.set('a', 1);
    one.get('a');
    one.get('a');
    one.get('b');
    two.get('a');
    expect(await lookups('spec-metric')).toEqual({ hit: before.hit + 2, miss: before.miss + 2 });
    expect(await lookups('spec-metric')).toEqual({ hit: before.hit + 2, miss: before.miss + 2 });
  });
});
