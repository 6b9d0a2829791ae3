import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, SERVICE_NAME } from '../config/config.module.js';
import type { RedisEnv } from '../config/config.js';
import { HEALTH_CHECKS, type HealthCheck } from '../health/health-check.js';

export const REDIS = Symbol('REDIS');

@Injectable()
class RedisLifecycle implements HealthCheck, OnApplicationShutdown {
  readonly name = 'redis';
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async check(): Promise<void> {
    await this.redis.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** One shared ioredis connection (it pipelines concurrent commands on its own). */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG, SERVICE_NAME],
      useFactory: (config: RedisEnv, service: string) =>
        new Redis(config.REDIS_URL, {
          connectionName: `warble-${service}`,
          // Fail fast while Redis is away: it is a cache, callers fall back to Postgres.
          maxRetriesPerRequest: 1,
          enableOfflineQueue: true,
          connectTimeout: 2_000,
          commandTimeout: 2_000,
          enableAutoPipelining: true,
        }),
    },
    RedisLifecycle,
    { provide: HEALTH_CHECKS.redis, useExisting: RedisLifecycle },
  ],
  exports: [REDIS, HEALTH_CHECKS.redis],
})
export class RedisModule {}
