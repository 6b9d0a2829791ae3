import type { RedisClient } from '../redis/redis-client.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

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
}

/**
 * A limiter counted in Redis, so every replica shares the counters, with an
 * in-process "insurance" limiter of the same budget that counts while Redis is
 * unreachable: limits are then per process but still hold, never fail open
 * (docs/architecture.md, "Limits"). Commands are not queued while Redis is
 * away: a call goes to the insurance at once instead of waiting for a reconnect.
 */
export function insuredLimiter(redis: RedisClient, options: LimiterOptions): RateLimiterRedis {
  const { keyPrefix, points, durationSeconds } = options;
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: durationSeconds,
    rejectIfRedisNotReady: true,
    ...(options.blockRefusedInMemory ? { inMemoryBlockOnConsumed: points + 1 } : {}),
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }),
  });
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
export function consumeOne(limiter: RateLimiterRedis, key: string): Promise<RateLimiterRes | Refusal> {
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
