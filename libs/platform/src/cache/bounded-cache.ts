import { LRUCache } from 'lru-cache';
import { Counter } from 'prom-client';

export interface BoundedCacheOptions {
  /** The `cache` label of local_cache_requests_total: a constant, so that the label stays bounded. */
  name: string;
  /** Most entries kept; the least recently used go first. 0 keeps nothing (the cache is off). */
  maxEntries: number;
  /** Entries older than this are no longer returned; without it they stay until evicted. */
  ttlMs?: number;
}

/** Lookups counted as plain numbers (a counter call per lookup would cost the hot paths more than the lookup). */
interface Tally {
  hits: number;
  misses: number;
  reportedHits: number;
  reportedMisses: number;
}

const tallies = new Map<string, Tally>();

/**
 * Defined here rather than in metrics/instruments.ts so that the cache
 * imports no other platform folder (every folder may use it); the counts
 * are added at scrape time.
 */
export const localCacheRequests = new Counter({
  name: 'local_cache_requests_total',
  help: 'In-process cache lookups by cache and result',
  labelNames: ['cache', 'result'] as const,
  collect() {
    for (const [cache, tally] of tallies) {
      if (tally.hits > tally.reportedHits) this.inc({ cache, result: 'hit' }, tally.hits - tally.reportedHits);
      if (tally.misses > tally.reportedMisses) this.inc({ cache, result: 'miss' }, tally.misses - tally.reportedMisses);
      tally.reportedHits = tally.hits;
      tally.reportedMisses = tally.misses;
    }
  },
});

function tallyOf(name: string): Tally {
  let tally = tallies.get(name);
  if (!tally) tallies.set(name, (tally = { hits: 0, misses: 0, reportedHits: 0, reportedMisses: 0 }));
  return tally;
}

/**
 * The one in-process cache of the system: at most `maxEntries` entries
 * (least recently used evicted first), optionally expiring, with its
 * hits and misses in local_cache_requests_total{cache=name}. Instances
 * with the same name share one count. Expiry follows `Date.now()`, as the
 * rest of the code's clocks do (token expiry, fake timers in specs).
 */
export class BoundedCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>> {
  private readonly entries: LRUCache<K, V> | undefined;
  private readonly tally: Tally;

  constructor(options: BoundedCacheOptions) {
    this.tally = tallyOf(options.name);
    if (options.maxEntries > 0) {
      // ttlResolution 0: read the clock on each lookup instead of caching it behind a timer.
      this.entries = new LRUCache<K, V>({ max: options.maxEntries, ttl: options.ttlMs, ttlResolution: 0, perf: Date });
    }
  }

  get(key: K): V | undefined {
    const value = this.entries?.get(key);
    if (value === undefined) this.tally.misses++;
    else this.tally.hits++;
    return value;
  }

  /** Stores the value; `ttlMs` overrides the cache's TTL for this entry, and one of 0 or less stores nothing. */
  set(key: K, value: V, ttlMs?: number): void {
    if (!this.entries || (ttlMs !== undefined && ttlMs <= 0)) return;
    this.entries.set(key, value, ttlMs === undefined ? undefined : { ttl: ttlMs });
  }

  delete(key: K): void {
    this.entries?.delete(key);
  }

  clear(): void {
    this.entries?.clear();
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }
}
