import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { APP_CONFIG, SERVICE_NAME } from '../config/config.module.js';
import type { RedisEnv } from '../config/config.js';
import { HEALTH_CHECKS, type HealthCheck } from '../health/health-check.js';
import type { RedisClient } from './redis-client.js';

export const REDIS = Symbol('REDIS');

@Injectable()
class RedisLifecycle implements HealthCheck, OnApplicationShutdown {
  readonly name = 'redis';
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  async check(): Promise<void> {
    await this.redis.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * One shared client: a single-node connection, or with REDIS_CLUSTER_NODES
 * ioredis's cluster client, which routes each command to the master of its
 * slot and follows MOVED/ASK while slots move or a replica takes over. Both
 * pipeline concurrent commands on their own (per node in a cluster).
 */
export function createRedisClient(config: Pick<RedisEnv, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>, service: string): RedisClient {
  const options: RedisOptions = {
    connectionName: `warble-${service}`,
    // Fail fast while Redis is away: it is a cache, callers fall back to Postgres.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
  };
  if (config.REDIS_CLUSTER_NODES.length === 0) return new Redis(config.REDIS_URL, { ...options, enableAutoPipelining: true });
  return new Cluster(
    config.REDIS_CLUSTER_NODES.map((node) => {
      const [host, port] = node.split(':');
      return { host, port: Number(port) };
    }),
    {
      redisOptions: options,
      enableAutoPipelining: true,
      // Reads and writes go to masters: a replica may lag, and the feed's Lua scripts write.
      scaleReads: 'master',
      // While a master fails over, commands to its slots are retried until the replica has taken over.
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 300,
      retryDelayOnTryAgain: 100,
      // Slot map refreshed when a node moves slots or fails, so routing follows resharding.
      slotsRefreshTimeout: 2_000,
    },
  );
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG, SERVICE_NAME],
      useFactory: (config: RedisEnv, service: string) => createRedisClient(config, service),
    },
    RedisLifecycle,
    { provide: HEALTH_CHECKS.redis, useExisting: RedisLifecycle },
  ],
  exports: [REDIS, HEALTH_CHECKS.redis],
})
export class RedisModule {}
