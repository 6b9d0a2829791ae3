import type { RedisClient } from '../redis/redis-client.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts } from 'rate-limiter-flexible';

export interface LimiterOptions {
  /** Full key prefix in Redis, e.g. `warble:ratelimit:api` (the library adds `:` and the key). */
  keyPrefix: string;
  /** What one key may consume per window. */
  points: number;
  /** Window length in seconds; the window starts at a key's first hit (fixed window). */
  durationSeconds: number;
  /**
   * Remember refused keys in process memory until their window ends, so that a
   * flood from one key stops costing Redis round trips (the gateway's budgets).
   */
  blockRefusedInMemory?: boolean;
  /** Longer than this for Redis to answer, and the insurance answers instead (REDIS_REQUEST_TIMEOUT_MS). */
  timeoutMs: number;
}

/** What insuredLimiter makes: the Redis limiter behind the library's timeout wrapper. */
export type InsuredLimiter = RLWrapperTimeouts;

/**
 * A limiter counted in Redis, so every replica shares the counters, with an
 * in-process "insurance" limiter of the same budget that counts while Redis is
 * unreachable: limits are then per process but still hold, never fail open
 * (docs/architecture.md, "Limits"). Commands are not queued while Redis is
 * away: a call goes to the insurance at once instead of waiting for a reconnect,
 * and one that Redis has not answered within `timeoutMs` goes to the insurance
 * too (a Redis Cluster master failing over keeps its slots' commands waiting
 * for seconds; docs/scaling.md, "Redis failover").
 */
export function insuredLimiter(redis: RedisClient, options: LimiterOptions): InsuredLimiter {
  const { keyPrefix, points, durationSeconds, timeoutMs } = options;
  // (0 would send every call to the insurance: the counters would never be shared.)
  if (!(timeoutMs > 0)) throw new Error(`insuredLimiter ${keyPrefix}: timeoutMs must be a positive number of milliseconds, not ${timeoutMs}`);
  const counted = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: durationSeconds,
    rejectIfRedisNotReady: true,
    ...(options.blockRefusedInMemory ? { inMemoryBlockOnConsumed: points + 1 } : {}),
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }),
  });
  // The wrapper takes over the Redis limiter's insurance: both count in the same memory.
  return new RLWrapperTimeouts({ limiter: counted, timeoutMs });
}

/** A refused consume: what the limiter answered, kept apart from an allowed one by its type. */
export class Refusal {
  constructor(readonly result: RateLimiterRes) {}
}

/**
 * Consumes one point: the limiter's answer when allowed, a Refusal when over
 * the budget. Other errors (none expected: the insurance answers for Redis)
 * propagate.
 */
export function consumeOne(limiter: InsuredLimiter, key: string): Promise<RateLimiterRes | Refusal> {
  return limiter.consume(key).catch(refusalOf);
}

function refusalOf(error: unknown): Refusal {
  if (error instanceof RateLimiterRes) return new Refusal(error);
  throw error;
}

/** Whole seconds a refused caller should wait (Retry-After: at least 1). */
export function retryAfterSeconds(result: RateLimiterRes): number {
  return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
}

export { RateLimiterRes };
