import { Inject, Injectable, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { APP_CONFIG, SERVICE_NAME } from '../config/config.module.js';
import type { DatabaseEnv, ReadYourWritesRedisEnv } from '../config/config.js';
import { LOGGER } from '../logging/logging.module.js';
import type { AppLogger } from '../logging/logger.js';
import { createRedisClient, REDIS } from '../redis/redis.module.js';
import { type RedisClient, withinRedisDeadline } from '../redis/redis-client.js';

/**
 * Who wrote within the read-your-own-writes window (docs/scaling.md,
 * "Postgres standby"): a short-lived marker per user in Redis, shared by
 * every replica of every service, set before a caller's transaction and again
 * after its commit. While a caller's marker lives, their lag-tolerant reads go
 * to the primary. Only kept when a standby is configured; an app without its
 * own Redis client (graph, search) then opens one from REDIS_URL or
 * REDIS_CLUSTER_NODES. The key carries the user's hash tag like the user's
 * other keys (docs/scaling.md, "Redis keys").
 */
@Injectable()
export class RecentWrites implements OnApplicationShutdown {
  private readonly enabled: boolean;
  private readonly windowMs: number;
  private readonly redisTimeoutMs: number;
  private readonly redis?: RedisClient;
  /** A connection of its own, in an app without REDIS (graph, search): closed here on shutdown. */
  private readonly ownRedis?: RedisClient;
  /** When this process's Redis connection last became ready: markers set while it was away may be missing. */
  private readySince = Date.now();

  constructor(
    @Inject(APP_CONFIG) config: DatabaseEnv & Partial<ReadYourWritesRedisEnv>,
    @Inject(SERVICE_NAME) service: string,
    @Inject(LOGGER) private readonly logger: AppLogger,
    @Optional() @Inject(REDIS) shared?: RedisClient,
  ) {
    this.enabled = config.DATABASE_REPLICA_HOST !== undefined;
    this.windowMs = config.DATABASE_READ_YOUR_WRITES_MS;
    this.redisTimeoutMs = config.REDIS_REQUEST_TIMEOUT_MS ?? 300;
    if (!this.enabled) return;
    if (!shared && (config.REDIS_URL !== undefined || (config.REDIS_CLUSTER_NODES?.length ?? 0) > 0)) {
      this.ownRedis = createRedisClient({ REDIS_URL: config.REDIS_URL ?? '', REDIS_CLUSTER_NODES: config.REDIS_CLUSTER_NODES ?? [] }, service);
      // A Redis that is away only sends this app's callers to the primary; it is not worth an unhandled error.
      this.ownRedis.on('error', (error: Error) => this.logger.debug({ err: error }, 'read-your-writes Redis unavailable'));
    }
    this.redis = shared ?? this.ownRedis;
    if (this.redis) this.redis.on('ready', () => (this.readySince = Date.now()));
    // (comments: no lag-tolerant reads, and its writes change none that others make)
    else logger.info('no Redis for read-your-own-writes markers: lag-tolerant reads of signed-in callers go to the primary');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.ownRedis?.quit().catch(() => this.ownRedis?.disconnect());
  }

  static key(userId: string): string {
    return `warble:wrote:{u${userId}}`;
  }

  /** Marks the user as having written just now; never fails the write (Redis away: see wrote()). */
  async mark(userId: string | undefined): Promise<void> {
    if (!this.enabled || userId === undefined || !this.redis || this.redis.status !== 'ready') return;
    try {
      await withinRedisDeadline(this.redis.set(RecentWrites.key(userId), '1', 'PX', this.windowMs), this.redisTimeoutMs, 'recent-write-mark');
    } catch (error) {
      this.logger.debug({ err: error }, 'read-your-writes marker not set');
    }
  }

  /**
   * True when the user wrote within the window, false when not; undefined
   * when that cannot be known (no Redis in this service, Redis away or only
   * just back, which may have cost markers): the caller then reads from the primary.
   */
  async wrote(userId: string): Promise<boolean | undefined> {
    if (!this.redis || this.redis.status !== 'ready' || Date.now() - this.readySince < this.windowMs) return undefined;
    try {
      return (await withinRedisDeadline(this.redis.exists(RecentWrites.key(userId)), this.redisTimeoutMs, 'recent-write-check')) === 1;
    } catch {
      return undefined;
    }
  }
}
