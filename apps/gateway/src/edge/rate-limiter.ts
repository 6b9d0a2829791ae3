import type { Redis } from 'ioredis';

/** The outcome of one counted request. */
export interface RateLimitVerdict {
  allowed: boolean;
  /** Requests left in the current window (0 once the limit is reached). */
  remaining: number;
  /** Seconds until the window ends; what a `429` puts in `Retry-After`. */
  retryAfterSeconds: number;
}

export interface RateLimiterOptions {
  /** Prepended to every key (e.g. `warble:ratelimit:`). */
  prefix: string;
  windowMs: number;
  /** Told (at most every 30 s) when Redis cannot count and requests pass uncounted. */
  onDegraded?: (error: unknown) => void;
}

// Fixed window, atomic in Redis: the first hit of a window starts its expiry;
// a key that somehow lost its expiry gets one again instead of counting forever.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  ttl = tonumber(ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return {count, ttl}
`;

const DEGRADED_LOG_INTERVAL_MS = 30_000;

/**
 * Counts requests per key in Redis, so that every gateway instance shares the
 * same counters. While Redis is away it fails open: requests pass uncounted
 * rather than failing, since Redis holds no data and losing it must not take
 * the API down.
 */
export class RedisRateLimiter {
  private lastDegradedLog = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: RateLimiterOptions,
  ) {}

  async hit(key: string, limit: number): Promise<RateLimitVerdict> {
    // Not connected: do not wait for a reconnect (commands would queue up to the timeout).
    if (this.redis.status !== 'ready') return this.failOpen(limit, new Error(`Redis connection is ${this.redis.status}`));
    let count: number;
    let ttlMs: number;
    try {
      [count, ttlMs] = (await this.redis.eval(HIT_SCRIPT, 1, this.options.prefix + key, this.options.windowMs)) as [number, number];
    } catch (error) {
      return this.failOpen(limit, error);
    }
    return {
      allowed: count <= limit,
      remaining: Math.max(0, limit - count),
      retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
    };
  }

  private failOpen(limit: number, error: unknown): RateLimitVerdict {
    const now = Date.now();
    if (now - this.lastDegradedLog >= DEGRADED_LOG_INTERVAL_MS) {
      this.lastDegradedLog = now;
      this.options.onDegraded?.(error);
    }
    return { allowed: true, remaining: limit, retryAfterSeconds: 0 };
  }
}
